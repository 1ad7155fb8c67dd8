import { describeFile } from '../../lib/files/file-queries';
import { fileDetailsSchema, getFileRoute } from '../../lib/files/files-api';
import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(getFileRoute, async ({ caller, path }) =>
  ok(fileDetailsSchema, await describeFile(caller.tenantId, path.fileId)),
);
