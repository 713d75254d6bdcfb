import { hashDouble } from './cell-bytes.js';
import type { Cell } from './types.js';

/**
 * A column of a row group as the CSV text of its cells, without a string per cell: its distinct
 * entries' UTF-8 bytes back to back, and each row's entry. Rows are laid out by copying bytes.
 */
export interface EncodedColumn {
  /** The entries' text; entry e spans ends[e - 1] (0 for the first) to ends[e]. */
  bytes: Buffer;
  ends: Int32Array;
  /** Each row's entry; -1 for an empty cell. */
  codes: Int32Array;
  /** Numbers only: the number each entry stands for (of an INT64 beyond 2^53, the nearest double). */
  values?: Float64Array;
  /** Entries whose text needs quotes in CSV (a quote, comma or line break); absent when none does. */
  quoted?: Uint8Array;
}

export function entryStart(column: EncodedColumn, entry: number): number {
  return entry > 0 ? column.ends[entry - 1] : 0;
}

/** Row r's cell as text (null when empty). */
export function cellText(column: EncodedColumn, r: number): Cell {
  const entry = column.codes[r];
  return entry < 0 ? null : column.bytes.toString('utf8', entryStart(column, entry), column.ends[entry]);
}

/** Every entry's text, decoded once. */
export function entryTexts(column: EncodedColumn): string[] {
  const texts = new Array<string>(column.ends.length);
  for (let e = 0; e < texts.length; e++) texts[e] = column.bytes.toString('utf8', entryStart(column, e), column.ends[e]);
  return texts;
}

/** Entries from byte strings (views into decoded pages), copied into one buffer. */
export function entriesFromBytes(pieces: Uint8Array[]): { bytes: Buffer; ends: Int32Array; quoted?: Uint8Array } {
  const ends = new Int32Array(pieces.length);
  let at = 0;
  for (let e = 0; e < pieces.length; e++) ends[e] = at += pieces[e].length;
  const bytes = Buffer.allocUnsafe(at);
  at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return { bytes, ends, quoted: quotedEntries(bytes, ends) };
}

/** Entries from texts (null counts as an empty entry). */
export function entriesFromTexts(texts: Array<string | null>): { bytes: Buffer; ends: Int32Array; quoted?: Uint8Array } {
  const joined = texts.join('');
  const ends = new Int32Array(texts.length);
  let at = 0;
  // Lengths in UTF-16 units equal byte lengths only for ASCII text.
  const ascii = Buffer.byteLength(joined) === joined.length;
  for (let e = 0; e < texts.length; e++) {
    const text = texts[e];
    if (text) at += ascii ? text.length : Buffer.byteLength(text);
    ends[e] = at;
  }
  const bytes = Buffer.from(joined, ascii ? 'latin1' : 'utf8');
  return { bytes, ends, quoted: quotedEntries(bytes, ends) };
}

/** Marks the entries holding a quote, comma or LF (a lone CR is written bare, see formatCsvField); undefined when none does (the common case). */
function quotedEntries(bytes: Buffer, ends: Int32Array): Uint8Array | undefined {
  let quoted: Uint8Array | undefined;
  let entry = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x22 && byte !== 0x2c && byte !== 0x0a) continue;
    while (ends[entry] <= i) entry++;
    quoted ??= new Uint8Array(ends.length);
    quoted[entry] = 1;
  }
  return quoted;
}

/** Distinct numbers a dictionary takes by default; a column with more is encoded cell by cell. */
export const DICTIONARY_SIZE = 1 << 16;
/** `codeOf`: the dictionary is full. */
export const FULL = -2;

/**
 * The distinct numbers of a column, each formatted once. Parquet columns mostly repeat a limited
 * set of values (that is what their dictionary encoding is for), and formatting a double as
 * Python does is slow enough to dominate preprocess on Parquet when done per cell. The codes sit
 * in an open-addressing table keyed by the value's bits: a Map keyed by numbers measured slower
 * (it boxes each double and hashes it slowly).
 */
export class NumberDictionary {
  readonly texts: string[] = [];
  readonly values: number[] = [];
  /** Per slot, its key and then its code + 1 (0: empty): one cache line holds both. */
  private slots: Float64Array;
  private mask: number;
  private negativeZero = -1;

  /**
   * `capacity`: the most distinct values it takes. The table starts small (`initial` slots at
   * most) and doubles when half full: sized for the capacity, a column's lookups missed the
   * cache and took twice as long.
   */
  constructor(
    private readonly capacity = DICTIONARY_SIZE,
    initial = 1024,
  ) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, Math.min(initial, capacity * 2))));
    this.slots = new Float64Array(2 * size);
    this.mask = size - 1;
  }

  /**
   * The code of `key` (the cell's number, NaN for an empty cell: -1), or FULL. `text` formats
   * it, called once per distinct key; `exact` false (an INT64 beyond 2^53, whose double stands
   * for several integers) gives the cell an entry of its own.
   */
  codeOf(key: number, text: () => string, exact = true): number {
    if (key !== key) return -1;
    if (!exact) return this.add(text(), key);
    // -0 is written -0.0, unlike 0, and === cannot tell them apart.
    if (key === 0 && 1 / key < 0) return this.negativeZero >= 0 ? this.negativeZero : (this.negativeZero = this.add(text(), key));
    const slots = this.slots;
    let slot = hashDouble(key) & this.mask;
    while (slots[2 * slot + 1] !== 0) {
      if (slots[2 * slot] === key) return slots[2 * slot + 1] - 1;
      slot = (slot + 1) & this.mask;
    }
    const code = this.add(text(), key);
    if (code !== FULL) {
      slots[2 * slot] = key;
      slots[2 * slot + 1] = code + 1;
      if (this.texts.length * 2 > this.mask) this.grow();
    }
    return code;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let from = 0; from < old.length; from += 2) {
      if (old[from + 1] === 0) continue;
      let slot = hashDouble(old[from]) & this.mask;
      while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = old[from];
      this.slots[2 * slot + 1] = old[from + 1];
    }
  }

  /** The dictionary as an encoded column's entries. */
  encode(codes: Int32Array): EncodedColumn {
    const { bytes, ends } = entriesFromTexts(this.texts);
    return { bytes, ends, codes, values: Float64Array.from(this.values) };
  }

  private add(text: string, value: number): number {
    if (this.texts.length === this.capacity) return FULL;
    this.texts.push(text);
    this.values.push(value);
    return this.texts.length - 1;
  }
}
