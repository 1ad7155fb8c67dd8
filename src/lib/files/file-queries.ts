import { type FileView, toFileView } from './file';
import { getFile } from './file-store';
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
