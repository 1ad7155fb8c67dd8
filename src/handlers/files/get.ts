import * as z from 'zod';
import { describeFile } from '../../lib/files/file-queries';
import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';

const path = z.object({ tenantId: pathId, fileId: pathId });

export const handler = tenantRoute('files.read', { path }, async ({ caller, path }) =>
  ok(await describeFile(caller.tenantId, path.fileId)),
);
