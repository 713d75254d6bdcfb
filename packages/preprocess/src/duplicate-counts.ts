import { ByteLabels, type ColumnCounts, type ColumnType, type CountedValues, ValueCounter, subtractCounts } from '@mldp/table';
import type { ColumnProfile } from './column-profile.js';

/**
 * The cells of the rows preprocess drops as duplicates, counted, to take out of the profile's
 * counts (made over every row). Only text cells are tallied as labels (numbers are counted by
 * value): the profile keeps labels only for text columns, and a text column whose duplicates
 * show a number before any text cannot have its labels taken out, so it goes without them.
 */
export class DuplicateCounts {
  private readonly numbers: Array<ValueCounter | undefined>;
  private readonly labels: Array<ByteLabels | undefined>;
  private readonly untallied: boolean[];
  private readonly nulls: number[];

  constructor(width: number) {
    this.numbers = new Array(width).fill(undefined);
    this.labels = new Array(width).fill(undefined);
    this.untallied = new Array<boolean>(width).fill(false);
    this.nulls = new Array<number>(width).fill(0);
  }

  takeNull(column: number): void {
    this.nulls[column]++;
  }

  takeNumber(column: number, value: number, bytes: Uint8Array, start: number, end: number): void {
    (this.numbers[column] ??= new ValueCounter()).push(value);
    const labels = this.labels[column];
    if (labels) labels.tally(bytes, start, end);
    else this.untallied[column] = true;
  }

  takeText(column: number, bytes: Uint8Array, start: number, end: number): void {
    (this.labels[column] ??= new ByteLabels()).tally(bytes, start, end);
  }

  /** Column `c`'s counts in the profile, less the duplicates'. */
  subtractFrom(profile: Required<ColumnProfile>, c: number, name: string, type: ColumnType, nulls: number): ColumnCounts {
    const column: ColumnCounts = { name, type, nulls };
    const numbers = profile.numbers[c];
    if (numbers) column.numbers = subtractCounts(numbers, this.numbers[c]?.finish() ?? EMPTY);
    const labels = profile.labels[c];
    if (labels && !this.untallied[c]) column.labels = this.withoutLabels(labels, c);
    return column;
  }

  /** Each of the duplicates' labels is among the profile's: it repeats a kept row. */
  private withoutLabels(counts: Map<string, number>, c: number): Map<string, number> {
    const kept = new Map(counts);
    if (this.nulls[c]) kept.set('', kept.get('')! - this.nulls[c]);
    const taken = this.labels[c];
    taken?.labels.forEach((label, id) => kept.set(label, kept.get(label)! - taken.counts[id]));
    return kept;
  }
}

const EMPTY: CountedValues = { count: 0, distinct: new Float64Array(0), counts: new Float64Array(0) };
