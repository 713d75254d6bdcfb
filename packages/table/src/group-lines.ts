import { RunningStats } from './column-stats.js';
import { type EncodedColumn, cellText } from './encoded-column.js';
import type { ParquetGroup } from './parquet-reader.js';
import type { Cell } from './types.js';

/** Rows of a row group laid out as CSV lines: at most this many at a time, to bound memory. */
export const LINES_PER_SLICE = 1 << 14;

/** Some rows of a row group laid out as CSV lines, and (with the group's first slice) every column's statistics. */
export interface GroupLines {
  rows: number;
  /** Line r spans lineStarts[r] to lineStarts[r + 1] of `lines`, with no line end (empty for rows in `cells`). */
  lines: Buffer;
  lineStarts: Int32Array;
  /** Rows to lay out from their texts instead (a cell that needs quotes; a single column, whose empty cell is `""`). */
  cells: Map<number, Cell[]>;
  /** Over the group's every row, in its first slice; empty in the others. */
  stats: RunningStats[];
  nulls: number[];
  /** The decoded group, with its first slice (for counting its entries). */
  group?: ParquetGroup;
}

type SliceLines = Pick<GroupLines, 'rows' | 'lines' | 'lineStarts' | 'cells'>;

/** A row group, its columns' statistics (see `groupStatistics`), and the slices laid out already, by index. */
export interface ProfiledGroup {
  group: ParquetGroup;
  stats: RunningStats[];
  nulls: number[];
  laidOut: Map<number, SliceLines>;
}

/** A decoded row group as slices of lines, the group's statistics with the first. */
export function* layOutGroup({ group, stats, nulls, laidOut }: ProfiledGroup): Generator<GroupLines> {
  const bounds = group.columns.map(entryBounds);
  for (const [index, start, end] of sliceRanges(group.rows)) {
    const lines = laidOut.get(index) ?? layOutRows(group, bounds, start, end);
    yield start === 0 ? { ...lines, stats, nulls, group } : { ...lines, stats: [], nulls: [] };
  }
}

/** Every other slice laid out: what a decoding thread does, to share the laying out with its reader. */
export function layOutEvenSlices(group: ParquetGroup): Map<number, SliceLines> {
  const bounds = group.columns.map(entryBounds);
  const laidOut = new Map<number, SliceLines>();
  for (const [index, start, end] of sliceRanges(group.rows)) if (index % 2 === 0) laidOut.set(index, layOutRows(group, bounds, start, end));
  return laidOut;
}

/** Index, first row and end of each slice of a group (one, empty, for a group without rows). */
function sliceRanges(rows: number): Array<[number, number, number]> {
  const ranges: Array<[number, number, number]> = [];
  for (let start = 0; start < rows || start === 0; start += LINES_PER_SLICE) ranges.push([ranges.length, start, Math.min(rows, start + LINES_PER_SLICE)]);
  return ranges;
}

export async function* layOutGroups(groups: AsyncIterable<ProfiledGroup>): AsyncGenerator<GroupLines> {
  for await (const group of groups) yield* layOutGroup(group);
}

export async function* profileGroups(groups: AsyncIterable<ParquetGroup>): AsyncGenerator<ProfiledGroup> {
  for await (const group of groups) yield { group, ...groupStatistics(group), laidOut: new Map() };
}

/**
 * Rows start..end as lines, each row's cells' bytes copied a column at a time: one column's
 * arrays then stay in registers (measured faster than row by row).
 */
function layOutRows(group: ParquetGroup, bounds: Int32Array[], start: number, end: number): SliceLines {
  const { columns } = group;
  const width = columns.length;
  const rows = end - start;
  const cells = new Map<number, Cell[]>();
  if (width === 1) for (let r = 0; r < rows; r++) cells.set(r, []);
  else for (const { codes, quoted } of columns) if (quoted) for (let r = 0; r < rows; r++) if (codes[start + r] >= 0 && quoted[codes[start + r]]) cells.set(r, []);
  for (const [r, texts] of cells) for (const column of columns) texts.push(cellText(column, start + r));
  const lengths = new Int32Array(rows).fill(width - 1);
  for (const [c, { codes }] of columns.entries()) {
    const bound = bounds[c];
    for (let r = 0; r < rows; r++) {
      const entry = codes[start + r];
      if (entry >= 0) lengths[r] += bound[entry + 1] - bound[entry];
    }
  }
  // A plain line of two or more columns holds a comma at least: length 0 marks the rows in `cells`.
  for (const r of cells.keys()) lengths[r] = 0;
  const lineStarts = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) lineStarts[r + 1] = lineStarts[r] + lengths[r];
  const lines = Buffer.allocUnsafeSlow(lineStarts[rows]);
  const cursor = lineStarts.slice(0, rows);
  for (let c = 0; c < width; c++) {
    const { codes, bytes } = columns[c];
    const bound = bounds[c];
    for (let r = 0; r < rows; r++) {
      if (lengths[r] === 0) continue;
      let at = cursor[r];
      if (c > 0) lines[at++] = 0x2c;
      const entry = codes[start + r];
      if (entry >= 0) for (let i = bound[entry], stop = bound[entry + 1]; i < stop; i++) lines[at++] = bytes[i];
      cursor[r] = at;
    }
  }
  return { rows, lines, lineStarts, cells };
}

/**
 * Every column's nulls and numbers, from how often each entry occurs: a column holds far fewer
 * distinct numbers than cells, and counting them replaced pushing 15M numbers one by one.
 */
export function groupStatistics({ columns }: ParquetGroup): { stats: RunningStats[]; nulls: number[] } {
  const stats = columns.map(() => new RunningStats());
  const nulls = columns.map(() => 0);
  for (const [c, { codes, values, ends }] of columns.entries()) {
    if (!values) {
      // Text: only its nulls are counted.
      for (let r = 0; r < codes.length; r++) if (codes[r] < 0) nulls[c]++;
      continue;
    }
    const counts = new Uint32Array(ends.length);
    for (let r = 0; r < codes.length; r++) {
      if (codes[r] < 0) nulls[c]++;
      else counts[codes[r]]++;
    }
    for (let e = 0; e < counts.length; e++) stats[c].pushRepeated(values[e], counts[e]);
  }
  return { stats, nulls };
}

/** Where each entry of a column starts, and after the last, where it ends. */
function entryBounds({ ends }: EncodedColumn): Int32Array {
  const bounds = new Int32Array(ends.length + 1);
  bounds.set(ends, 1);
  return bounds;
}
