import { ByteLabels, type CellBytesScan, isNumberScan, type ColumnType, type CountedValues, type ParquetGroup, ValueCounter, entryStart, scanCellBytes } from '@mldp/table';

/** Text columns with more distinct cells than this get no label counts (they are not class columns). */
export const MAX_LABELS = 4096;

/**
 * The most distinct numbers counted across all columns (tables of 24-96 MB): past it the column
 * with the most is no longer counted, so a table of unique floats cannot take preprocess's
 * memory past ~100 MB more. The two counters of a table share it by their columns. The bench's
 * 10M rows hold 0.5M distinct durations.
 */
export const MAX_COUNTED = 1 << 21;

/** Counts each column's numbers and labels within the limits above. */
export class ProfileCounters {
  readonly numbers: ValueCounter[];
  readonly labels: Array<ByteLabels | undefined>;

  /** Text seen in a column (main-thread counting, `countCell`): a later number does not drop its labels. */
  private readonly sawText: boolean[];
  private readonly budget: number;

  /** Counters for columns [from, to) of a table `width` columns wide; the others are not counted. */
  constructor(
    width: number,
    readonly from = 0,
    readonly to = width,
  ) {
    // Blocks of at most 2^20 values in all (8 MB), however many columns.
    const blockSize = Math.min(8192, 2 ** Math.max(8, Math.floor(Math.log2((1 << 20) / Math.max(1, to - from)))));
    this.numbers = Array.from({ length: width }, (_, c) => (c >= from && c < to ? new ValueCounter(Infinity, undefined, blockSize) : abandoned()));
    this.labels = Array.from({ length: width }, (_, c) => (c >= from && c < to ? new ByteLabels() : undefined));
    this.sawText = new Array<boolean>(width).fill(false);
    this.budget = Math.ceil((MAX_COUNTED * (to - from)) / Math.max(1, width));
  }

  /**
   * One non-null or null cell of column `c` (of a kept row: preprocess's main thread counts some
   * columns of the rows it keeps). Numbers are counted; text columns get labels unless a number
   * comes before their first text, as in the profile.
   */
  countCell(c: number, bytes: Uint8Array, start: number, end: number, scan: CellBytesScan): void {
    const labels = this.labels[c];
    // After its first text the column is text: its numbers no longer matter, only its labels.
    if (start !== end && !this.sawText[c]) {
      scanCellBytes(bytes, start, end, scan);
      if (isNumberScan(scan)) {
        this.numbers[c].push(scan.value);
        this.labels[c] = undefined; // a number before any text: not a class column
        return;
      }
      this.sawText[c] = true;
    }
    if (!labels) return;
    labels.tally(bytes, start, end);
    if (labels.labels.length > MAX_LABELS) this.labels[c] = undefined;
  }

  /** Called every few thousand rows: drops the largest counters while over the budget. */
  enforceBudget(): void {
    let total = this.numbers.reduce((sum, counter) => sum + counter.distinct, 0);
    while (total > this.budget) {
      const largest = this.numbers.reduce((a, b) => (b.distinct > a.distinct ? b : a));
      total -= largest.distinct;
      largest.abandon();
    }
  }

  /** Counts a Parquet row group's columns of the given types from each entry's count. */
  addGroup({ rows, columns }: ParquetGroup, types: ColumnType[]): void {
    for (const [c, column] of columns.entries()) {
      const { codes, values, ends } = column;
      if (types[c] === 'int' || types[c] === 'float') {
        // Numbers read by hyparquet's row reader (decimals, unsigned) come as text only: not counted.
        if (!values) this.numbers[c].abandon();
        else {
          const counts = new Uint32Array(ends.length);
          for (let r = 0; r < rows; r++) if (codes[r] >= 0) counts[codes[r]]++;
          for (let e = 0; e < counts.length; e++) this.numbers[c].add(values[e], counts[e]);
        }
      }
      const labels = this.labels[c];
      if (!labels || types[c] !== 'string') continue;
      // Each entry's label is looked up once, at its first row: labels keep the order rows show them.
      const ids = new Int32Array(ends.length + 1).fill(-1);
      for (let r = 0; r < rows; r++) {
        const slot = codes[r] + 1;
        if (ids[slot] < 0) ids[slot] = codes[r] < 0 ? labels.idOf(column.bytes, 0, 0) : labels.idOf(column.bytes, entryStart(column, codes[r]), ends[codes[r]]);
        labels.counts[ids[slot]]++;
      }
      if (labels.labels.length > MAX_LABELS) this.labels[c] = undefined;
    }
    this.enforceBudget();
  }

  /** The counts of the columns of these final types: numbers of int and float, labels of string columns. */
  finish(types: ColumnType[]): { numbers: Array<CountedValues | undefined>; labels: Array<Map<string, number> | undefined> } {
    return {
      numbers: this.numbers.map((counter, c) => (types[c] === 'int' || types[c] === 'float' ? counter.finish() : undefined)),
      labels: this.labels.map((labels, c) => (labels && types[c] === 'string' ? new Map(labels.labels.map((label, id) => [label, labels.counts[id]])) : undefined)),
    };
  }
}


function abandoned(): ValueCounter {
  const counter = new ValueCounter(0);
  counter.abandon();
  return counter;
}
