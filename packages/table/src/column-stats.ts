import type { ColumnType } from './types.js';

export interface ColumnSummary {
  name: string;
  type: ColumnType;
  nulls: number;
  /** Numeric columns only. `std` is the sample standard deviation (ddof=1), as pandas. */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
}

/**
 * Running min, max, mean and variance (Welford's algorithm). simple-statistics needs the whole
 * column in memory; a 10M-row file would then hold ~80 MB per numeric column, so summaries are
 * accumulated in one pass instead (the tests check them against simple-statistics).
 */
export class RunningStats {
  count = 0;
  min = Infinity;
  max = -Infinity;
  private mean = 0;
  private m2 = 0;

  /** As plain data, to cross a worker thread. */
  toJSON(): { count: number; min: number; max: number; mean: number; m2: number } {
    return { count: this.count, min: this.min, max: this.max, mean: this.mean, m2: this.m2 };
  }

  static fromJSON(data: { count: number; min: number; max: number; mean: number; m2: number }): RunningStats {
    return Object.assign(new RunningStats(), data);
  }

  /**
   * The statistics of these values without `removed`, a sub-multiset of them whose every value
   * also stays among the rest (so min and max stand): Chan et al.'s merge formula run backwards.
   */
  without(removed: RunningStats): RunningStats {
    if (removed.count === 0) return this;
    const kept = new RunningStats();
    kept.count = this.count - removed.count;
    kept.min = this.min;
    kept.max = this.max;
    if (kept.count === 0) return new RunningStats();
    kept.mean = (this.count * this.mean - removed.count * removed.mean) / kept.count;
    const delta = removed.mean - kept.mean;
    kept.m2 = Math.max(0, this.m2 - removed.m2 - (delta * delta * kept.count * removed.count) / this.count);
    return kept;
  }

  push(x: number): void {
    if (Number.isNaN(x)) return;
    this.count++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }

  /** Adds `other`'s values (Chan et al.'s merge of two parts). */
  merge(other: RunningStats): void {
    if (other.count === 0) return;
    const count = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / count;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / count;
    this.count = count;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /** `times` copies of x at once: Chan et al.'s merge with a block of equal values. */
  pushRepeated(x: number, times: number): void {
    if (times === 0 || Number.isNaN(x)) return;
    const count = this.count + times;
    const delta = x - this.mean;
    this.mean += (delta * times) / count;
    this.m2 += (delta * delta * this.count * times) / count;
    this.count = count;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  summary(): Pick<ColumnSummary, 'min' | 'max' | 'mean' | 'std'> {
    if (this.count === 0) return {};
    return {
      min: this.min,
      max: this.max,
      mean: this.mean,
      std: this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : undefined,
    };
  }
}

/** Keeps nulls and numeric summaries of each column of a table being written. */
export class TableStats {
  private readonly stats: RunningStats[];
  private readonly nulls: number[];

  constructor(
    readonly columns: readonly string[],
    readonly types: readonly ColumnType[],
    stats?: RunningStats[],
    nulls?: number[],
  ) {
    this.stats = columns.map((_, c) => stats?.[c] ?? new RunningStats());
    this.nulls = columns.map((_, c) => nulls?.[c] ?? 0);
  }

  /** Summaries accumulated elsewhere (while the types were still being inferred). */
  static fromParts(columns: readonly string[], types: readonly ColumnType[], nulls: number[], stats: RunningStats[]): TableStats {
    return new TableStats(columns, types, stats, nulls);
  }

  /** Takes a row of canonical cells (as written). */
  push(row: readonly (string | null)[]): void {
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (cell === null) this.nulls[c]++;
      else if (this.types[c] === 'int' || this.types[c] === 'float') this.stats[c].push(Number(cell));
    }
  }

  summaries(): ColumnSummary[] {
    return this.columns.map((name, c) => {
      const type = this.types[c];
      const numeric = type === 'int' || type === 'float' ? this.stats[c].summary() : {};
      return { name, type, nulls: this.nulls[c], ...numeric };
    });
  }
}
