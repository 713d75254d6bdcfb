import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { type GroupLines, layOutGroups, profileGroups } from './group-lines.js';
import { readGroupsInBackground } from './parquet-background.js';
import { openParquet, readParquetGroups } from './parquet-reader.js';
import { openTable } from './table.js';

// The worker thread runs the built dist/parquet-worker.js (vitest.build-first.ts builds it first).

async function writeGroups(path: string, rows: number, rowGroupSize: number): Promise<void> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  parquetWriteFile({
    filename: path,
    columnData: [
      { name: 'x', type: 'DOUBLE', data: Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : i / 7)) },
      { name: 'text', type: 'STRING', data: Array.from({ length: rows }, (_, i) => ['a, b', 'say "hi"', 'café', '', 'two\nlines'][i % 5]) },
      { name: 'n', type: 'INT64', data: Array.from({ length: rows }, (_, i) => BigInt(i * 3 - 100)) },
    ] as never,
    rowGroupSize,
  });
}

/** Every slice as what a CSV writer gets from it: its lines' text, its cell rows, its statistics. */
async function slicesOf(groups: AsyncIterable<GroupLines>) {
  const slices = [];
  for await (const slice of groups) {
    const lines = Array.from({ length: slice.rows }, (_, r) => slice.lines.subarray(slice.lineStarts[r], slice.lineStarts[r + 1]).toString());
    slices.push({ rows: slice.rows, lines, cells: [...slice.cells], stats: slice.stats.map((s) => s.toJSON()), nulls: slice.nulls });
  }
  return slices;
}

describe('row groups decoded in a worker thread', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('lays out the same lines and statistics as decoding on the calling thread', async () => {
    const path = join(dir.path, 'groups.parquet');
    await writeGroups(path, 40_000, 9_000);
    const layout = await openParquet(path);
    expect(layout.rowGroups.length).toBe(5);
    const here = await slicesOf(layOutGroups(profileGroups(readParquetGroups(path, layout, ['text', 'x', 'n']))));
    const inWorker = await slicesOf((await openTable(path, { select: ['text', 'x', 'n'] })).lineGroups!());
    expect(inWorker.reduce((sum, slice) => sum + slice.rows, 0)).toBe(40_000);
    expect(inWorker).toEqual(here);
  });

  it("rethrows the worker's DataError when a row group is damaged, and stops the worker", async () => {
    const path = join(dir.path, 'damaged.parquet');
    await writeGroups(path, 40_000, 9_000);
    const layout = await openParquet(path);
    const bytes = readFileSync(path);
    // The footer stays readable; the pages of the later groups do not.
    bytes.fill(0x7f, layout.rowGroups[2].start, bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8) - 1);
    writeFileSync(path, bytes);
    const taken: number[] = [];
    const reading = (async () => {
      for await (const group of readGroupsInBackground(path, ['x', 'text', 'n'], layout.rowGroups.length)) taken.push(group.group.rows);
    })();
    const error = await reading.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code: 'E_PARQUET_CORRUPT' });
    expect((error as Error).message).toContain(path);
    expect(taken.length).toBeLessThan(layout.rowGroups.length);
  });
});
