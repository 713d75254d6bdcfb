import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { type CountedValues, ValueCounter } from '@mldp/table';
import { sortFloat64 } from './radix-sort.js';

const BLOCK = 8192;

/** A column's numbers after collection: counted in memory, or spilled to a file of raw float64s. */
export type StoredColumn = SpilledFile | CountedValues;
export type { CountedValues };

export interface SpilledFile {
  path: string;
  count: number;
}

export function isSpilled(column: StoredColumn): column is SpilledFile {
  return 'path' in column;
}

/**
 * Columns with more distinct values than this are spilled to a file. Below it the counting table
 * stays under ~1.5 MB, so 12 columns of the sample and 10 of the reference hold at most ~33 MB.
 */
const MAX_DISTINCT = 1 << 16;

/**
 * The numbers of one column as they are read: counted by value (ValueCounter), which replaced
 * writing, reading and radix-sorting every value of every column. A column with more
 * than MAX_DISTINCT values goes to a file of raw float64s instead, loaded back one column at a
 * time when a check needs it, so check_data holds one such column of each table in memory, not
 * every column of both.
 */
export class ColumnNumbers {
  private readonly counter = new ValueCounter(MAX_DISTINCT, (counted) => this.startSpilling(counted));
  private readonly block = new Float64Array(BLOCK);
  private used = 0;
  private spillFd: number | undefined;
  count = 0;

  constructor(private readonly spillPath: string) {}

  push(value: number): void {
    this.count++;
    if (this.spillFd === undefined) {
      this.counter.push(value);
      return;
    }
    this.block[this.used++] = value;
    if (this.used === BLOCK) this.writeBlock();
  }

  /** The column's numbers: counted (and so already in order), or the file they were spilled to. */
  finish(): StoredColumn {
    const counted = this.counter.finish();
    if (counted) return counted;
    this.writeBlock();
    closeSync(this.spillFd!);
    return { path: this.spillPath, count: this.count };
  }

  /** Too many distinct values to count: what was counted goes to the file, then each block as it fills. */
  private startSpilling(counted: ValueCounter): void {
    this.spillFd = openSync(this.spillPath, 'w');
    counted.forEach((value, times) => {
      for (let n = 0; n < times; n++) {
        this.block[this.used++] = value;
        if (this.used === BLOCK) this.writeBlock();
      }
    });
  }

  private writeBlock(): void {
    const bytes = new Uint8Array(this.block.buffer, 0, this.used * 8);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.spillFd!, bytes, written, bytes.length - written);
    this.used = 0;
  }
}

/** Buffers reused from column to column, so sorting many columns does not pile up garbage. */
export class SortScratch {
  private valueBuffer = new Float64Array(0);
  private radixBuffer = new Uint32Array(0);

  values(count: number): Float64Array {
    if (this.valueBuffer.length < count) this.valueBuffer = new Float64Array(count);
    return this.valueBuffer.subarray(0, count);
  }

  radix(count: number): Uint32Array {
    if (this.radixBuffer.length < count * 2) this.radixBuffer = new Uint32Array(count * 2);
    return this.radixBuffer;
  }
}

/** Loads a column's numbers into `into` (of exactly its length), else a fresh array. */
export function loadColumn(column: StoredColumn, into?: Float64Array): Float64Array {
  const values = into ?? new Float64Array(column.count);
  if (!isSpilled(column)) {
    let at = 0;
    for (let i = 0; i < column.distinct.length; i++) {
      values.fill(column.distinct[i], at, at + column.counts[i]);
      at += column.counts[i];
    }
    return values;
  }
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const fd = openSync(column.path, 'r');
  try {
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) throw new Error(`${column.path} ends after ${read} of ${bytes.length} bytes`);
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  return values;
}

/**
 * Sorts a spilled column in its file: finite values ascending, NaN at the end, the form
 * sortedFinite takes as it is. The collector does it right after its pass, so the reference
 * (in the worker) and the sample (here) are sorted on two cores at once.
 */
export function sortSpilledColumn(file: SpilledFile, scratch: SortScratch = new SortScratch()): void {
  const values = loadColumn(file, scratch.values(file.count));
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) values[finite++] = v;
  }
  sortFloat64(values.subarray(0, finite), scratch.radix(finite));
  values.fill(Number.NaN, finite);
  const fd = openSync(file.path, 'w');
  try {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}
