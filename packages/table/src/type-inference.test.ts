import { describe, expect, it } from 'vitest';
import { TypeTracker, canonicalCell, chunkRowsFor, concatenatedDtype } from './type-inference.js';
import type { Cell } from './types.js';

const infer = (cells: Cell[], chunkRows?: number) => {
  const tracker = new TypeTracker(chunkRows);
  cells.forEach((cell, row) => tracker.observe(cell, row));
  return tracker;
};

// Expected dtypes are pandas 1.5.3's read_csv on a one-column file of these cells (checked with
// Debian's python3-pandas); the differential suite (pandas-csv.test.ts) covers whole files.
describe('type inference (as pandas.read_csv)', () => {
  it.each([
    [['1', '-2', '+3'], 'int64'],
    [['1', '-2', null], 'float64'],
    [['1', 'NA'], 'float64'],
    [['1', '2.5', null], 'float64'],
    [['1e3', '.5', 'inf', 'NaN'], 'float64'],
    [['True', 'false', 'tRuE'], 'bool'],
    [['True', null], 'object'],
    [['1', 'True'], 'object'],
    [['a', '1'], 'object'],
    [[null, 'nan'], 'float64'],
    [['9223372036854775807', '1'], 'int64'],
    [['9223372036854775808', '1'], 'uint64'],
    [['9223372036854775808', '-1'], 'object'],
    [['99999999999999999999', '1.5'], 'object'],
    [['1.5', '99999999999999999999'], 'float64'],
    [['NAN'], 'object'],
    [['1e309'], 'object'],
    [[' 12 ', '3'], 'int64'],
  ] as Array<[Cell[], string]>)('%j is %s', (cells, dtype) => {
    expect(infer(cells).dtype).toBe(dtype);
  });

  it('types each chunk on its own, then concatenates them as numpy does', () => {
    expect(infer(['007', '1', 'x', 'y'], 2).chunkKinds()).toEqual(['int64', 'object']);
    expect(infer(['007', '1', 'x', 'y'], 2).dtype).toBe('object');
    expect(infer(['1', '2', '3', null], 2).dtype).toBe('float64');
    expect(infer(['True', 'False', '1', '0'], 2).dtype).toBe('int64');
    expect(concatenatedDtype(['int64', 'uint64'])).toBe('float64');
    expect(concatenatedDtype(['bool', 'float64'])).toBe('float64');
    expect(concatenatedDtype(['object-bool', 'int64'])).toBe('object');
  });

  it('sizes chunks as pandas buffer_lines: the largest power of two below 2^20 / width', () => {
    expect(chunkRowsFor(1)).toBe(524288);
    expect(chunkRowsFor(16)).toBe(32768);
    expect(chunkRowsFor(17)).toBe(32768);
    expect(chunkRowsFor(100)).toBe(8192);
  });

  it('writes cells as pandas would for their chunk and column', () => {
    expect(canonicalCell('007', 'int64', 'int64')).toBe('7');
    expect(canonicalCell(' +5 ', 'int64', 'int64')).toBe('5');
    expect(canonicalCell('3', 'float64-from-int', 'float64')).toBe('3.0');
    expect(canonicalCell('3', 'int64', 'object')).toBe('3');
    expect(canonicalCell('0.50', 'float64', 'float64')).toBe('0.5');
    expect(canonicalCell('0.00001', 'float64', 'float64')).toBe('1e-05');
    expect(canonicalCell('NaN', 'float64', 'float64')).toBeNull();
    expect(canonicalCell('NA', 'object', 'object')).toBeNull();
    expect(canonicalCell('NA', 'object-unfiltered', 'object')).toBe('NA');
    expect(canonicalCell('true', 'bool', 'bool')).toBe('True');
    expect(canonicalCell('true', 'bool', 'int64')).toBe('1');
    expect(canonicalCell('9223372036854775807', 'int64', 'float64')).toBe('9.223372036854776e+18');
    expect(canonicalCell(null, 'int64', 'int64')).toBeNull();
  });

  it('knows when every cell is already as pandas writes it', () => {
    expect(infer(['1', '2']).textIsCanonical).toBe(true);
    expect(infer(['1', null]).textIsCanonical).toBe(false);
    expect(infer(['1.5', null]).textIsCanonical).toBe(true);
    expect(infer(['x', 'NA']).textIsCanonical).toBe(false);
    expect(infer(['x', null]).textIsCanonical).toBe(true);
    expect(infer(['007']).textIsCanonical).toBe(false);
    expect(infer(['1', 'x'], 1).textIsCanonical).toBe(false);
  });

  it('remembers the first row of each kind of cell', () => {
    expect(infer(['1', '2', 'x', '3.5']).firstRowOf).toEqual({ int: 0, string: 2, float: 3 });
  });
});
