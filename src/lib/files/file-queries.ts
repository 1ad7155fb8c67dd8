import type { ListQuery, Page } from '../pagination/list-query';
import { type FileView, toFileView } from './file';
import { getFile, listFiles } from './file-store';
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

export const listTenantFiles = (tenantId: string, list: ListQuery, now: Date = new Date()): Promise<Page<FileView>> =>
  listFiles(tenantId, list, now);
