import { declareUpload } from '../../lib/files/declare-upload';
import { declarationSchema } from '../../lib/files/file';
import { filesConfig } from '../../lib/files/files-config';
import { created } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';

export const bodySchema = declarationSchema(filesConfig);

export const handler = tenantRoute('files.create', { path: tenantPath, body: bodySchema }, async ({ caller, body }) =>
  created(await declareUpload(caller, body)),
);
