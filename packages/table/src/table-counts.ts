import { endianness } from 'node:os';
import { DataError } from './errors.js';
import type { ColumnType } from './types.js';
import type { CountedValues } from './value-counts.js';

/**
 * What a table holds, counted: per column its type, nulls, the count of each number (numeric
 * columns) and of each label (columns with few distinct cells). Everything check_data reads of
 * a table, in a few MB whatever its rows: preprocess writes it beside its output (see
 * @mldp/store's DerivedData), so that check_data need not parse the table again.
 */
export interface TableCounts {
  rows: number;
  columns: ColumnCounts[];
}

export interface ColumnCounts {
  name: string;
  type: ColumnType;
  nulls: number;
  /** int and float columns, unless they had too many distinct values to count. */
  numbers?: CountedValues;
  /** Cells' texts ('' for null) in order of first appearance, unless there were too many. */
  labels?: Map<string, number>;
}

/** The kind under which table counts are stored; a new format gets a new kind. */
export const TABLE_COUNTS_KIND = 'table-counts-v1';

const MAGIC = 'MLDPTC1\n';

/** Float64Arrays are in the machine's byte order: copied as they are where that is little-endian, not value by value. */
const LITTLE_ENDIAN = endianness() === 'LE';

interface Header {
  rows: number;
  columns: Array<{ name: string; type: ColumnType; nulls: number; numbers?: { count: number; distinct: number }; labels?: Array<[string, number]> }>;
}

/**
 * The binary form: a magic line, the header's length (uint32 LE), a JSON header, then each
 * counted column's distinct values and counts as float64 LE (JSON would not keep -0 and NaN,
 * and takes far longer to parse for a million numbers).
 */
export function encodeTableCounts(table: TableCounts): Buffer {
  const header: Header = {
    rows: table.rows,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nulls: c.nulls,
      ...(c.numbers ? { numbers: { count: c.numbers.count, distinct: c.numbers.distinct.length } } : {}),
      ...(c.labels ? { labels: [...c.labels] } : {}),
    })),
  };
  const json = Buffer.from(JSON.stringify(header));
  const numbers = table.columns.reduce((sum, c) => sum + (c.numbers ? c.numbers.distinct.length * 2 : 0), 0);
  const out = Buffer.alloc(MAGIC.length + 4 + json.length + numbers * 8);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  let at = MAGIC.length + 4 + json.length;
  for (const column of table.columns) {
    if (!column.numbers) continue;
    for (const array of [column.numbers.distinct, column.numbers.counts]) {
      if (LITTLE_ENDIAN) out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      else for (let i = 0; i < array.length; i++) out.writeDoubleLE(array[i], at + i * 8);
      at += array.length * 8;
    }
  }
  return out;
}

/** Reads the binary form; `what` names it in the error a malformed one gets. */
export function decodeTableCounts(bytes: Buffer, what: string): TableCounts {
  const malformed = (problem: string) => new DataError('E_TABLE_COUNTS', `${what} is not a table-counts file: ${problem}`, { hint: 'it is derived data; delete it and it is made again' });
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw malformed('wrong magic');
  const jsonLength = bytes.readUInt32LE(MAGIC.length);
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + jsonLength)) as Header;
  } catch {
    throw malformed('bad header');
  }
  let at = MAGIC.length + 4 + jsonLength;
  const readArray = (length: number): Float64Array => {
    if (at + length * 8 > bytes.length) throw malformed('truncated');
    const array = new Float64Array(length);
    if (LITTLE_ENDIAN) new Uint8Array(array.buffer).set(bytes.subarray(at, at + length * 8));
    else for (let i = 0; i < length; i++) array[i] = bytes.readDoubleLE(at + i * 8);
    at += length * 8;
    return array;
  };
  const columns = header.columns.map((c): ColumnCounts => {
    const numbers = c.numbers && { count: c.numbers.count, distinct: readArray(c.numbers.distinct), counts: readArray(c.numbers.distinct) };
    return { name: c.name, type: c.type, nulls: c.nulls, ...(numbers ? { numbers } : {}), ...(c.labels ? { labels: new Map(c.labels) } : {}) };
  });
  if (at !== bytes.length) throw malformed('trailing bytes');
  return { rows: header.rows, columns };
}
