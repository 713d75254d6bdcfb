import { describe, expect, it } from 'vitest';
import { classifyCell, parseFloatCell, scanCell } from './cell-scan.js';
import { canonicalCell } from './type-inference.js';

/** The reference: the regular-expression classifier and pandas-style formatting. */
function expected(text: string) {
  const kind = classifyCell(text);
  return { kind, canonical: canonicalCell(text, kind) === text };
}

describe('parseFloatCell', () => {
  it.each([
    ['1.5', 1.5], ['-2', -2], ['1e3', 1000], ['.5', 0.5], ['inf', Infinity], ['-Infinity', -Infinity],
    ['nan', Number.NaN], ['0x10', Number.NaN], [' 12', Number.NaN], ['12 ', Number.NaN], ['0b1', Number.NaN], ['abc', Number.NaN], ['', Number.NaN],
  ])('%j is %d', (text, value) => {
    expect(parseFloatCell(text)).toBe(value);
  });
});

describe('scanCell agrees with classifyCell and canonicalCell', () => {
  const edge = ['0', '-0', '+1', '007', '12', '-12', '1234567890123456789', '0.0', '-0.0', '1.0', '1.50', '.5', '5.', '0.0001', '0.00001',
    '1e5', '1E-5', '1.5e+16', '123456789012345.6', '1234567890123456.0', '12345678901234567.0', '0.1234567890123456', '0.30000000000000004',
    'nan', 'NaN', 'inf', '-inf', 'Infinity', 'True', 'false', 'TRUE', 'abc', '1a', '-', '+', '.', 'e5', '1.2.3', '00.5', '-00.5', '0.50', '9007199254740993.0'];
  it.each(edge)('%j', (text) => {
    expect(scanCell(text)).toEqual(expected(text));
  });

  it('on 100,000 random numeric-looking strings', () => {
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const alphabet = '0123456789000.-+e';
    for (let n = 0; n < 100_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 20);
      for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      if (random() < 0.5) text = String(Number((random() * 10 ** Math.floor(random() * 20 - 8)).toPrecision(1 + Math.floor(random() * 17))));
      expect(scanCell(text), text).toEqual(expected(text));
    }
  });
});
