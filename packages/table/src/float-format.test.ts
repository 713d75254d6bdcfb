import { describe, expect, it } from 'vitest';
import { formatPythonFloat, formatPythonFloat32 } from './float-format.js';

describe('formatPythonFloat', () => {
  // Expected strings are Python's repr() of the same doubles.
  it.each([
    [0.1, '0.1'],
    [1, '1.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [123456789012345.6, '123456789012345.6'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345678901234567e19, '1.2345678901234567e+19'],
    [0.8440000000000001, '0.8440000000000001'],
    [-3.25, '-3.25'],
    [1e-300, '1e-300'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [2 ** 53, '9007199254740992.0'],
    [5e-324, '5e-324'],
  ])('%d -> %s', (value, expected) => {
    expect(formatPythonFloat(value)).toBe(expected);
  });

  it('gives the same text on its fast path as on the general one, for doubles of every magnitude', () => {
    let state = 99;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const general = (x: number) => {
      const [mantissa, exponentText] = x.toExponential().split('e');
      const exponent = Number(exponentText);
      const digits = mantissa.replace('-', '').replace('.', '');
      const sign = x < 0 ? '-' : '';
      if (exponent >= 0) return `${sign}${digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')}.${digits.slice(exponent + 1) || '0'}`;
      return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    };
    const samples = [1e-4, 9.999999999999999e-5, 1e16 - 2, 0.1 + 0.2, 2 ** 53 + 2, 123.0, -5];
    for (let i = 0; i < 200_000; i++) samples.push((random() - 0.5) * 10 ** Math.floor(random() * 24 - 6));
    for (const x of samples) {
      const magnitude = Math.abs(x);
      if (magnitude >= 1e-4 && magnitude < 1e16) expect(formatPythonFloat(x), String(x)).toBe(general(x));
    }
  });
});

describe('formatPythonFloat32', () => {
  // Expected strings are what pandas 1.5.3 writes for a float32 column (numpy's float32 repr).
  it.each([
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [3.4028234663852886e38, '3.4028235e+38'],
    [1.5, '1.5'],
    [-0, '-0.0'],
    [16777217, '16777216.0'],
    [1 / 3, '0.33333334'],
    [123456.789, '123456.79'],
    [1e16, '1e+16'],
    [0.0001, '1e-04'],
    [-2.5, '-2.5'],
  ])('%d -> %s', (value, expected) => {
    expect(formatPythonFloat32(Math.fround(value))).toBe(expected);
  });
});
