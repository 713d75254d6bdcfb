/** A plain text table: a header row, then rows, columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatDuration(startedAt: string, endedAt: string | null): string {
  if (!endedAt) return '-';
  return `${((Date.parse(endedAt) - Date.parse(startedAt)) / 1000).toFixed(1)}s`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** For an empty listing: "; projects with runs: a, b (pass --project NAME)", or nothing when there are none. */
export function otherProjects(projects: string[], current: string, what: string): string {
  const others = projects.filter((p) => p !== current).sort();
  return others.length ? `; projects with ${what}: ${others.join(', ')} (pass --project NAME)` : '';
}
