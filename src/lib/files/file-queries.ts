import { filePrefix } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import type { ListQuery, Page } from '../pagination/list-query';
import { type FileView, toFileView } from './file';
import { getFile, toStoredFile } from './file-store';
import { objectKey } from './object-key';
import { type DownloadTicket, presignDownload } from './presign';

/** GET of one file: its metadata, and a download URL once it is ready. */
export const describeFile = async (
  tenantId: string,
  fileId: string,
  now: Date = new Date(),
): Promise<FileView & { download?: DownloadTicket }> => {
  const file = await getFile(tenantId, fileId, now);
  const view = toFileView(file);
  if (file.status !== 'ready') return view;
  return { ...view, download: await presignDownload(objectKey(tenantId, file.fileId), file.name, now) };
};

/** GET /tenants/{tenantId}/files: newest first (file ids are time-ordered); expired declarations are left out. */
export const listFiles = (tenantId: string, list: ListQuery, now: Date = new Date()): Promise<Page<FileView>> => {
  const query = prefixQuery(filePrefix(tenantId));
  return pagedQuery(
    { tenantId, list: 'files' },
    list,
    {
      ...query,
      FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':now': Math.floor(now.getTime() / 1000) },
      ScanIndexForward: false,
    },
    (item) => toFileView(toStoredFile(item)),
  );
};
