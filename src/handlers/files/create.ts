import { declareUpload } from '../../lib/files/declare-upload';
import { createFileRoute, declaredFileSchema } from '../../lib/files/files-api';
import { filesConfig } from '../../lib/files/files-config';
import { created } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

/** The body's limits are this stage's. */
const route = createFileRoute(filesConfig);

export const handler = apiRoute(route, async ({ caller, body }) => created(declaredFileSchema, await declareUpload(caller, body)));
