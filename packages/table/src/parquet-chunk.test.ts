import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunningStats } from './column-stats.js';
import { formatCsvLine } from './csv-writer.js';
import { formatPythonFloat, formatPythonFloat32 } from './float-format.js';
import { layOutGroups, profileGroups } from './group-lines.js';
import { openParquet, readParquetGroups } from './parquet-reader.js';
import { openTable } from './table.js';
import type { Cell } from './types.js';

const DATA = join(import.meta.dirname, '../../../data');

/**
 * What pandas writes for a value hyparquet decoded: the oracle for mldp's own page decoding.
 * pyarrow hands pandas an integer column that holds a null as float64 (`1.0`).
 */
function expectedCell(value: unknown, physical: string | undefined, columnHoldsNull = false): Cell {
  if (value === null || value === undefined) return null;
  if ((physical === 'INT32' || physical === 'INT64') && columnHoldsNull) return formatPythonFloat(Number(value));
  if (physical === 'DOUBLE') return Number.isNaN(value) ? null : formatPythonFloat(Number(value));
  // pandas writes a float32 column with the fewest digits that read back as the same float32.
  if (physical === 'FLOAT') return Number.isNaN(value) ? null : formatPythonFloat32(Number(value));
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** Every row as text, read by hyparquet's row reader and formatted as pandas writes CSV. */
async function expectedRows(path: string): Promise<{ columns: string[]; rows: Cell[][] }> {
  const file = await asyncBufferFromFile(path);
  const layout = await openParquet(path);
  const physical = new Map(layout.metadata.schema.map((element) => [element.name, element.type]));
  const objects = await parquetReadObjects({ file, compressors, columns: layout.columns });
  const holdsNull = new Set(layout.columns.filter((name) => objects.some((row) => row[name] === null || row[name] === undefined)));
  return { columns: layout.columns, rows: objects.map((row) => layout.columns.map((name) => expectedCell(row[name], physical.get(name), holdsNull.has(name)))) };
}

async function actualRows(path: string): Promise<Cell[][]> {
  const reader = await openTable(path);
  const rows: Cell[][] = [];
  for await (const batch of reader.batches()) rows.push(...batch);
  return rows;
}

// Texts meant to trip a byte-level decoder: quotes, commas, line breaks, multi-byte characters, empty text.
const TEXTS = ['plain', 'a, b', 'say "hi"', 'two\nlines', 'cr\rhere', 'café', '日本語', '', 'emoji 🎵', 'x'];

function sampleColumns(rows: number) {
  const pick = <T>(values: T[], i: number, every: number) => (i % every === 0 ? null : values[(i * 7) % values.length]);
  const floats = [0.1, 1e-5, -0, 0, 1.5e16, 123.456, -2.5, Number.NaN, 1 / 3, 5e-324];
  return {
    x: Array.from({ length: rows }, (_, i) => pick(floats, i, 11)),
    wide: Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : i * 0.001 + 0.5)),
    n: Array.from({ length: rows }, (_, i) => pick([1n, -4n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n, 0n, 1234567890123n], i, 5)),
    small: Array.from({ length: rows }, (_, i) => (i % 9 === 0 ? null : (i % 7) - 3)),
    f32: Float32Array.from({ length: rows }, (_, i) => i / 8 + 0.1),
    text: Array.from({ length: rows }, (_, i) => pick(TEXTS, i, 6)),
    unique: Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? null : `id-${i}`)),
    flag: Array.from({ length: rows }, (_, i) => (i % 10 === 0 ? null : i % 3 === 0)),
  };
}

