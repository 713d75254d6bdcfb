import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { sortFloat64 } from './radix-sort.js';

const BLOCK = 8192;

/**
 * The numbers of one column, appended to a file of raw float64s as they are read and loaded
 * back one column at a time when a check needs them. So check_data holds one column of each
 * table in memory, not every column of both: at 1M rows x 10 columns x 2 tables that is 16 MB
 * instead of 160 MB (and 160 MB instead of 1.6 GB at 10M rows).
 */
export class SpilledColumn {
  private readonly fd: number;
  private readonly block = new Float64Array(BLOCK);
  private used = 0;
  count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  push(value: number): void {
    this.block[this.used++] = value;
    this.count++;
    if (this.used === BLOCK) this.flush();
  }

  /** Writes what is buffered and closes the file; the column can then be loaded. */
  finish(): { path: string; count: number } {
    this.flush();
    closeSync(this.fd);
    return { path: this.path, count: this.count };
  }

  private flush(): void {
    const bytes = new Uint8Array(this.block.buffer, 0, this.used * 8);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
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

/** Reads a spilled column into `into` (of exactly its length), else a fresh array. */
export function loadSpilledColumn(file: { path: string; count: number }, into?: Float64Array): Float64Array {
  const values = into ?? new Float64Array(file.count);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const fd = openSync(file.path, 'r');
  try {
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) throw new Error(`${file.path} ends after ${read} of ${bytes.length} bytes`);
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
export function sortSpilledColumn(file: { path: string; count: number }, scratch: SortScratch = new SortScratch()): void {
  const values = loadSpilledColumn(file, scratch.values(file.count));
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
