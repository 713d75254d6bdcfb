/**
 * What pandas 1.5.3's C parser makes of one token, pass by pass. read_csv infers a column's
 * dtype by trying int64, then uint64 (only after an int64 overflow), float64, bool and object
 * over every token in order (pandas/_libs/parsers.pyx, `_convert_tokens` and the `_try_*`
 * functions; the token converters are in pandas/_libs/src/parser/tokenizer.c). Each token's
 * outcome in each pass is independent of the others, so it is computed once, as bit flags, and a
 * column folds them (type-inference.ts).
 */
import { formatPythonFloat } from './float-format.js';

/** An NA token of pandas' default `na_values` (the empty token included). */
export const NA = 1;
/** A non-empty NA token: pandas writes it back as an empty field. */
export const NA_TEXT = 2;
/** int64 pass (`str_to_int64`): not an integer. */
export const INT_INVALID = 4;
/** int64 pass: an integer outside int64, found while reading its digits. */
export const INT_OVERFLOW = 8;
/** uint64 pass (`str_to_uint64`): not an integer. */
export const UINT_INVALID = 16;
/** uint64 pass: above 2^64 - 1. */
export const UINT_OVERFLOW = 32;
/** uint64 pass: above int64's maximum (`seen_uint`). */
export const UINT_BIG = 64;
/** uint64 pass: starts with '-' (`seen_sint`; no error, whatever follows). */
export const UINT_SIGNED = 128;
/** float64 pass (`precise_xstrtod`, or an inf spelling): not a number. */
export const FLOAT_INVALID = 256;
/** bool pass: not True/TRUE/true/False/FALSE/false (any case). */
export const BOOL_INVALID = 512;
/** The token is already how pandas writes its int64 value. */
export const CANON_INT = 1024;
/** The token is already how pandas writes its float64 value (Python's repr). */
export const CANON_FLOAT = 2048;
/** The token is `True` or `False`. */
export const CANON_BOOL = 4096;

/** Flags of a token that is text to every pass. */
export const TEXT_FLAGS = INT_INVALID | UINT_INVALID | FLOAT_INVALID | BOOL_INVALID;

/** pandas' default na_values (`pandas._libs.parsers.STR_NA_VALUES`): matched exactly, case and all. */
export const NA_TOKENS: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'n/a', 'nan', 'null',
]);

const NA_FIRST_BYTES = new Set([...NA_TOKENS].filter((t) => t).map((t) => t.charCodeAt(0)));
const NA_BYTES = [...NA_TOKENS].filter((t) => t).map((t) => Buffer.from(t));

/** Whether `bytes[start, end)` is a non-empty NA token, without making a string. */
export function isNaTokenBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > 8 || !NA_FIRST_BYTES.has(bytes[start])) return false;
  outer: for (const token of NA_BYTES) {
    if (token.length !== length) continue;
    for (let k = 0; k < length; k++) if (token[k] !== bytes[start + k]) continue outer;
    return true;
  }
  return false;
}

const INT64_MAX = '9223372036854775807';
const INT64_MIN_MAGNITUDE = '9223372036854775808';
const UINT64_MAX = '18446744073709551615';

/** C's isspace in the "C" locale, as tokenizer.c's isspace_ascii. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Whether the digit run `text[from, to)` (leading zeros allowed) exceeds `limit` (a decimal string). */
function exceeds(text: string, from: number, to: number, limit: string): boolean {
  while (from < to - 1 && text.charCodeAt(from) === 48) from++;
  const length = to - from;
  if (length !== limit.length) return length > limit.length;
  return text.slice(from, to) > limit;
}

/** The flags of one token (a field's text, as the tokenizer cut it). */
export function classifyToken(text: string): number {
  if (NA_TOKENS.has(text)) return text === '' ? NA : NA | NA_TEXT;
  return int64Flags(text) | uint64Flags(text) | floatFlags(text) | boolFlags(text);
}

/** `str_to_int64`: spaces, a sign, digits (overflow is seen while reading them), spaces, the end. */
function int64Flags(text: string): number {
  const n = text.length;
  let p = 0;
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  const negative = text.charCodeAt(p) === 45;
  if (negative || text.charCodeAt(p) === 43) p++;
  const digitsFrom = p;
  while (p < n && isDigit(text.charCodeAt(p))) p++;
  if (p === digitsFrom) return INT_INVALID;
  if (exceeds(text, digitsFrom, p, negative ? INT64_MIN_MAGNITUDE : INT64_MAX)) return INT_OVERFLOW;
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  if (p !== n) return INT_INVALID;
  return text === canonicalIntText(text) ? CANON_INT : 0;
}

/** `str_to_uint64`: as str_to_int64, but a leading '-' only notes a signed value. */
function uint64Flags(text: string): number {
  const n = text.length;
  let p = 0;
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) === 45) return UINT_SIGNED;
  if (text.charCodeAt(p) === 43) p++;
  const digitsFrom = p;
  while (p < n && isDigit(text.charCodeAt(p))) p++;
  if (p === digitsFrom) return UINT_INVALID;
  if (exceeds(text, digitsFrom, p, UINT64_MAX)) return UINT_OVERFLOW;
  const big = exceeds(text, digitsFrom, p, INT64_MAX);
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  if (p !== n) return UINT_INVALID;
  return big ? UINT_BIG : 0;
}

