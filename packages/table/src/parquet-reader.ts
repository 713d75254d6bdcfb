import { closeSync, openSync, readSync } from 'node:fs';
import { type ColumnMetaData, type SchemaElement, asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { getSchemaPath } from 'hyparquet/src/schema.js';
import { compressors } from 'hyparquet-compressors';
import { DataError } from './errors.js';
import { type EncodedColumn, FULL, NumberDictionary, entriesFromTexts, entryTexts } from './encoded-column.js';
import { chunkKindOf, decodeFlatChunk } from './parquet-chunk.js';
import { formatPythonFloat } from './float-format.js';
import type { Cell, ColumnType, Row } from './types.js';

/** pandas stores its index as `__index_level_N__` columns: metadata, not data. */
const PANDAS_INDEX = /^__index_level_\d+__$/;
const BATCH_ROWS = 4096;

export interface ParquetLayout {
  columns: string[];
  /** Each column's type as pandas has it once pyarrow read the file (see pandasTypes). */
  types: ColumnType[];
  /** Integer columns holding nulls, which pandas holds as float64: their values are written as floats. */
  floatInts: Set<string>;
  /** Boolean columns holding nulls, which pandas holds as object (of True, False and None). */
  objectBools: Set<string>;
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
      types.push(typeOfParquetColumn(child.element));
    }
    let start = 0;
    const rowGroups = metadata.row_groups.map((group) => {
      const rows = Number(group.num_rows);
      const entry = { start, rows };
      start += rows;
      return entry;
    });
    const layout: ParquetLayout = { columns, types, floatInts: new Set(), objectBools: new Set(), rowGroups, file, metadata };
    await applyPandasTypes(path, layout);
    return layout;
  } catch (error) {
    throw corrupt(path, error);
  }
}

/**
 * pyarrow's to_pandas, which pandas.read_parquet runs, makes an integer column that holds a null
 * float64 and a boolean one object. Null counts come from the row groups' statistics, or, where
 * a writer left them out, from decoding the column.
 */
async function applyPandasTypes(path: string, layout: ParquetLayout): Promise<void> {
  for (const [c, name] of layout.columns.entries()) {
    const type = layout.types[c];
    if (type !== 'int' && type !== 'bool') continue;
    if (!(await holdsNull(path, layout, name))) continue;
    if (type === 'int') {
      layout.types[c] = 'float';
      layout.floatInts.add(name);
    } else {
      layout.types[c] = 'string';
      layout.objectBools.add(name);
    }
  }
}

async function holdsNull(path: string, layout: ParquetLayout, name: string): Promise<boolean> {
  const element = layout.metadata.schema.find((e) => e.name === name);
  if (element?.repetition_type === 'REQUIRED') return false;
  const counts = layout.metadata.row_groups.map((_, g) => chunkOf(layout, g, name).statistics?.null_count);
  if (counts.every((count) => count !== undefined)) return counts.some((count) => Number(count) > 0);
  const decode = groupDecoder(path, { ...layout, floatInts: new Set(), objectBools: new Set() }, [name]);
  for (let g = 0; g < layout.rowGroups.length; g++) if ((await decode(g)).columns[0].codes.includes(-1)) return true;
  return false;
}

/** One row group's selected columns, each encoded (encoded-column.ts). */
export interface ParquetGroup {
  rows: number;
  columns: EncodedColumn[];
}

/**
 * The selected columns a row group at a time (only those columns are read). Flat numbers and
 * strings are decoded from their pages (parquet-chunk.ts); other columns through hyparquet.
 */
export async function* readParquetGroups(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<ParquetGroup> {
  const decode = groupDecoder(path, layout, selected);
  for (let index = 0; index < layout.rowGroups.length; index++) {
    yield await decode(index);
    onGroup?.(index + 1);
  }
}

/** Decodes row group `index` of the selected columns. */
export function groupDecoder(path: string, layout: ParquetLayout, selected: string[]): (index: number) => Promise<ParquetGroup> {
  const typeOf = new Map(layout.columns.map((name, i) => [name, layout.types[i]]));
  const schemaPaths = selected.map((name) => getSchemaPath(layout.metadata.schema, [name]));
  const kinds = schemaPaths.map(chunkKindOf);
  const converted = selected.filter((_, c) => !kinds[c]);
  return async (index) => {
    const group = layout.rowGroups[index];
    const columns: EncodedColumn[] = [];
    try {
      const others = converted.length > 0 ? await readConverted(layout, converted, group) : undefined;
      const chunks = selected.map((name, c) => (kinds[c] ? chunkOf(layout, index, name) : undefined));
      const bytes = readChunks(path, chunks);
      for (const [c, name] of selected.entries()) {
        const kind = kinds[c];
        const column = kind
          ? decodeFlatChunk(bytes[c]!, chunks[c]!, schemaPaths[c], group.rows, kind, compressors)
          : encodeValues(others!.get(name) ?? [], group.rows, valueTypeOf(layout, name, typeOf.get(name)));
        columns.push(layout.floatInts.has(name) ? intsAsFloats(column) : column);
      }
    } catch (error) {
      throw corrupt(path, error);
    }
    return { rows: group.rows, columns };
  };
}

function chunkOf(layout: ParquetLayout, index: number, name: string): ColumnMetaData {
  const chunk = layout.metadata.row_groups[index].columns.find((column) => column.meta_data?.path_in_schema[0] === name)?.meta_data;
  if (!chunk) throw new Error(`row group ${index} has no column ${name}`);
  return chunk;
}

/**
 * The column chunks' bytes, in one read when they lie close together (as a whole row group's
 * do): read one by one through hyparquet's file reader, each took several event-loop turns.
 */
function readChunks(path: string, chunks: Array<ColumnMetaData | undefined>): Array<Uint8Array | undefined> {
  const spans = chunks.map((chunk) => {
    if (!chunk) return undefined;
    const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    return { start, end: start + Number(chunk.total_compressed_size) };
  });
  const present = spans.filter((span) => span !== undefined);
  if (present.length === 0) return spans.map(() => undefined);
  const first = Math.min(...present.map((span) => span.start));
  const last = Math.max(...present.map((span) => span.end));
  const needed = present.reduce((sum, span) => sum + span.end - span.start, 0);
  const fd = openSync(path, 'r');
  try {
    if (last - first <= 2 * needed) {
      const whole = readExactly(fd, first, last - first);
      return spans.map((span) => span && whole.subarray(span.start - first, span.end - first));
    }
    return spans.map((span) => span && readExactly(fd, span.start, span.end - span.start));
  } finally {
    closeSync(fd);
  }
}

function readExactly(fd: number, position: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, bytes, read, length - read, position + read);
    if (n === 0) throw new Error(`the file ends before byte ${position + length}`);
    read += n;
  }
  return bytes;
}

