import type { Page } from '../api/types';
import { h, messages } from './dom';

export type Column<T> = { header: string; cell: (item: T) => Node | string | number };

/**
 * A list of the API as a table with a caption, and "Show more" while the API
 * gives a next cursor. Resolves once the first page is in.
 */
export const pagedTable = async <T>(
  caption: string,
  columns: Column<T>[],
  load: (cursor: string | undefined) => Promise<Page<T>>,
  empty = 'Nothing here yet.',
): Promise<HTMLElement> => {
  const body = h('tbody', {});
  const table = h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c.header)))),
    body,
  );
  const more = h('button', { type: 'button', class: 'secondary' }, 'Show more');
  const feedback = messages();
  let cursor: string | null = null;

  const add = (page: Page<T>) => {
    for (const item of page.items) body.append(h('tr', {}, ...columns.map((c) => h('td', {}, c.cell(item)))));
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    if (body.childElementCount === 0) body.append(h('tr', {}, h('td', { colspan: columns.length }, empty)));
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    load(cursor ?? undefined)
      .then(add)
      .catch((err: unknown) => feedback.error(err))
      .finally(() => {
        more.disabled = false;
      });
  });
  add(await load(undefined));
  // A table wider than the screen scrolls sideways: its wrapper is a named region that takes the
  // keyboard focus, so it can be scrolled without a mouse (axe: scrollable-region-focusable).
  const wrap = h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' }, table);
  return h('div', {}, wrap, more, ...feedback.nodes);
};
