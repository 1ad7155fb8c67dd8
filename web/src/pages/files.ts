import { api, must } from '../api';
import type { FileDetails, FileView } from '../api/types';
import type { Page } from '../router';
import { navigate } from '../router';
import { atLeast } from '../state';
import { dateTime, field, form, h, input, messages } from '../ui/dom';
import { pagedTable } from '../ui/table';

const POLL_MS = 1000;
const POLL_LIMIT_MS = 120_000;

/**
 * CSV data sets of the active tenant. An upload is declared to the API, which
 * answers a presigned PUT; the browser sends the bytes straight to S3 with
 * every header the URL was signed with; the ingest then marks the file ready
 * (columns, rows) or rejected (a reason), which this page polls for.
 */
export const filesPage: Page = {
  title: 'Files',
  access: 'viewer',
  render: async ({ me }) => {
    const tenantId = me?.tenantId ?? '';
    const listSection = h('section', { 'aria-labelledby': 'all-files' }, h('h2', { id: 'all-files' }, 'All files'));
    const canDelete = atLeast('member', me);
    const showList = async () => listSection.replaceChildren(listSection.firstChild as Node, await filesTable(tenantId, canDelete));
    await showList();
    const upload = atLeast('member', me) ? uploadSection(tenantId, showList) : null;
    return h('div', {}, upload, listSection);
  },
};

const uploadSection = (tenantId: string, showList: () => Promise<void>): HTMLElement => {
  const feedback = messages();
  const result = h('div', { class: 'result' });
  const upload = form(
    { label: 'Upload a CSV file' },
    [
      field(
        'CSV file',
        input({ name: 'file', type: 'file', accept: '.csv,text/csv', required: true }),
        'UTF-8, comma-separated, a header row first.',
      ),
    ],
    'Upload',
    async (data, element) => {
      const file = data.get('file');
      if (!(file instanceof File) || file.name === '') throw new Error('Choose a CSV file first.');
      result.replaceChildren();
      feedback.info(`Uploading ${file.name}…`);
      const fileId = await uploadFile(tenantId, file);
      feedback.info(`Uploaded ${file.name}; checking it…`);
      const detail = await settled(tenantId, fileId);
      feedback.info(detail.status === 'ready' ? `${detail.name} is ready.` : `${detail.name} was rejected.`);
      result.replaceChildren(fileSummary(detail));
      element.reset();
      await showList();
    },
    feedback,
  );
  return h('section', { 'aria-labelledby': 'upload-heading' }, h('h2', { id: 'upload-heading' }, 'Upload a CSV file'), upload, result);
};

const uploadFile = async (tenantId: string, file: File): Promise<string> => {
  const declared = await must(
    api().POST('/tenants/{tenantId}/files', {
      params: { path: { tenantId } },
      body: { name: file.name, contentType: 'text/csv', size: file.size },
    }),
  );
  // Every signed header goes with the bytes, as signed; the browser sets Content-Length itself (scripts may not).
  const headers = Object.entries(declared.upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length');
  const put = await fetch(declared.upload.url, { method: declared.upload.method, headers, body: file });
  if (!put.ok) throw new Error(`The storage refused the upload (${put.status}). Please try again.`);
  return declared.file.fileId;
};

/** Polls the file until the ingest settles it. */
const settled = async (tenantId: string, fileId: string): Promise<FileDetails> => {
  const deadline = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const detail = await must(api().GET('/tenants/{tenantId}/files/{fileId}', { params: { path: { tenantId, fileId } } }));
    if (detail.status !== 'pending') return detail;
    if (Date.now() > deadline) throw new Error('The file is still being processed; look for it in the list later.');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

const fileSummary = (file: FileDetails): HTMLElement =>
  h(
    'div',
    { class: `summary ${file.status}`, 'data-file-id': file.fileId },
    h('h3', {}, file.name),
    file.status === 'ready'
      ? h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Rows'),
          h('dd', { 'data-testid': 'row-count' }, String(file.rowCount ?? 0)),
          h('dt', {}, 'Columns'),
          h('dd', { 'data-testid': 'columns' }, (file.columns ?? []).join(', ')),
        )
      : h('p', {}, `Rejected: ${file.reason ?? 'no reason given'}`),
    file.download ? h('a', { href: file.download.url, download: file.name, class: 'button' }, `Download ${file.name}`) : null,
  );

const filesTable = (tenantId: string, canDelete: boolean): Promise<HTMLElement> =>
  pagedTable<FileView>(
    'CSV files of the active tenant, newest first',
    [
      { header: 'Name', cell: (f) => f.name },
      { header: 'Status', cell: (f) => (f.status === 'rejected' ? `rejected: ${f.reason ?? ''}` : f.status) },
      { header: 'Rows', cell: (f) => (f.rowCount === undefined ? '' : f.rowCount) },
      { header: 'Columns', cell: (f) => (f.columns ?? []).join(', ') },
      { header: 'Size', cell: (f) => `${f.size.toLocaleString()} B` },
      { header: 'Uploaded', cell: (f) => dateTime(f.createdAt) },
      { header: 'Actions', cell: (f) => fileActions(tenantId, f, canDelete) },
    ],
    async (cursor) =>
      must(api().GET('/tenants/{tenantId}/files', { params: { path: { tenantId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } } })),
    'No files yet.',
  );

/** Download when ready; delete for members and up (the API allows the uploader, or an admin for any file). */
const fileActions = (tenantId: string, file: FileView, canDelete: boolean): HTMLElement => {
  const feedback = messages();
  const path = { tenantId, fileId: file.fileId };
  const download = h('button', { type: 'button', class: 'secondary', 'aria-label': `Download ${file.name}` }, 'Download');
  // A fresh presigned URL at the moment of the click: they expire within 15 minutes.
  download.addEventListener('click', () => {
    must(api().GET('/tenants/{tenantId}/files/{fileId}', { params: { path } }))
      .then((detail) => {
        if (detail.download) location.assign(detail.download.url);
      })
      .catch((err: unknown) => feedback.error(err));
  });
  const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${file.name}` }, 'Delete');
  remove.addEventListener('click', () => {
    if (!window.confirm(`Delete ${file.name}?`)) return;
    must(api().DELETE('/tenants/{tenantId}/files/{fileId}', { params: { path } }))
      .then(() => navigate('/files', { replace: true }))
      .catch((err: unknown) => feedback.error(err));
  });
  return h('div', { class: 'row' }, file.status === 'ready' ? download : null, canDelete ? remove : null, ...feedback.nodes);
};
