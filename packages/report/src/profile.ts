import type { ColumnCounts, TableCounts } from '@mldp/table';

/** One column of a table artifact's data profile (W&B Tables' column summary). */
export interface ColumnProfile {
  name: string;
  type: string;
  rows: number;
  nulls: number;
  distinct?: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Numeric columns: equal-width bins over [min, max] (the last bin holds max). */
  histogram?: { edges: number[]; counts: number[] };
  /** Text columns with few distinct cells: the most frequent, most first, with the rest summed. */
  top?: { values: Array<{ value: string; count: number }>; others: number };
}

/** The statistics preprocess recorded in a version's metadata (`columns`). */
export interface RecordedColumnStats {
  name: string;
  type?: string;
  nulls?: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
}

export const HISTOGRAM_BINS = 20;
export const TOP_VALUES = 8;

/**
 * A table's profile from the counts preprocess recorded (values with how often each occurs) and
 * the statistics it recorded in the version's metadata: min, max, mean and std are the recorded
 * ones (the numbers `artifacts show` prints), else computed from the counts.
 */
export function profileTable(counts: TableCounts, recorded: RecordedColumnStats[] = []): ColumnProfile[] {
  const stats = new Map(recorded.map((c) => [c.name, c]));
  return counts.columns.map((column) => profileColumn(column, counts.rows, stats.get(column.name)));
}

function profileColumn(column: ColumnCounts, rows: number, recorded: RecordedColumnStats | undefined): ColumnProfile {
  const profile: ColumnProfile = { name: column.name, type: column.type, rows, nulls: column.nulls };
  if (column.numbers) {
    Object.assign(profile, numberStats(column.numbers.distinct, column.numbers.counts));
    profile.histogram = histogram(column.numbers.distinct, column.numbers.counts, HISTOGRAM_BINS);
  }
  if (recorded && typeof recorded.min === 'number') Object.assign(profile, { min: recorded.min, max: recorded.max, mean: recorded.mean, std: recorded.std });
  if (column.labels && !column.numbers) {
    const entries = [...column.labels].filter(([label]) => label !== '' || column.nulls === 0);
    profile.distinct = entries.length;
    // Most frequent first; ties in order of first appearance (a stable sort keeps it).
    const sorted = entries.map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
    const values = sorted.slice(0, TOP_VALUES);
    profile.top = { values, others: sorted.slice(TOP_VALUES).reduce((sum, v) => sum + v.count, 0) };
  }
  return profile;
}

/** Exact statistics of counted values (NaN, the nulls of a float column, left out). */
export function numberStats(distinct: ArrayLike<number>, counts: ArrayLike<number>): Pick<ColumnProfile, 'distinct' | 'min' | 'max' | 'mean' | 'std'> {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let kinds = 0;
  for (let i = 0; i < distinct.length; i++) {
    const value = distinct[i];
    if (Number.isNaN(value)) continue;
    kinds++;
    n += counts[i];
    sum += value * counts[i];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (n === 0) return { distinct: 0 };
  const mean = sum / n;
  // Two passes over the distinct values: the squared deviations from the mean, as pandas' std (ddof=1).
  let squares = 0;
  for (let i = 0; i < distinct.length; i++) if (!Number.isNaN(distinct[i])) squares += counts[i] * (distinct[i] - mean) ** 2;
  return { distinct: kinds, min, max, mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : undefined };
}

/** Equal-width bins over [min, max] of counted values; the last bin is closed, as numpy's histogram. */
export function histogram(distinct: ArrayLike<number>, counts: ArrayLike<number>, bins: number): { edges: number[]; counts: number[] } | undefined {
  const values: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < distinct.length; i++) {
    if (Number.isNaN(distinct[i]) || !Number.isFinite(distinct[i])) continue;
    values.push(distinct[i]);
    weights.push(counts[i]);
  }
  if (values.length === 0) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const n = min === max ? 1 : bins;
  const width = (max - min) / n;
  const edges = Array.from({ length: n + 1 }, (_, i) => (i === n ? max : min + i * width));
  const binCounts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = width === 0 ? 0 : Math.min(n - 1, Math.floor((values[i] - min) / width));
    binCounts[bin] += weights[i];
  }
  return { edges, counts: binCounts };
}
