import { describe, expect, it } from 'vitest';
import { hashBytes, scanCellBytes } from './cell-bytes.js';
import { FLOAT_INVALID, INT_INVALID, INT_OVERFLOW, NA, classifyToken, intTokenAsDouble, parsePandasDouble } from './pandas-tokens.js';

/** Awkward numeric and non-numeric spellings: signs, leading and trailing zeros, long digit runs, exponents, words. */
function spellings(count: number): string[] {
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const digits = (max: number) => Array.from({ length: Math.floor(random() * max) }, () => String(Math.floor(random() * 10))).join('');
  const fixed = ['0', '-0', '+1', '007', '0.0', '-0.0', '1.', '.5', '1e5', 'nan', 'NaN', 'NA', '-inf', 'True', 'false', ' 1', '1 ', '0x1f', '1_0', 'é',
    '12345678901234567890', '-9223372036854775809', '9223372036854775808', '0.00001', '0.0001', '9007199254740993', '123456789012345.6', '-1.5', '+0.5'];
  const out = [...fixed];
  for (let i = 0; i < count; i++) {
    const sign = random() < 0.2 ? '-' : random() < 0.05 ? '+' : '';
    const int = digits(18) || (random() < 0.5 ? '0' : '');
    const frac = random() < 0.7 ? `.${digits(18)}` : '';
    out.push(`${sign}${int}${frac}`);
  }
  return out.filter((text) => text.length > 0);
}

/** The value pandas reads for a token, as the profile wants it. */
function valueOf(text: string, flags: number): number {
  if (flags & NA) return Number.NaN;
  if (!(flags & (INT_INVALID | INT_OVERFLOW))) return intTokenAsDouble(text);
  return flags & FLOAT_INVALID ? Number.NaN : parsePandasDouble(text)!;
}

describe('scanning a cell on its bytes', () => {
  it('agrees with classifyToken, and with pandas values, on every spelling', () => {
    const scan = { flags: 0, value: 0 };
    for (const text of spellings(200_000)) {
      const bytes = Buffer.from(`,${text},`);
      const got = scanCellBytes(bytes, 1, bytes.length - 1, scan);
      const flags = classifyToken(text);
      expect({ text, flags: got.flags }).toEqual({ text, flags });
      expect(Object.is(got.value, valueOf(text, flags)) || (Number.isNaN(got.value) && Number.isNaN(valueOf(text, flags))), text).toBe(true);
    }
  });

  it('hashes bytes deterministically, and differently for different bytes', () => {
    const a = Buffer.from('x,1.5,abc');
    expect(hashBytes(a, 0, a.length)).toBe(hashBytes(Buffer.from('x,1.5,abc'), 0, 9));
    expect(hashBytes(a, 0, a.length)).not.toBe(hashBytes(Buffer.from('x,1.5,abd'), 0, 9));
    expect(hashBytes(a, 2, 5)).toBe(hashBytes(Buffer.from('1.5'), 0, 3));
  });
});
