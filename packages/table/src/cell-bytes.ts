import { type CellKind, scanCell } from './cell-scan.js';
import { cyrb53Finish } from './dedup.js';

/**
 * scanCell on a cell's UTF-8 bytes, without making a string: the common numeric spellings are
 * classified here (with the same rules as scanCell's fast path) and their value computed; any
 * other cell is decoded and handed to scanCell. Measured on 1M rows of 16 columns, making a
 * string of every cell was the largest cost of preprocess.
 */
export interface CellBytesScan {
  kind: CellKind;
  canonical: boolean;
  /** The cell as a number (Number(text)); NaN for a non-numeric cell. */
  value: number;
}

// 10^k is exact in a double for k <= 22, so mantissa / 10^k is correctly rounded: the same
// number Number(text) gives (Clinger's fast path), when the mantissa has at most 15 digits.
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

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
  if (i === end && intDigits > 0) {
    if (intDigits > 15) return slow(bytes, start, end, out);
    out.kind = 'int';
    out.canonical = first !== 43 && (intDigits === 1 || bytes[intStart] !== 48) && !(negative && intDigits === 1 && bytes[intStart] === 48);
    out.value = negative ? -mantissa : mantissa;
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
  out.kind = 'float';
  out.value = (negative ? -mantissa : mantissa) / POW10[fracDigits];
  const intZero = intDigits === 1 && bytes[intStart] === 48;
  if (fracDigits === 0 || first === 43 || (intDigits > 1 && bytes[intStart] === 48)) out.canonical = false;
  else if (fracDigits === 1 && bytes[fracStart] === 48) out.canonical = true; // intDigits <= 14 here
  else if (bytes[end - 1] === 48) out.canonical = false;
  else {
    let leadingZeros = 0;
    if (intZero) while (bytes[fracStart + leadingZeros] === 48) leadingZeros++;
    // At most 15 digits in all, so significant <= 15 and intDigits <= 16 hold: scanCell's rule reduces to this.
    if (leadingZeros > 3) return slow(bytes, start, end, out);
    out.canonical = true;
  }
  return out;
}

function slow(bytes: Uint8Array, start: number, end: number, out: CellBytesScan): CellBytesScan {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  const scan = scanCell(text);
  out.kind = scan.kind;
  out.canonical = scan.canonical;
  out.value = Number(text);
  return out;
}

/** cyrb53 over bytes: the byte-level twin of hashText (the two give different hashes). */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = start; i < end; i++) {
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
