import { formatPythonFloat } from './float-format.js';

const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;
const BOOL_TEXT = /^(?:true|false)$/i;

/** int64 holds at most 19 digits; longer integers are read as floats, as pandas does. */
const MAX_INT_DIGITS = 18;

export type CellKind = 'int' | 'float' | 'bool' | 'string';

export function classifyCell(text: string): CellKind {
  if (INT_TEXT.test(text)) return text.replace(/^[+-]/, '').length <= MAX_INT_DIGITS ? 'int' : 'float';
  if (FLOAT_TEXT.test(text) || SPECIAL_FLOAT.test(text)) return 'float';
  if (BOOL_TEXT.test(text)) return 'bool';
  return 'string';
}


/** Parses a float cell, including inf/nan spellings. */
export function parseFloatCell(cell: string): number {
  if (cell.length === 0) return Number.NaN;
  // Number() also takes ' 1', '0x1f', '0b1' and '1_0'-free forms; only decimal text is accepted here.
  if (looksDecimal(cell)) {
    const value = Number(cell);
    if (!Number.isNaN(value)) return value;
  }
  if (SPECIAL_FLOAT.test(cell)) {
    const lower = cell.toLowerCase();
    if (lower.endsWith('nan')) return Number.NaN;
    return lower.startsWith('-') ? -Infinity : Infinity;
  }
  return Number.NaN;
}

function looksDecimal(cell: string): boolean {
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  const firstOk = (first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46;
  const lastOk = (last >= 48 && last <= 57) || last === 46;
  return firstOk && lastOk && (cell.length < 2 || !isRadixLetter(cell.charCodeAt(1))) && FLOAT_TEXT.test(cell);
}

function isRadixLetter(code: number): boolean {
  return code === 120 || code === 88 || code === 98 || code === 66 || code === 111 || code === 79;
}

/**
 * One pass over a cell's characters that says what pandas would read it as and whether its text
 * is already what pandas would write for that kind (so it can be copied through unchanged). It
 * replaces a handful of regular expressions per cell on the hot path.
 */
export interface CellScan {
  kind: CellKind;
  /** The text is canonical for its own kind: `7` (not `07`), `0.5` (not `.50`), `True`. */
  canonical: boolean;
}

const INT = { kind: 'int', canonical: true } as const;
const INT_NONCANONICAL = { kind: 'int', canonical: false } as const;
const FLOAT = { kind: 'float', canonical: true } as const;
const FLOAT_NONCANONICAL = { kind: 'float', canonical: false } as const;

export function scanCell(text: string): CellScan {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (c === 45 || c === 43) c = text.charCodeAt(++i);
  const intStart = i;
  while (i < n && c >= 48 && c <= 57) c = text.charCodeAt(++i);
  const intDigits = i - intStart;
  if (i === n && intDigits > 0) {
    if (intDigits > 18) return slowScan(text);
    // Canonical ints have no '+' and no leading zero (but '0' itself).
    return text.charCodeAt(0) !== 43 && (intDigits === 1 || text.charCodeAt(intStart) !== 48) && !(negative && intDigits === 1 && text.charCodeAt(intStart) === 48) ? INT : INT_NONCANONICAL;
  }
  if (c !== 46 || intDigits === 0) return slowScan(text);
  // A fixed-notation decimal: canonical when it is the shortest round-trip text, which any
  // decimal with at most 15 significant digits and no redundant zeros is (in [1e-4, 1e16)).
  c = text.charCodeAt(++i);
  const fracStart = i;
  while (i < n && c >= 48 && c <= 57) c = text.charCodeAt(++i);
  if (i !== n) return slowScan(text);
  const fracDigits = n - fracStart;
  if (fracDigits === 0) return FLOAT_NONCANONICAL;
  const intZero = intDigits === 1 && text.charCodeAt(intStart) === 48;
  if (text.charCodeAt(0) === 43 || (intDigits > 1 && text.charCodeAt(intStart) === 48)) return FLOAT_NONCANONICAL;
  if (fracDigits === 1 && text.charCodeAt(fracStart) === 48) return intDigits <= 15 ? FLOAT : slowScan(text);
  if (text.charCodeAt(n - 1) === 48) return FLOAT_NONCANONICAL;
  let leadingZeros = 0;
  if (intZero) while (text.charCodeAt(fracStart + leadingZeros) === 48) leadingZeros++;
  const significant = intZero ? fracDigits - leadingZeros : intDigits + fracDigits;
  if (significant <= 15 && leadingZeros <= 3 && intDigits <= 16) return FLOAT;
  return slowScan(text);
}

function slowScan(text: string): CellScan {
  const kind = classifyCell(text);
  if (kind === 'float') {
    const value = parseFloatCell(text);
    return !Number.isNaN(value) && formatPythonFloat(value) === text ? FLOAT : FLOAT_NONCANONICAL;
  }
  if (kind === 'bool') return { kind, canonical: text === 'True' || text === 'False' };
  if (kind === 'int') return INT_NONCANONICAL;
  return { kind, canonical: true };
}
