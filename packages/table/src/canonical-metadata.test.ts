import { describe, expect, it } from 'vitest';
import { canonicalCsvMetadata, canonicalTypesOf } from './canonical-metadata.js';

describe('canonicalTypesOf', () => {
  it('reads back the types that canonicalCsvMetadata records, in column order', () => {
    const metadata = { rows_in: 3, ...canonicalCsvMetadata([{ name: 'b', type: 'float', nulls: 0, min: 1, max: 2 }, { name: 'a', type: 'string', nulls: 1 }]) };
    expect([...canonicalTypesOf({ metadata })!]).toEqual([['b', 'float'], ['a', 'string']]);
  });

  it.each([
    ['no format', { columns: [{ name: 'a', type: 'int' }] }],
    ['Parquet', { format: 'parquet', columns: [{ name: 'a', type: 'int' }] }],
    ['no columns', { format: 'csv' }],
    ['a column without a type', { format: 'csv', columns: [{ name: 'a', type: 'int' }, { name: 'b' }] }],
    ['an unknown type', { format: 'csv', columns: [{ name: 'a', type: 'datetime' }] }],
    ['a column that is not an object', { format: 'csv', columns: [null] }],
  ])('is undefined for metadata with %s', (_, metadata) => {
    expect(canonicalTypesOf({ metadata })).toBeUndefined();
  });
});
