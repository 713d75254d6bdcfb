import { describe, expect, it } from 'vitest';
import { formatPythonFloat } from './float-format.js';

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
});