describe('Parquet pages decoded into CSV text', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it.each(['genres_mod1.parquet', 'genres_mod2.parquet'])('gives the same cells as hyparquet on %s (pyarrow, v1 pages)', async (name) => {
    const path = join(DATA, name);
    const expected = await expectedRows(path);
    expect(await actualRows(path)).toEqual(expected.rows);
  });

  it.each([
    ['dictionary and plain pages, many small pages, small row groups', { rowGroupSize: 700, pageSize: 512 }, {}],
    ['one row group, default pages', { rowGroupSize: 5000 }, {}],
    ['plain encoding only', { rowGroupSize: 1200 }, { x: 'PLAIN', n: 'PLAIN', text: 'PLAIN', small: 'PLAIN' }],
    ['delta and byte-stream-split encodings', { rowGroupSize: 1500, pageSize: 2048 }, { n: 'DELTA_BINARY_PACKED', small: 'DELTA_BINARY_PACKED', wide: 'BYTE_STREAM_SPLIT', unique: 'DELTA_BYTE_ARRAY', text: 'DELTA_LENGTH_BYTE_ARRAY' }],
  ])('gives the same cells as hyparquet with %s', async (_, options, encodings: Record<string, string>) => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const path = join(dir.path, 'sample.parquet');
    const data = sampleColumns(5000);
    const types: Record<string, string> = { x: 'DOUBLE', wide: 'DOUBLE', n: 'INT64', small: 'INT32', f32: 'FLOAT', text: 'STRING', unique: 'STRING', flag: 'BOOLEAN' };
    parquetWriteFile({
      filename: path,
      columnData: Object.entries(data).map(([name, values]) => ({ name, type: types[name], data: values, encoding: encodings[name] })) as never,
      ...options,
    });
    const expected = await expectedRows(path);
    const actual = await actualRows(path);
    expect(actual.length).toBe(5000);
    expect(actual).toEqual(expected.rows);
  });

  it('types timestamps marked only by their logical type as text, and decimals as floats', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const path = join(dir.path, 'typed.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'ts', data: [1577836800000000000n, null, 1577836801500000000n] },
        { name: 'price', data: [12.34, -0.05, null] },
        { name: 'n', data: [1n, 2n, 3n] },
      ],
      // pyarrow marks nanosecond timestamps with the logical type alone.
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'ts', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } },
        { name: 'price', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', scale: 2, precision: 9 },
        { name: 'n', type: 'INT64', repetition_type: 'REQUIRED' },
      ],
    });
    const reader = await openTable(path);
    expect(reader.declaredTypes).toEqual(['string', 'float', 'int']);
    expect(await actualRows(path)).toEqual([
      ['2020-01-01T00:00:00.000Z', '12.34', '1'],
      [null, '-0.05', '2'],
      ['2020-01-01T00:00:01.500Z', null, '3'],
    ]);
  });

  // pandas.read_parquet hands pyarrow's table to pandas: an integer column holding a null is
  // float64 and a boolean one object, so to_csv writes `1.0` and `True`; without nulls they stay.
  it.each([true, false])('types integer and boolean columns as pandas holds them after pyarrow (statistics written: %s)', async (statistics) => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const path = join(dir.path, `nulls-${statistics}.parquet`);
    parquetWriteFile({
      filename: path,
      statistics,
      rowGroupSize: 2,
      columnData: [
        { name: 'n', type: 'INT64', data: [1n, 9007199254740993n, 3n, null] },
        { name: 'full', type: 'INT32', data: [1, 2, 3, 4] },
        { name: 'flag', type: 'BOOLEAN', data: [true, false, null, true] },
        { name: 'ok', type: 'BOOLEAN', data: [true, false, true, true] },
      ],
    } as never);
    const reader = await openTable(path);
    expect(reader.declaredTypes).toEqual(['float', 'int', 'string', 'bool']);
    expect(await actualRows(path)).toEqual([
      ['1.0', '1', 'True', 'True'],
      ['9007199254740992.0', '2', 'False', 'False'],
      ['3.0', '3', null, 'True'],
      [null, '4', 'True', 'True'],
    ]);
    const lines: string[] = [];
    for await (const slice of layOutGroups(profileGroups(readParquetGroups(path, await openParquet(path), reader.columns)))) {
      for (let r = 0; r < slice.rows; r++) lines.push(slice.lines.toString('utf8', slice.lineStarts[r], slice.lineStarts[r + 1]));
    }
    expect(lines).toEqual(['1.0,1,True,True', '9007199254740992.0,2,False,False', '3.0,3,,True', ',4,True,True']);
  });

  it('lays rows out as the CSV lines pandas writes, with every column statistics', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const path = join(dir.path, 'lines.parquet');
    const data = sampleColumns(3000);
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'x', type: 'DOUBLE', data: data.x },
        { name: 'n', type: 'INT64', data: data.n },
        { name: 'text', type: 'STRING', data: data.text },
      ],
      rowGroupSize: 1000,
    });
    const expected = await expectedRows(path);
    const layout = await openParquet(path);
    const lines: string[] = [];
    const stats = [new RunningStats(), new RunningStats(), new RunningStats()];
    const nulls = [0, 0, 0];
    for await (const slice of layOutGroups(profileGroups(readParquetGroups(path, layout, layout.columns)))) {
      for (let r = 0; r < slice.rows; r++) {
        const cells = slice.cells.get(r);
        lines.push(cells ? formatCsvLine(cells) : slice.lines.toString('utf8', slice.lineStarts[r], slice.lineStarts[r + 1]));
      }
      slice.stats.forEach((s, c) => stats[c].merge(s));
      slice.nulls.forEach((n, c) => (nulls[c] += n));
    }
    expect(lines).toEqual(expected.rows.map((row) => formatCsvLine(row)));
    const x = expected.rows.map((row) => row[0]).filter((cell) => cell !== null).map(Number);
    expect(nulls).toEqual([0, 1, 2].map((c) => expected.rows.filter((row) => row[c] === null).length));
    expect(stats[0].count).toBe(x.length);
    expect(stats[0].summary().min).toBe(Math.min(...x));
    expect(stats[0].summary().max).toBe(Math.max(...x));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(stats[0].summary().mean! - mean) / Math.abs(mean)).toBeLessThan(1e-12);
    expect(stats[2].count).toBe(0);
  });
});
