import { isUtf8 } from 'node:buffer';
import type { ColumnMetaData, Compressors, SchemaTree } from 'hyparquet';
// hyparquet's page primitives (exported as `hyparquet/src/*.js`): its row-level reader turns
// every cell into a JS value, boxing numbers and decoding each string, which took 3.5 s of the
// 8.8 s a 1M-row, 16-column file took to preprocess. This reads the pages straight into
// encoded columns instead: a dictionary page's entries are formatted once, strings stay bytes.
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { type EncodedColumn, FULL, NumberDictionary, entriesFromBytes, entriesFromTexts } from './encoded-column.js';
import { formatPythonFloat } from './float-format.js';

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
  return kind === 'string' ? encodeStrings(pool, rowEntries) : encodeNumbers(pool, poolSize, rowEntries, kind);
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

/**
 * Numbers as codes into a dictionary of their distinct values, each formatted once; a column
 * with more distinct values than it takes gets an entry per pool value (a cell, for plain pages).
 */
function encodeNumbers(pool: RawValues[], poolSize: number, rowEntries: Int32Array, kind: 'float' | 'int'): EncodedColumn {
  const keys = new Float64Array(poolSize);
  const exact = new Uint8Array(poolSize).fill(1);
  const raw: Array<number | bigint> = [];
  let at = 0;
  for (const segment of pool as Array<ArrayLike<number | bigint>>) {
    const big = typeof segment[0] === 'bigint';
    for (let i = 0; i < segment.length; i++, at++) {
      const value = segment[i];
      const key = Number(value);
      keys[at] = key;
      if (big && !Number.isSafeInteger(key)) {
        exact[at] = 0;
        raw[at] = value;
      }
    }
  }
  const format = kind === 'float' ? (i: number) => formatPythonFloat(keys[i]) : (i: number) => (exact[i] ? String(keys[i]) : String(raw[i]));
  const dictionary = new NumberDictionary();
  let current = 0;
  const text = () => format(current);
  const poolCodes = new Int32Array(poolSize);
  for (current = 0; current < poolSize; current++) {
    const code = dictionary.codeOf(keys[current], text, exact[current] === 1);
    if (code === FULL) return encodePool(keys, format, rowEntries);
    poolCodes[current] = code;
  }
  const codes = new Int32Array(rowEntries.length);
  for (let r = 0; r < codes.length; r++) codes[r] = rowEntries[r] < 0 ? -1 : poolCodes[rowEntries[r]];
  return dictionary.encode(codes);
}

/** An entry per pool value (NaN: an empty cell). */
function encodePool(keys: Float64Array, format: (i: number) => string, rowEntries: Int32Array): EncodedColumn {
  const texts = Array.from(keys, (key, i) => (key !== key ? null : format(i)));
  const codes = rowEntries.map((entry) => (entry < 0 || texts[entry] === null ? -1 : entry));
  return { ...entriesFromTexts(texts), codes, values: keys };
}
