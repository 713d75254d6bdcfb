import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { hashDouble } from '@mldp/table';
import { sortFloat64 } from './radix-sort.js';

const BLOCK = 8192;

/** A column's numbers after collection: counted in memory, or spilled to a file of raw float64s. */
export type StoredColumn = SpilledFile | CountedValues;

export interface SpilledFile {
  path: string;
  count: number;
}

/** Distinct values ascending (Float64Array order: -0 before 0, NaN last) with how often each occurs. */
export interface CountedValues {
  count: number;
  distinct: Float64Array;
  counts: Float64Array;
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
 * The numbers of one column as they are read. Measurements mostly repeat a limited set of values
 * (a few decimals), so they are counted by value in a hash table, a block of 8192 values at a
 * time so that one column's table stays in the cache while it is used (counting each value as
 * it came, across 13 tables, missed the cache on nearly every value: 2 s per 1M rows). That
 * replaced writing, reading and radix-sorting 80 MB per table on 1M rows x 10 columns. A column
 * with more than MAX_DISTINCT values goes to a file of raw float64s instead, loaded back one
 * column at a time when a check needs it, so check_data holds one such column of each table in
 * memory, not every column of both.
 */
export class ColumnNumbers {
  private readonly block = new Float64Array(BLOCK);
  private used = 0;
  private keys = new Float64Array(1024);
  private counts = new Uint32Array(1024);
  private distinct = 0;
  /** -0 and NaN are kept apart: `===` cannot tell -0 from 0, nor find NaN. */
  private negativeZeros = 0;
  private nans = 0;
  private spillFd: number | undefined;
  count = 0;

  constructor(private readonly spillPath: string) {}

  push(value: number): void {
    this.block[this.used++] = value;
    this.count++;
    if (this.used === BLOCK) this.drain();
  }

  /** The column's numbers: counted (and so already in order), or the file they were spilled to. */
  finish(): StoredColumn {
    this.drain();
    if (this.spillFd !== undefined) {
      closeSync(this.spillFd);
      return { path: this.spillPath, count: this.count };
    }
    const special = (this.negativeZeros ? 1 : 0) + (this.nans ? 1 : 0);
    const distinct = new Float64Array(this.distinct + special);
    let at = 0;
    for (let slot = 0; slot < this.keys.length; slot++) if (this.counts[slot] !== 0) distinct[at++] = this.keys[slot];
    if (this.negativeZeros) distinct[at++] = -0;
    if (this.nans) distinct[at++] = Number.NaN;
    distinct.sort();
    const counts = new Float64Array(distinct.length);
    for (let i = 0; i < distinct.length; i++) {
      const value = distinct[i];
      counts[i] = value !== value ? this.nans : Object.is(value, -0) ? this.negativeZeros : this.counts[this.slotOf(value)];
    }
    return { count: this.count, distinct, counts };
  }

  /** Counts (or writes out) the block. */
  private drain(): void {
    if (this.spillFd !== undefined) {
      this.write(this.block, this.used);
      this.used = 0;
      return;
    }
    const block = this.block;
    for (let i = 0; i < this.used; i++) {
      const value = block[i];
      if (value !== value) this.nans++;
      else if (value === 0 && 1 / value < 0) this.negativeZeros++;
      else {
        const slot = this.slotOf(value);
        if (this.counts[slot]++ === 0) {
          this.keys[slot] = value;
          if (++this.distinct * 2 > this.keys.length) this.grow();
        }
      }
    }
    this.used = 0;
    if (this.distinct > MAX_DISTINCT) this.startSpilling();
  }

  /** The slot holding `value`, or the empty one where it goes (count 0: its key is not a value). */
  private slotOf(value: number): number {
    const keys = this.keys;
    const counts = this.counts;
    const mask = keys.length - 1;
    let slot = hashDouble(value) & mask;
    while (counts[slot] !== 0 && keys[slot] !== value) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const [keys, counts] = [this.keys, this.counts];
    this.keys = new Float64Array(keys.length * 2);
    this.counts = new Uint32Array(keys.length * 2);
    for (let old = 0; old < keys.length; old++) {
      if (counts[old] === 0) continue;
      const slot = this.slotOf(keys[old]);
      this.keys[slot] = keys[old];
      this.counts[slot] = counts[old];
    }
  }

  /** Too many distinct values to count: what was counted goes to the file, then each block as it fills. */
  private startSpilling(): void {
    this.spillFd = openSync(this.spillPath, 'w');
    const out = new Float64Array(BLOCK);
    let used = 0;
    const put = (value: number, times: number) => {
      for (let n = 0; n < times; n++) {
        out[used++] = value;
        if (used < BLOCK) continue;
        this.write(out, used);
        used = 0;
      }
    };
    for (let slot = 0; slot < this.keys.length; slot++) put(this.keys[slot], this.counts[slot]);
    put(-0, this.negativeZeros);
    put(Number.NaN, this.nans);
    this.write(out, used);
    this.keys = new Float64Array(0);
    this.counts = new Uint32Array(0);
  }

  /** Appends `values[0, length)` to the spill file. */
  private write(values: Float64Array, length: number): void {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, length * 8);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.spillFd!, bytes, written, bytes.length - written);
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