/** Columns as hyparquet converts them (dates, decimals, booleans...), a list of chunks each. */
async function readConverted(layout: ParquetLayout, names: string[], group: { start: number; rows: number }): Promise<Map<string, ArrayLike<unknown>[]>> {
  const data = new Map<string, ArrayLike<unknown>[]>();
  await parquetRead({
    file: layout.file,
    metadata: layout.metadata,
    compressors,
    columns: names,
    rowStart: group.start,
    rowEnd: group.start + group.rows,
    onChunk: (chunk) => {
      const list = data.get(chunk.columnName) ?? [];
      list.push(chunk.columnData as ArrayLike<unknown>);
      data.set(chunk.columnName, list);
    },
  });
  return data;
}

/** Rows of the selected columns as text, in batches. */
export async function* readParquetBatches(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<Row[]> {
  for await (const group of readParquetGroups(path, layout, selected, onGroup)) {
    const texts = group.columns.map(entryTexts);
    for (let start = 0; start < group.rows; start += BATCH_ROWS) {
      const end = Math.min(group.rows, start + BATCH_ROWS);
      const batch: Row[] = new Array(end - start);
      for (let r = start; r < end; r++) {
        const row: Row = new Array(selected.length);
        for (let c = 0; c < selected.length; c++) {
          const entry = group.columns[c].codes[r];
          row[c] = entry < 0 ? null : texts[c][entry];
        }
        batch[r - start] = row;
      }
      yield batch;
    }
  }
}

/** Converted values encoded: numbers through a dictionary of their distinct values, the rest cell by cell. */
function encodeValues(chunks: ArrayLike<unknown>[], rows: number, type: ColumnType): EncodedColumn {
  const values = concatChunks(chunks, rows);
  const format = formatterFor(type);
  if (type === 'float' || type === 'int') {
    const dictionary = new NumberDictionary();
    const codes = new Int32Array(rows);
    let value: unknown;
    const text = () => format(value)!;
    let full = false;
    for (let r = 0; r < rows && !full; r++) {
      value = values[r];
      if (value === null || value === undefined) codes[r] = -1;
      else {
        const key = Number(value);
        codes[r] = dictionary.codeOf(key, text, typeof value !== 'bigint' || Number.isSafeInteger(key));
        full = codes[r] === FULL;
      }
    }
    if (!full) return dictionary.encode(codes);
  }
  const texts = Array.from({ length: rows }, (_, r) => format(values[r]));
  const codes = Int32Array.from(texts, (text, r) => (text === null ? -1 : r));
  const numbers = type === 'float' || type === 'int' ? Float64Array.from(texts, (_, r) => Number(values[r] ?? Number.NaN)) : undefined;
  return { ...entriesFromTexts(texts), codes, values: numbers };
}

/** The type a converted column's values are formatted as: what the file holds, before pandas' nulls. */
function valueTypeOf(layout: ParquetLayout, name: string, type: ColumnType | undefined): ColumnType {
  if (layout.floatInts.has(name)) return 'int';
  if (layout.objectBools.has(name)) return 'bool';
  return type ?? 'string';
}

/** An integer column's entries rewritten as the float64 values pandas holds (nearest double, repr). */
function intsAsFloats(column: EncodedColumn): EncodedColumn {
  const texts = entryTexts(column).map((text) => formatPythonFloat(Number(BigInt(text))));
  const values = column.values ?? Float64Array.from(texts, Number);
  return { ...entriesFromTexts(texts), codes: column.codes, values };
}

function concatChunks(chunks: ArrayLike<unknown>[], rows: number): ArrayLike<unknown> {
  if (chunks.length === 1) return chunks[0];
  const out = new Array<unknown>(rows);
  let at = 0;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) out[at++] = chunk[i];
  return out;
}

/**
 * The column type of a Parquet column, as hyparquet converts its values: decimals become
 * numbers, and dates and timestamps (marked by the converted or only the logical type, as
 * pyarrow does for nanoseconds) become dates, written as text.
 */
function typeOfParquetColumn({ type: physical, converted_type: converted, logical_type: logical }: SchemaElement): ColumnType {
  if (physical === 'BOOLEAN') return 'bool';
  if (physical === 'FLOAT' || physical === 'DOUBLE' || converted === 'DECIMAL' || logical?.type === 'DECIMAL') return 'float';
  const integer = (!converted || converted.startsWith('INT_') || converted.startsWith('UINT_')) && (!logical || logical.type === 'INTEGER');
  if ((physical === 'INT32' || physical === 'INT64') && integer) return 'int';
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
