import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import { RowLineReader, type RowLines } from './row-lines.js';
import { Appender, SequentialReader } from './scratch-io.js';

export interface SplitFile {
  path: string;
  /** The rows to write, in order (indices into the RowLines). */
  rows: Int32Array;
}

export interface WriteOptions {
  /** Where the rows of each window are gathered when the output takes more than one window. */
  scratchDir: string;
  reporter?: Reporter;
  /** Most bytes of output held in memory at once. */
  windowBytes?: number;
}

/**
 * Writes each split's rows, in the split's order, with the header first. The output (all splits
 * one after another) is built a window of bytes at a time, each row copied to its place in the
 * window. With more than one window, one sequential pass over the input first sorts the rows'
 * lines into a scratch file per window (in input order), and each window is then filled from its
 * own file: the input is read once, memory is the window plus 8 bytes a row, and each window's
 * scattered copies stay within the window.
 */
export function writeSplitFiles(lines: RowLines, files: SplitFile[], options: WriteOptions): Array<{ rows: number; sha256: string }> {
  // Where each row's line starts in the output (-1: in no split), and where each file ends.
  const placeOf = new Float64Array(lines.rows).fill(-1);
  const fileEnds: number[] = [];
  let outputBytes = 0;
  for (const file of files) {
    const rows = file.rows;
    for (let k = 0; k < rows.length; k++) {
      placeOf[rows[k]] = outputBytes;
      outputBytes += lines.lengths[rows[k]] + 1;
    }
    fileEnds.push(outputBytes);
  }
  const windowBytes = options.windowBytes ?? defaultWindowBytes(outputBytes);
  const bounds = windowBounds(files, lines, windowBytes);
  const windows = bounds.length - 1;

  // The windows are large: written out as they are, not copied into a buffer first.
  const writers = files.map((file) => new Appender(file.path, { bufferBytes: 0, output: true }));
  let sources: string[] = [];
  try {
    sources = windows > 1 ? sortIntoWindows(lines, placeOf, bounds, options.scratchDir, windowBytes) : [];
    const header = Buffer.from(`${lines.header}\n`);
    for (const writer of writers) writer.append(header);
    let window = new Uint8Array(0);
    for (let w = 0; w < windows; w++) {
      const first = bounds[w];
      const last = bounds[w + 1];
      if (window.length < last - first) window = new Uint8Array(last - first);
      if (windows > 1) {
        fillWindowFrom(sources[w], lines, placeOf, first, last, window);
        rmSync(sources[w]);
      } else fillWindowFromRows(lines, placeOf, first, last, window);
      // Out to the files: the window's part of each split.
      for (let f = 0, start = 0; f < files.length; start = fileEnds[f++]) {
        const from = Math.max(first, start);
        const to = Math.min(last, fileEnds[f]);
        if (from < to) writers[f].append(window, from - first, to - first);
      }
      options.reporter?.progress('segregate: writing', last, outputBytes, 'bytes');
    }
    options.reporter?.endProgress();
    return writers.map((writer, f) => ({ rows: files[f].rows.length, sha256: writer.close() }));
  } catch (error) {
    for (const writer of writers) writer.abandon();
    throw error;
  } finally {
    if (windows > 1) for (const source of sources) rmSync(source, { force: true });
  }
}

/** Window boundaries in output bytes, at line starts: each window holds at most `windowBytes` (or one longer line). */
function windowBounds(files: SplitFile[], lines: RowLines, windowBytes: number): number[] {
  const bounds = [0];
  let windowStart = 0;
  let at = 0;
  for (const file of files) {
    const rows = file.rows;
    for (let k = 0; k < rows.length; k++) {
      const length = lines.lengths[rows[k]] + 1;
      if (at > windowStart && at + length - windowStart > windowBytes) bounds.push((windowStart = at));
      at += length;
    }
  }
  if (at > windowStart) bounds.push(at);
  return bounds;
}

/**
 * One pass over the input: each row's line is appended (without its line end) to the scratch
 * file of the window its output place falls in. Returns the files, one per window.
 */
function sortIntoWindows(lines: RowLines, placeOf: Float64Array, bounds: number[], scratchDir: string, windowBytes: number): string[] {
  const paths = bounds.slice(1).map((_, w) => join(scratchDir, `window-${w}.lines`));
  const buckets = paths.map((path) => new Appender(path, { bufferBytes: Math.min(1 << 20, Math.max(4096, windowBytes >> 2)) }));
  const input = new RowLineReader(lines);
  try {
    for (let row = 0; row < lines.rows; row++) {
      const place = placeOf[row];
      if (place < 0) continue;
      const start = input.at(row);
      buckets[windowOf(bounds, place)].append(input.chunk, start, start + lines.lengths[row]);
    }
  } finally {
    input.close();
    for (const bucket of buckets) bucket.close();
  }
  return paths;
}

/** The window [bounds[w], bounds[w + 1]) holding `place` (binary search). */
function windowOf(bounds: number[], place: number): number {
  let low = 0;
  let high = bounds.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (bounds[middle] <= place) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Copies the rows whose output place is in [first, last) into the window, read from the rows' own lines. */
function fillWindowFromRows(lines: RowLines, placeOf: Float64Array, first: number, last: number, window: Uint8Array): void {
  const source = new RowLineReader(lines);
  try {
    for (let row = 0; row < lines.rows; row++) {
      const place = placeOf[row];
      if (place < first || place >= last) continue;
      const start = source.at(row);
      copyLine(source.chunk, start, lines.lengths[row], window, place - first);
    }
  } finally {
    source.close();
  }
}

/** The same from the window's scratch file, which holds exactly those rows' lines back to back, in row order. */
function fillWindowFrom(path: string, lines: RowLines, placeOf: Float64Array, first: number, last: number, window: Uint8Array): void {
  const source = new SequentialReader(path);
  try {
    let next = 0;
    for (let row = 0; row < lines.rows; row++) {
      const place = placeOf[row];
      if (place < first || place >= last) continue;
      const length = lines.lengths[row];
      const start = source.at(next, length);
      next += length;
      copyLine(source.chunk, start, length, window, place - first);
    }
  } finally {
    source.close();
  }
}

/** A line and its line end into the window. */
function copyLine(chunk: Uint8Array, start: number, length: number, window: Uint8Array, at: number): void {
  // set(subarray) measured faster than Buffer#copy and than a byte loop for these short lines.
  window.set(chunk.subarray(start, start + length), at);
  window[at + length] = 10;
}

/** An eighth of the output per window, between 16 and 128 MB. */
function defaultWindowBytes(outputBytes: number): number {
  return Math.min(128 << 20, Math.max(16 << 20, Math.ceil(outputBytes / 8)));
}
