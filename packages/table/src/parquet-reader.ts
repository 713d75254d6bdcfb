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

/** Rows of the selected columns as text, one row group at a time (only those columns are decoded). */
export async function* readParquetBatches(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<Row[]> {
  const typeOf = new Map(layout.columns.map((name, i) => [name, layout.types[i]]));
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
    const columns = selected.map((name) => concatChunks(data.get(name) ?? [], group.rows));
    const formatters = selected.map((name) => formatterFor(typeOf.get(name) ?? 'string'));
    for (let start = 0; start < group.rows; start += BATCH_ROWS) {
      const end = Math.min(group.rows, start + BATCH_ROWS);
      const batch: Row[] = new Array(end - start);
      for (let r = start; r < end; r++) {
        const row: Row = new Array(selected.length);
        for (let c = 0; c < selected.length; c++) row[c] = formatters[c](columns[c][r]);
        batch[r - start] = row;
      }
      yield batch;
    }
    onGroup?.(index + 1);
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
