import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError } from './errors.js';
import { hashDouble } from './cell-bytes.js';
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

/**
 * One row group, column by column. A column of numbers comes as codes into a dictionary of its
 * distinct texts (-1: an empty cell), each formatted once; other columns, and numbers with more
 * distinct values than a dictionary takes, come as one text per cell.
 */
export interface ParquetGroup {
  rows: number;
  texts: Array<Cell[] | undefined>;
  codes: Array<Int32Array | undefined>;
  dictionaries: Array<string[] | undefined>;
  /** The number each dictionary entry stands for (of an INT64 beyond 2^53, the nearest double). */
  dictionaryValues: Array<Float64Array | undefined>;
}

/** The selected columns a row group at a time (only those columns are decoded). */
export async function* readParquetGroups(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<ParquetGroup> {
  const typeOf = new Map(layout.columns.map((name, i) => [name, layout.types[i]]));
  const types = selected.map((name) => typeOf.get(name) ?? 'string');
  const formatters = types.map(formatterFor);
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
    const out: ParquetGroup = { rows: group.rows, texts: [], codes: [], dictionaries: [], dictionaryValues: [] };
    // A column at a time, so that one column's dictionary stays in the cache meanwhile.
    for (const [c, name] of selected.entries()) {
      const values = concatChunks(data.get(name) ?? [], group.rows);
      const coded = types[c] === 'float' || types[c] === 'int' ? encodeNumbers(values, group.rows, formatters[c]) : undefined;
      out.codes.push(coded?.codes);
      out.dictionaries.push(coded?.dictionary.texts);
      out.dictionaryValues.push(coded && Float64Array.from(coded.dictionary.values));
      out.texts.push(coded ? undefined : Array.from({ length: group.rows }, (_, r) => formatters[c](values[r])));
    }
    data.clear();
    yield out;
    onGroup?.(index + 1);
  }
}

/** Rows of the selected columns as text, in batches. */
export async function* readParquetBatches(path: string, layout: ParquetLayout, selected: string[], onGroup?: (done: number) => void): AsyncGenerator<Row[]> {
  for await (const group of readParquetGroups(path, layout, selected, onGroup)) {
    const texts = group.texts.map((column, c) => column ?? Array.from(group.codes[c]!, (code) => (code < 0 ? null : group.dictionaries[c]![code])));
    for (let start = 0; start < group.rows; start += BATCH_ROWS) {
      const end = Math.min(group.rows, start + BATCH_ROWS);
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

/** A column's numbers as codes, or undefined when they hold more distinct values than a dictionary takes. */
function encodeNumbers(values: ArrayLike<unknown>, rows: number, format: (value: unknown) => Cell): { codes: Int32Array; dictionary: NumberDictionary } | undefined {
  const dictionary = new NumberDictionary(format);
  const codes = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const code = dictionary.codeOf(values[r]);
    if (code === FULL) return undefined;
    codes[r] = code;
  }
  return { codes, dictionary };
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

/** Distinct numbers a dictionary takes; a column with more is formatted cell by cell. */
const DICTIONARY_SIZE = 1 << 16;
const SLOTS = DICTIONARY_SIZE * 2;
const FULL = -2;

/**
 * The distinct numbers of a column, each formatted once. Parquet columns mostly repeat a limited
 * set of values (that is what their dictionary encoding is for), and formatting a double as
 * Python does costs ~0.4 us: 3.5 s of the 12 s a 1M-row, 16-column file took to preprocess. The
 * codes sit in an open-addressing table keyed by the value's bits: a Map keyed by numbers
 * measured 1.5 us a lookup here (it boxes each double and hashes it slowly).
 */
class NumberDictionary {
  readonly texts: string[] = [];
  readonly values: number[] = [];
  private readonly keys = new Float64Array(SLOTS);
  /** Code + 1 of the value in each slot; 0: empty. */
  private readonly slots = new Int32Array(SLOTS);
  private negativeZero = -1;

  constructor(private readonly format: (value: unknown) => Cell) {}

  /** The code of the value's text; -1 for an empty cell; FULL when the dictionary is. */
  codeOf(value: unknown): number {
    if (value === null || value === undefined) return -1;
    // INT64 values come as BigInt: looked up as the Number they equal, when it is exact.
    const key = typeof value === 'bigint' ? Number(value) : (value as number);
    if (key !== key) return -1;
    if (typeof value === 'bigint' && !Number.isSafeInteger(key)) return this.add(value);
    // -0 is written -0.0, unlike 0, and === cannot tell them apart.
    if (key === 0 && 1 / key < 0) return this.negativeZero >= 0 ? this.negativeZero : (this.negativeZero = this.add(value));
    let slot = hashDouble(key) & (SLOTS - 1);
    while (this.slots[slot] !== 0) {
      if (this.keys[slot] === key) return this.slots[slot] - 1;
      slot = (slot + 1) & (SLOTS - 1);
    }
    const code = this.add(value);
    if (code !== FULL) {
      this.keys[slot] = key;
      this.slots[slot] = code + 1;
    }
    return code;
  }

  private add(value: unknown): number {
    if (this.texts.length === DICTIONARY_SIZE) return FULL;
    this.texts.push(this.format(value)!);
    this.values.push(Number(value));
    return this.texts.length - 1;
  }
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