function floatFlags(text: string): number {
  const value = parsePandasDouble(text);
  if (value === undefined) return FLOAT_INVALID;
  return formatPythonFloat(value) === text ? CANON_FLOAT : 0;
}

function boolFlags(text: string): number {
  if (text === 'True' || text === 'False') return CANON_BOOL;
  const lower = text.length === 4 || text.length === 5 ? text.toLowerCase() : '';
  return lower === 'true' || lower === 'false' ? 0 : BOOL_INVALID;
}

/** The decimal text pandas writes for an integer token of the int64 or uint64 pass. */
export function canonicalIntText(text: string): string {
  const trimmed = text.trim();
  let p = 0;
  const negative = trimmed.charCodeAt(0) === 45;
  if (negative || trimmed.charCodeAt(0) === 43) p = 1;
  while (p < trimmed.length - 1 && trimmed.charCodeAt(p) === 48) p++;
  const digits = trimmed.slice(p);
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** An integer token's value as a double, as numpy casts int64 and uint64 to float64 (to nearest, ties to even). */
export function intTokenAsDouble(text: string): number {
  return Number(BigInt(canonicalIntText(text)));
}

// tokenizer.c's table of powers of ten: the compiler rounds each literal to the nearest double,
// as JavaScript does.
const POWERS_OF_TEN = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));
const INF_WORDS = new Set(['inf', '+inf', 'infinity', '+infinity']);
const NEGATIVE_INF_WORDS = new Set(['-inf', '-infinity']);

/**
 * A float64 token's value exactly as pandas 1.5.3 reads it (`precise_xstrtod`, then the inf
 * spellings of `_try_double_nogil`), or undefined where the float64 pass fails. pandas adds up
 * to 17 digits in a double and scales by a power of ten, so it misreads some decimals of 16-17
 * digits and some large exponents by one unit in the last place; this reproduces that.
 */
export function parsePandasDouble(text: string): number | undefined {
  const value = xstrtod(text);
  if (value !== undefined) return value;
  const lower = text.length <= 9 ? text.toLowerCase() : '';
  if (INF_WORDS.has(lower)) return Infinity;
  if (NEGATIVE_INF_WORDS.has(lower)) return -Infinity;
  return undefined;
}

/** A cell's value as pandas' float64 pass reads it; NaN where it is not a number (or an NA). */
export function parseFloatCell(cell: string): number {
  return parsePandasDouble(cell) ?? Number.NaN;
}

function xstrtod(text: string): number | undefined {
  const n = text.length;
  const maxDigits = 17;
  let p = 0;
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  let negative = false;
  if (text.charCodeAt(p) === 45) {
    negative = true;
    p++;
  } else if (text.charCodeAt(p) === 43) p++;
  let number = 0;
  let exponent = 0;
  let digits = 0;
  while (p < n && isDigit(text.charCodeAt(p))) {
    if (digits < maxDigits) {
      number = number * 10 + (text.charCodeAt(p) - 48);
      digits++;
    } else exponent++;
    p++;
  }
  if (text.charCodeAt(p) === 46) {
    p++;
    let decimals = 0;
    while (digits < maxDigits && p < n && isDigit(text.charCodeAt(p))) {
      number = number * 10 + (text.charCodeAt(p) - 48);
      p++;
      digits++;
      decimals++;
    }
    if (digits >= maxDigits) while (p < n && isDigit(text.charCodeAt(p))) p++;
    exponent -= decimals;
  }
  if (digits === 0) return undefined;
  if (negative) number = -number;
  const e = text.charCodeAt(p);
  if (e === 101 || e === 69) {
    let exponentNegative = false;
    p++;
    if (text.charCodeAt(p) === 45) {
      exponentNegative = true;
      p++;
    } else if (text.charCodeAt(p) === 43) p++;
    let exponentDigits = 0;
    let value = 0;
    while (exponentDigits < maxDigits && p < n && isDigit(text.charCodeAt(p))) {
      // A C int: it wraps as the compiled code does.
      value = (value * 10 + (text.charCodeAt(p) - 48)) | 0;
      exponentDigits++;
      p++;
    }
    exponent = (exponentNegative ? exponent - value : exponent + value) | 0;
    // Without digits after the 'e', one character is given back: the token then fails.
    if (exponentDigits === 0) p--;
  }
  if (exponent > 308) return undefined;
  if (exponent > 0) number *= POWERS_OF_TEN[exponent];
  else if (exponent < -308) {
    if (exponent < -616) number = 0;
    else {
      number /= POWERS_OF_TEN[-308 - exponent];
      number /= POWERS_OF_TEN[308];
    }
  } else number /= POWERS_OF_TEN[-exponent];
  if (number === Infinity || number === -Infinity) return undefined;
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  return p === n ? number : undefined;
}
