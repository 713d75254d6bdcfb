import { describe, expect, it } from 'vitest';
import { TypeTracker, canonicalCell } from './type-inference.js';
import type { Cell } from './types.js';

const infer = (cells: Cell[]) => {
  const tracker = new TypeTracker();
  cells.forEach((cell, row) => tracker.observe(cell, row));
  return tracker.type;
};

describe('type inference (as pandas.read_csv)', () => {
  it.each([
    [['1', '-2', '+3', null], 'int'],
    [['1', '2.5', null], 'float'],
    [['1e3', '.5', 'inf', 'NaN'], 'float'],
    [['True', 'false', null], 'bool'],
    [['1', 'True'], 'string'],
    [['a', '1'], 'string'],
    [[null, null], 'float'],
    [['12345678901234567890'], 'float'],
  ] as Array<[Cell[], string]>)('%j is %s', (cells, type) => {
    expect(infer(cells)).toBe(type);
  });

  it('writes cells as pandas would for the column type', () => {
    expect(canonicalCell('007', 'int')).toBe('7');
    expect(canonicalCell('+5', 'int')).toBe('5');
    expect(canonicalCell('3', 'float')).toBe('3.0');
    expect(canonicalCell('0.50', 'float')).toBe('0.5');
    expect(canonicalCell('0.00001', 'float')).toBe('1e-05');
    expect(canonicalCell('0.2109999999999', 'float')).toBe('0.2109999999999');
    expect(canonicalCell('NaN', 'float')).toBeNull();
    expect(canonicalCell('true', 'bool')).toBe('True');
    expect(canonicalCell('007', 'string')).toBe('007');
    expect(canonicalCell(null, 'int')).toBeNull();
  });

  it('remembers the first row of each kind of cell', () => {
    const tracker = new TypeTracker();
    ['1', '2', 'x', '3.5'].forEach((cell, row) => tracker.observe(cell, row));
    expect(tracker.firstRowOf).toEqual({ int: 0, string: 2 });
  });
});
