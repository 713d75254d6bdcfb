import { SequentialReader } from './scratch-io.js';

/**
 * Where each row's CSV line, as pandas would write it, is: the rows of a table in row order, so
 * that the splits can be written in any order by reading them back.
 */
export interface RowLines {
  /** The file holding the lines (the input itself, or a canonical copy in the work dir). */
  path: string;
  /** Lines of records with quotes, re-quoted as pandas quotes them, one after another. */
  quotedPath: string;
  /** The header line, as written at the top of every split. */
  header: string;
  rows: number;
  /**
   * Row i's line is `lengths[i]` bytes (without its line end) at `offsets[i]` of `path`, or for a
   * negative offset at `-offsets[i] - 1` of `quotedPath`.
   */
  offsets: Float64Array;
  lengths: Uint32Array;
}

/** Reads rows' lines, asked for in increasing row order, from the two files of RowLines. */
export class RowLineReader {
  private readonly plain: SequentialReader;
  private readonly quoted: SequentialReader;
  /** The chunk holding the line `at` found last. */
  chunk = new Uint8Array(0);

  constructor(private readonly lines: RowLines) {
    this.plain = new SequentialReader(lines.path);
    this.quoted = new SequentialReader(lines.quotedPath);
  }

  /** Makes row's line available in `chunk`; returns where it starts there. */
  at(row: number): number {
    const offset = this.lines.offsets[row];
    const source = offset >= 0 ? this.plain : this.quoted;
    const start = source.at(offset >= 0 ? offset : -offset - 1, this.lines.lengths[row]);
    this.chunk = source.chunk;
    return start;
  }

  close(): void {
    this.plain.close();
    this.quoted.close();
  }
}

/**
 * The first `length` items: a view when the array is nearly full, else a copy, so that neither a
 * copy of a full array nor a mostly empty one is kept while the step runs on.
 */
export function trimmed<T extends Float64Array | Uint32Array | Int32Array>(array: T, length: number): T {
  return (length * 4 >= array.length * 3 ? array.subarray(0, length) : array.slice(0, length)) as T;
}

/** Collects rows' line positions as a scan finds them. */
export class RowLinesBuilder {
  private offsets = new Float64Array(1 << 14);
  private lengths = new Uint32Array(1 << 14);
  private rows = 0;

  add(offset: number, length: number): void {
    if (this.rows === this.offsets.length) {
      const offsets = new Float64Array(this.rows * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const lengths = new Uint32Array(this.rows * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.offsets[this.rows] = offset;
    this.lengths[this.rows++] = length;
  }

  get count(): number {
    return this.rows;
  }

  finish(path: string, quotedPath: string, header: string): RowLines {
    return { path, quotedPath, header, rows: this.rows, offsets: trimmed(this.offsets, this.rows), lengths: trimmed(this.lengths, this.rows) };
  }
}
