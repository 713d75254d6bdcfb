import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError } from './errors.js';
import { formatPythonFloat } from './float-format.js';
import type { Cell, ColumnType, Row } from './types.js';

/** pandas stores its index as `__index_level_N__` columns: metadata, not data. */
const PANDAS_INDEX = /^__index_level_\d+__$/;
const BATCH_ROWS = 4096;

export interface ParquetLayout {
  columns: string[];
  types: ColumnType[];
  rowGroups: Array<{ start: number; rows: number }>;
  file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
}

export async function openParquet(path: string): Promise<ParquetLayout> {
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const schema = parquetSchema(metadata);
    const columns: string[] = [];
    const types: ColumnType[] = [];
    for (const child of schema.children) {
      const name = child.element.name;
      if (PANDAS_INDEX.test(name)) continue;
      if (child.children.length > 0) {
        throw new DataError('E_PARQUET_NESTED', `${path}: column "${name}" is nested, which mldp does not read`, {
          hint: 'flatten the table before logging it',
        });
      }
      columns.push(name);
      types.push(typeOfParquetColumn(child.element.type, child.element.converted_type));
    }
    let start = 0;
    const rowGroups = metadata.row_groups.map((group) => {
      const rows = Number(group.num_rows);
      const entry = { start, rows };
      start += rows;
      return entry;
    });
    return { columns, types, rowGroups, file, metadata };
  } catch (error) {
    throw corrupt(path, error);
  }
}

/** One row group, column by column: each selected column's cells as text, as pandas writes them. */
export interface ParquetGroup {
  rows: number;
  texts: Cell[][];
}

/** The selected columns a row group at a time (only those columns are decoded). */
export async function* readParquetGroups(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<ParquetGroup> {
  const typeOf = new Map(layout.columns.map((name, i) => [name, layout.types[i]]));
  const formatters = selected.map((name) => {
    const type = typeOf.get(name) ?? 'string';
    return type === 'float' || type === 'int' ? memoized(formatterFor(type)) : formatterFor(type);
  });
  for (const [index, group] of layout.rowGroups.entries()) {
    const data = new Map<string, ArrayLike<unknown>[]>();
    try {
      await parquetRead({
        file: layout.file,
        metadata: layout.metadata,
        compressors,
        columns: selected,
        rowStart: group.start,
        rowEnd: group.start + group.rows,
        onChunk: (chunk) => {
          const list = data.get(chunk.columnName) ?? [];
          list.push(chunk.columnData as ArrayLike<unknown>);
          data.set(chunk.columnName, list);
        },
      });
    } catch (error) {
      throw corrupt(path, error);
    }
    // Formatted a column at a time, so that one column's memo stays in the cache meanwhile.
    const texts = selected.map((name, c) => {
      const values = concatChunks(data.get(name) ?? [], group.rows);
      const format = formatters[c];
      const column = new Array<Cell>(group.rows);
      for (let r = 0; r < group.rows; r++) column[r] = format(values[r]);
      return column;
    });
    data.clear();
    yield { rows: group.rows, texts };
    onGroup?.(index + 1);
  }
}

/** Rows of the selected columns as text, in batches. */
export async function* readParquetBatches(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<Row[]> {
  for await (const { rows, texts } of readParquetGroups(path, layout, selected, onGroup)) {
    for (let start = 0; start < rows; start += BATCH_ROWS) {
      const end = Math.min(rows, start + BATCH_ROWS);
      const batch: Row[] = new Array(end - start);
      for (let r = start; r < end; r++) {
        const row: Row = new Array(selected.length);
        for (let c = 0; c < selected.length; c++) row[c] = texts[c][r];
        batch[r - start] = row;
      }
      yield batch;
    }
  }
}

function concatChunks(chunks: ArrayLike<unknown>[], rows: number): ArrayLike<unknown> {
  if (chunks.length === 1) return chunks[0];
  const out = new Array<unknown>(rows);
  let at = 0;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) out[at++] = chunk[i];
  return out;
}

function typeOfParquetColumn(physical: string | undefined, converted: string | undefined): ColumnType {
  if (physical === 'BOOLEAN') return 'bool';
  if (physical === 'FLOAT' || physical === 'DOUBLE') return 'float';
  if ((physical === 'INT32' || physical === 'INT64') && !converted?.startsWith('DATE') && !converted?.startsWith('TIME')) return 'int';
  return 'string';
}

/** Distinct values remembered per column: enough for dictionary-encoded columns. */
const MEMO_SLOTS = 1 << 17;
const bits = new Float64Array(1);
const bitWords = new Uint32Array(bits.buffer);

/**
 * Formats each distinct number once. Parquet columns mostly repeat a limited set of values (that
 * is what their dictionary encoding is for), and formatting a double as Python does costs
 * ~0.4 us: 3.5 s of the 12 s a 1M-row, 16-column file took to preprocess. The texts sit in an
 * open-addressing table keyed by the value's bits: a Map keyed by numbers measured 1.5 us a
 * lookup here (it boxes each double and hashes it slowly), slower than formatting.
 */
function memoized(format: (value: unknown) => Cell): (value: unknown) => Cell {
  const keys = new Float64Array(MEMO_SLOTS);
  const texts: Array<Cell | undefined> = new Array(MEMO_SLOTS).fill(undefined);
  let used = 0;
  return (value) => {
    if (value === null || value === undefined) return format(value);
    // INT64 values come as BigInt: looked up as the Number they equal, when it is exact.
    const key = typeof value === 'bigint' ? Number(value) : (value as number);
    // -0 (which Python writes as -0.0) and NaN are not remembered; nor is an inexact BigInt.
    if (key === 0 || key !== key || (typeof value === 'bigint' && !Number.isSafeInteger(key))) return format(value);
    bits[0] = key;
    let h = bitWords[0] ^ Math.imul(bitWords[1] ^ (bitWords[1] >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    let slot = (h ^ (h >>> 16)) & (MEMO_SLOTS - 1);
    while (texts[slot] !== undefined) {
      if (keys[slot] === key) return texts[slot]!;
      slot = (slot + 1) & (MEMO_SLOTS - 1);
    }
    const text = format(value);
    // Half full at most, so probes stay short; values beyond that are formatted each time.
    if (used < MEMO_SLOTS / 2) {
      keys[slot] = key;
      texts[slot] = text;
      used++;
    }
    return text;
  };
}

function formatterFor(type: ColumnType): (value: unknown) => Cell {
  switch (type) {
    case 'float':
      return (value) => (value === null || value === undefined || Number.isNaN(value) ? null : formatPythonFloat(Number(value)));
    case 'int':
      return (value) => (value === null || value === undefined ? null : String(value));
    case 'bool':
      return (value) => (value === null || value === undefined ? null : value ? 'True' : 'False');
    default:
      return (value) => {
        if (value === null || value === undefined) return null;
        if (value instanceof Date) return value.toISOString();
        if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
        return String(value);
      };
  }
}

function corrupt(path: string, error: unknown): Error {
  if (error instanceof DataError) return error;
  return new DataError('E_PARQUET_CORRUPT', `${path} is not a readable Parquet file: ${(error as Error)?.message ?? error}`, {
    hint: 'the file may be truncated or damaged; download it again',
    cause: error,
  });
}
