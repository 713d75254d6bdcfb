import { isUtf8 } from 'node:buffer';
import type { ColumnMetaData, Compressors, SchemaTree } from 'hyparquet';
// hyparquet's page primitives (exported as `hyparquet/src/*.js`): its row-level reader turns
// every cell into a JS value, boxing numbers and decoding each string, which was a large share
// of preprocess's time on Parquet (bench/RESULTS.md). This reads the pages straight into
// encoded columns instead: a dictionary page's entries are formatted once, strings stay bytes.
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { type EncodedColumn, FULL, NumberDictionary, entriesFromBytes, entriesFromTexts } from './encoded-column.js';
import { formatPythonFloat, formatPythonFloat32 } from './float-format.js';

/** How a flat column's cells are written: numbers as pandas formats them, or UTF-8 text as is. */
export type ChunkKind = 'float' | 'int' | 'string';

const SIGNED_INTS = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64']);

/**
 * The kind of a column this module reads, or undefined for the rest (booleans, dates, decimals,
 * unsigned or nested columns...), which hyparquet's own reader converts.
 */
export function chunkKindOf(schemaPath: SchemaTree[]): ChunkKind | undefined {
  if (schemaPath.length !== 2) return undefined;
  const { type, converted_type: converted, logical_type: logical, repetition_type: repetition } = schemaPath[1].element;
  if (repetition === 'REPEATED') return undefined;
  if ((type === 'DOUBLE' || type === 'FLOAT') && !converted && !logical) return 'float';
  if ((type === 'INT32' || type === 'INT64') && SIGNED_INTS.has(converted) && (!logical || (logical.type === 'INTEGER' && logical.isSigned))) return 'int';
  if (type === 'BYTE_ARRAY' && (!converted || converted === 'UTF8') && (!logical || logical.type === 'STRING')) return 'string';
  return undefined;
}

type RawValues = ArrayLike<number | bigint> | Uint8Array[];

/**
 * One row group's column chunk (`bytes`, from its first page to its end) as an encoded column.
 * Data pages may be dictionary-coded or plain, v1 or v2, in any mix; every value goes into one
 * pool (dictionary entries once, plain values one per cell) and each row points into it.
 */
export function decodeFlatChunk(bytes: Uint8Array, meta: ColumnMetaData, schemaPath: SchemaTree[], rows: number, kind: ChunkKind, compressors: Compressors): EncodedColumn {
  const element = schemaPath[1].element;
  const decoder = { pathInSchema: meta.path_in_schema, type: meta.type, element, schemaPath, codec: meta.codec, compressors, parsers: undefined as never };
  const maxDefinition = element.repetition_type === 'OPTIONAL' ? 1 : 0;
  const pool: RawValues[] = [];
  let poolSize = 0;
  let dictionaryStart = -1;
  const rowEntries = new Int32Array(rows);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let row = 0;
  while (row < rows) {
    if (reader.offset >= bytes.length) throw new Error(`column ${meta.path_in_schema.join('.')} ends after ${row} of ${rows} rows`);
    const header = parquetHeader(reader);
    const compressed = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = decompressPage(compressed, Number(header.uncompressed_page_size), meta.codec, compressors);
      const entries = readPlain(viewOf(page), meta.type, header.dictionary_page_header!.num_values, element.type_length) as RawValues;
      pool.push(entries);
      dictionaryStart = poolSize;
      poolSize += entries.length;
      continue;
    }
    let data;
    let encoding: string;
    let count: number;
    if (header.type === 'DATA_PAGE') {
      const page = decompressPage(compressed, Number(header.uncompressed_page_size), meta.codec, compressors);
      data = readDataPage(page, header.data_page_header!, decoder);
      encoding = header.data_page_header!.encoding;
      count = header.data_page_header!.num_values;
    } else if (header.type === 'DATA_PAGE_V2') {
      data = readDataPageV2(compressed, header, decoder);
      encoding = header.data_page_header_v2!.encoding;
      count = header.data_page_header_v2!.num_values;
    } else {
      continue; // an index page: nothing to read
    }
    if (row + count > rows) throw new Error(`column ${meta.path_in_schema.join('.')} holds more values than its ${rows} rows`);
    const coded = encoding.endsWith('_DICTIONARY');
    if (coded && dictionaryStart < 0) throw new Error(`column ${meta.path_in_schema.join('.')} has a dictionary-coded page but no dictionary`);
    const values = data.dataPage as ArrayLike<number>;
    const base = coded ? dictionaryStart : poolSize;
    if (!coded) {
      pool.push(data.dataPage as RawValues);
      poolSize += values.length;
    }
    const levels = data.definitionLevels;
    const hasNulls = maxDefinition > 0 && levels !== undefined && levels.length > 0;
    let v = 0;
    for (let i = 0; i < count; i++) {
      if (hasNulls && levels[i] !== maxDefinition) rowEntries[row++] = -1;
      else rowEntries[row++] = base + (coded ? values[v++] : v++);
    }
  }
  return kind === 'string' ? encodeStrings(pool, rowEntries) : encodeNumbers(pool, poolSize, rowEntries, kind, meta.type === 'FLOAT' ? formatPythonFloat32 : formatPythonFloat);
}

