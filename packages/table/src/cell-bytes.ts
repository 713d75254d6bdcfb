import { cyrb53Finish } from './dedup.js';
import {
  BOOL_INVALID,
  CANON_FLOAT,
  CANON_INT,
  FLOAT_INVALID,
  INT_INVALID,
  INT_OVERFLOW,
  NA,
  UINT_INVALID,
  UINT_SIGNED,
  classifyToken,
  intTokenAsDouble,
  parsePandasDouble,
} from './pandas-tokens.js';

/**
 * classifyToken on a cell's UTF-8 bytes, without making a string: the common numeric spellings
 * (integers of up to 15 digits, decimals of up to 15) are classified here and their value
 * computed; any other cell is decoded and handed to classifyToken. Measured on 1M rows of 16
 * columns, making a string of every cell was the largest cost of preprocess.
 */
export interface CellBytesScan {
  /** The token's flags (pandas-tokens.ts). */
  flags: number;
  /** The cell's value as pandas reads it; NaN for a cell that is not a number. */
  value: number;
}

// 10^k is exact in a double for k <= 22, so mantissa / 10^k is correctly rounded: the same
// number pandas' precise_xstrtod gives when the mantissa has at most 15 digits.
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const INT_FLAGS = BOOL_INVALID;
const DECIMAL_FLAGS = INT_INVALID | BOOL_INVALID;

export function scanCellBytes(bytes: Uint8Array, start: number, end: number, out: CellBytesScan): CellBytesScan {
  let i = start;
  let c = bytes[i];
  const first = c;
  const negative = c === 45;
  if (c === 45 || c === 43) c = bytes[++i];
  const intStart = i;
  let mantissa = 0;
  while (i < end && c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    c = bytes[++i];
  }
  const intDigits = i - intStart;
  const sign = negative ? UINT_SIGNED : 0;
  if (i === end && intDigits > 0) {
    if (intDigits > 15) return slow(bytes, start, end, out);
    const canonical = first !== 43 && (intDigits === 1 || bytes[intStart] !== 48) && !(negative && intDigits === 1 && bytes[intStart] === 48);
    out.flags = INT_FLAGS | sign | (canonical ? CANON_INT : 0);
    out.value = negative ? 0 - mantissa : mantissa; // an int64 has no -0
    return out;
  }
  if (c !== 46 || intDigits === 0) return slow(bytes, start, end, out);
  c = bytes[++i];
  const fracStart = i;
  while (i < end && c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    c = bytes[++i];
  }
  if (i !== end) return slow(bytes, start, end, out);
  const fracDigits = end - fracStart;
  if (intDigits + fracDigits > 15 || fracDigits > 22) return slow(bytes, start, end, out);
  out.value = (negative ? -mantissa : mantissa) / POW10[fracDigits];
  const intZero = intDigits === 1 && bytes[intStart] === 48;
  let canonical: boolean;
  if (fracDigits === 0 || first === 43 || (intDigits > 1 && bytes[intStart] === 48)) canonical = false;
  else if (fracDigits === 1 && bytes[fracStart] === 48) canonical = true; // intDigits <= 14 here
  else if (bytes[end - 1] === 48) canonical = false;
  else {
    let leadingZeros = 0;
    if (intZero) while (bytes[fracStart + leadingZeros] === 48) leadingZeros++;
    // Repr switches to scientific notation below 1e-4: leave those to the general rule.
    if (leadingZeros > 3) return slow(bytes, start, end, out);
    canonical = true;
  }
  out.flags = DECIMAL_FLAGS | (negative ? UINT_SIGNED : UINT_INVALID) | (canonical ? CANON_FLOAT : 0);
  return out;
}

function slow(bytes: Uint8Array, start: number, end: number, out: CellBytesScan): CellBytesScan {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  const flags = classifyToken(text);
  out.flags = flags;
  if (flags & NA) out.value = Number.NaN;
  else if (!(flags & (INT_INVALID | INT_OVERFLOW))) out.value = intTokenAsDouble(text);
  else if (!(flags & FLOAT_INVALID)) out.value = parsePandasDouble(text)!;
  else out.value = Number.NaN;
  return out;
}

/** Whether a scanned cell is a number to pandas' float64 pass (not NA, not text). */
export function isNumberScan(scan: CellBytesScan): boolean {
  return !(scan.flags & (NA | FLOAT_INVALID));
}

/**
 * cyrb53's mixing over bytes, taken four at a time (and the length), then one at a time for the
 * last few: a quarter of the multiplications of a byte loop on preprocess's every line. Not the
 * same hashes as hashText.
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed ^ (end - start);
  let h2 = 0x41c6ce57 ^ seed;
  let i = start;
  for (const last = end - 3; i < last; i += 4) {
    const word = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h1 = Math.imul(h1 ^ word, 2654435761);
    h2 = Math.imul(h2 ^ word, 1597334677);
  }
  for (; i < end; i++) {
    const ch = bytes[i];
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return cyrb53Finish(h1, h2);
}

const doubleBits = new Float64Array(1);
const doubleWords = new Uint32Array(doubleBits.buffer);

/**
 * A 32-bit hash of a double's bits, for open-addressing tables keyed by numbers: both words are
 * mixed down into the low bits (murmur3's finaliser), since whole numbers have a zero low word
 * and their information in the high word's top bits.
 */
export function hashDouble(value: number): number {
  doubleBits[0] = value;
  let h = doubleWords[0] ^ Math.imul(doubleWords[1] ^ (doubleWords[1] >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
