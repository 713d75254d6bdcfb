import { runInWorker } from '@mldp/runtime';
import { RunningStats } from './column-stats.js';
import { DataError } from './errors.js';
import type { EncodedColumn } from './encoded-column.js';
import type { ProfiledGroup } from './group-lines.js';
import type { ParquetGroup } from './parquet-reader.js';

const WORKER = new URL('./parquet-worker.js', import.meta.url);
/** Row groups the worker decodes ahead of the reader: enough to keep it busy, few enough to bound memory. */
const AHEAD = 1;

/** What the worker does: decode the selected columns' row groups, `ahead` of the reader at most. */
export interface BackgroundJob {
  path: string;
  selected: string[];
  ahead: number;
}

/**
 * The row groups of the selected columns, decoded and profiled in a worker thread a group ahead
 * of the caller, with every other slice of lines laid out (group-lines.ts); the caller lays out
 * the rest, and uses them. Decoding, laying out and deduplicating take comparable times, so
 * the two threads share them; a second decoding thread measured no faster on two cores.
 */
export async function* readGroupsInBackground(path: string, selected: string[], groups: number, onGroup?: (done: number) => void): AsyncGenerator<ProfiledGroup> {
  const job: BackgroundJob = { path, selected, ahead: AHEAD };
  const worker = runInWorker<ProfiledGroup>(WORKER, { task: `reading ${path}: decoding its row groups`, data: job, errorTypes: [DataError] });
  try {
    for (let index = 0; index < groups; index++) {
      const profiled = await worker.next();
      worker.post('more');
      yield revive(profiled);
      onGroup?.(index + 1);
    }
  } finally {
    await worker.stop();
  }
}

/**
 * The arrays to move, not copy, to the other thread: those that own their whole ArrayBuffer
 * (a small Buffer is a view into a shared pool, which must not be moved).
 */
export function transferablesOf(group: ParquetGroup): ArrayBuffer[] {
  return owned(group.columns.flatMap((column) => [column.bytes, column.ends, column.codes, column.values, column.quoted]));
}

export function owned(arrays: Array<ArrayBufferView | undefined>): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const array of arrays) {
    if (array && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength && !buffers.includes(array.buffer as ArrayBuffer)) buffers.push(array.buffer as ArrayBuffer);
  }
  return buffers;
}

/** Statistics arrive as plain data, and a Buffer as a plain Uint8Array. */
function revive({ group, stats, nulls, laidOut }: ProfiledGroup): ProfiledGroup {
  const columns: EncodedColumn[] = group.columns.map((column) => ({ ...column, bytes: toBuffer(column.bytes) }));
  for (const slice of laidOut.values()) slice.lines = toBuffer(slice.lines);
  return { group: { rows: group.rows, columns }, stats: (stats as unknown as Array<ReturnType<RunningStats['toJSON']>>).map((s) => RunningStats.fromJSON(s)), nulls, laidOut };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
