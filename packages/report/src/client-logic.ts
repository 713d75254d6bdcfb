/**
 * The page script's pure logic: sorting, filtering and paging the runs table, and the lineage
 * path of a node. These functions run in the browser as they are tested here: page-script.ts
 * inlines their source, so each one uses nothing but its arguments and the others below.
 */

/** Sort order of two cells' sort values: numbers by value, text by locale; empty cells last either way. */
export function compareSortValues(a: string, b: string, ascending: boolean): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = Number(a);
  const y = Number(b);
  const order = !Number.isNaN(x) && !Number.isNaN(y) ? x - y : a.localeCompare(b);
  return ascending ? order : -order;
}

export interface RowFacts {
  status: string;
  group: string;
  steps: string[];
  /** Everything the row shows, for the text search. */
  text: string;
}

export interface RowFilter {
  status: string;
  group: string;
  step: string;
  query: string;
}

/** Whether a row passes the filters ('' matches all); the query matches words of the row's text in any order, case-insensitive. */
export function rowMatches(row: RowFacts, filter: RowFilter): boolean {
  if (filter.status && row.status !== filter.status) return false;
  if (filter.group && row.group !== filter.group) return false;
  if (filter.step && row.steps.indexOf(filter.step) < 0) return false;
  const text = row.text.toLowerCase();
  return filter.query.toLowerCase().split(/\s+/).every((word) => word === '' || text.indexOf(word) >= 0);
}

/** The rows [start, end) of a page (pages count from 0; a page past the end shows the last one). */
export function pageWindow(total: number, pageSize: number, page: number): { page: number; pages: number; start: number; end: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const shown = Math.min(Math.max(0, page), pages - 1);
  return { page: shown, pages, start: shown * pageSize, end: Math.min(total, (shown + 1) * pageSize) };
}

/** The nodes upstream and downstream of `id` (it included) and the edges between them along the way. */
export function lineagePath(edges: Array<{ from: string; to: string }>, id: string): { nodes: string[]; edges: number[] } {
  const nodes = [id];
  const onPath: number[] = [];
  const walk = (forward: boolean) => {
    const seen: Record<string, boolean> = {};
    seen[id] = true;
    const queue = [id];
    while (queue.length > 0) {
      const at = queue.shift();
      for (let i = 0; i < edges.length; i++) {
        const from = forward ? edges[i].from : edges[i].to;
        const to = forward ? edges[i].to : edges[i].from;
        if (from !== at) continue;
        onPath.push(i);
        if (seen[to]) continue;
        seen[to] = true;
        nodes.push(to);
        queue.push(to);
      }
    }
  };
  walk(true);
  walk(false);
  return { nodes, edges: onPath.sort((a, b) => a - b).filter((e, i, all) => i === 0 || all[i - 1] !== e) };
}