function viewOf(page: Uint8Array) {
  return { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
}

/** Strings stay the file's bytes; text that is not valid UTF-8 is decoded as hyparquet would (U+FFFD). */
function encodeStrings(pool: RawValues[], rowEntries: Int32Array): EncodedColumn {
  const pieces = (pool as Uint8Array[][]).flat();
  let entries = entriesFromBytes(pieces);
  if (!isUtf8(entries.bytes)) {
    const decoder = new TextDecoder();
    entries = entriesFromTexts(pieces.map((piece) => decoder.decode(piece)));
  }
  return { ...entries, codes: rowEntries };
}

/** The most distinct doubles a chunk's dictionary takes: 2^20 (a 24 MB table). */
const CHUNK_DICTIONARY_SIZE = 1 << 20;

/**
 * Numbers as entries of text. Floats go through a dictionary of their distinct values, each
 * formatted once as pandas writes it (`formatFloat`: for a double or a float32; formatting a
 * double as Python does costs ~0.4 us); integers, cheap to format, get
 * an entry per pool value (a dictionary page's entry, or a plain page's cell).
 */
function encodeNumbers(pool: RawValues[], poolSize: number, rowEntries: Int32Array, kind: 'float' | 'int', formatFloat: (value: number) => string): EncodedColumn {
  const keys = new Float64Array(poolSize);
  // INT64 values beyond 2^53, which a double cannot tell apart: their exact text.
  const inexact = new Map<number, string>();
  let at = 0;
  for (const segment of pool) {
    if (segment instanceof BigInt64Array) readInt64Keys(segment, keys, at, inexact);
    else keys.set(segment as ArrayLike<number>, at);
    at += segment.length;
  }
  if (kind === 'int') return { ...integerEntries(keys, inexact), codes: rowEntries, values: keys };
  // Room for 8K values at first: fewer regrowths, a table that still fits the cache.
  const dictionary = new NumberDictionary(Math.min(poolSize, CHUNK_DICTIONARY_SIZE), 1 << 14);
  let current = 0;
  const text = () => formatFloat(keys[current]);
  const poolCodes = new Int32Array(poolSize);
  for (current = 0; current < poolSize; current++) {
    const code = dictionary.codeOf(keys[current], text);
    if (code === FULL) return encodePool(keys, rowEntries, formatFloat);
    poolCodes[current] = code;
  }
  const codes = new Int32Array(rowEntries.length);
  for (let r = 0; r < codes.length; r++) codes[r] = rowEntries[r] < 0 ? -1 : poolCodes[rowEntries[r]];
  return dictionary.encode(codes);
}

/** Whole numbers' decimal digits, written straight into bytes. */
function integerEntries(keys: Float64Array, inexact: Map<number, string>): { bytes: Buffer; ends: Int32Array } {
  const ends = new Int32Array(keys.length);
  // 20 bytes hold any INT64's text ('-9223372036854775808').
  const bytes = Buffer.allocUnsafe(keys.length * 20);
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const exactText = inexact.size > 0 ? inexact.get(i) : undefined;
    if (exactText !== undefined) at += bytes.write(exactText, at, 'latin1');
    else at = writeInteger(bytes, at, keys[i]);
    ends[i] = at;
  }
  return { bytes: bytes.subarray(0, at), ends };
}

/** Writes a safe integer's digits at `at`; returns where they end. */
function writeInteger(bytes: Buffer, at: number, value: number): number {
  if (value < 0) {
    bytes[at++] = 0x2d;
    value = -value;
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  const end = at + digits;
  for (let i = end - 1; i >= at; i--) {
    bytes[i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  return end;
}

/**
 * INT64 values as doubles, from their two 32-bit halves: converting each BigInt took ~40 ns.
 * Values beyond 2^53 are recorded in `inexact` with their exact text.
 */
function readInt64Keys(values: BigInt64Array, keys: Float64Array, at: number, inexact: Map<number, string>): void {
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const high = halves[2 * i + 1];
    const key = high * 4294967296 + (halves[2 * i] >>> 0);
    keys[at + i] = key;
    if (high >= 0x200000 || high < -0x200000) {
      keys[at + i] = Number(values[i]);
      inexact.set(at + i, String(values[i]));
    }
  }
}

/** An entry per pool value (NaN: an empty cell). */
function encodePool(keys: Float64Array, rowEntries: Int32Array, formatFloat: (value: number) => string): EncodedColumn {
  const texts = Array.from(keys, (key) => (key !== key ? null : formatFloat(key)));
  const codes = rowEntries.map((entry) => (entry < 0 || texts[entry] === null ? -1 : entry));
  return { ...entriesFromTexts(texts), codes, values: keys };
}
