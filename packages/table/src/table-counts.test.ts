import { describe, expect, it } from 'vitest';
import { type TableCounts, decodeTableCounts, encodeTableCounts } from './table-counts.js';

const table: TableCounts = {
  rows: 7,
  columns: [
    { name: 'loudness', type: 'float', nulls: 1, numbers: { count: 6, distinct: Float64Array.from([-Infinity, -3.25, -0, 0, 5e-324, Number.NaN]), counts: Float64Array.from([1, 2, 1, 1, 1, 1]) } },
    { name: 'genre', type: 'string', nulls: 2, labels: new Map([['Dark Trap', 3], ['', 2], ['émo, "x"', 2]]) },
    { name: 'song_name', type: 'string', nulls: 0 },
  ],
};

describe('table counts', () => {
  it('read back exactly as written: -0, NaN, infinities, label order and text', () => {
    const decoded = decodeTableCounts(encodeTableCounts(table), 'counts');
    expect(decoded.rows).toBe(7);
    expect(decoded.columns.map((c) => [c.name, c.type, c.nulls])).toEqual(table.columns.map((c) => [c.name, c.type, c.nulls]));
    const numbers = decoded.columns[0].numbers!;
    expect(numbers.count).toBe(6);
    expect([...numbers.distinct].map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(['-Infinity', '-3.25', '-0', '0', '5e-324', 'NaN']);
    expect([...numbers.counts]).toEqual([1, 2, 1, 1, 1, 1]);
    expect([...decoded.columns[1].labels!]).toEqual([['Dark Trap', 3], ['', 2], ['émo, "x"', 2]]);
    expect(decoded.columns[2]).toEqual({ name: 'song_name', type: 'string', nulls: 0 });
  });

  it('names the input when the bytes are not table counts', () => {
    const bytes = encodeTableCounts(table);
    expect(() => decodeTableCounts(Buffer.from('danceability,energy\n'), 'the counts of x:v0')).toThrow(/the counts of x:v0 is not a table-counts file: wrong magic/);
    expect(() => decodeTableCounts(bytes.subarray(0, bytes.length - 8), 'c')).toThrow(/truncated/);
    expect(() => decodeTableCounts(Buffer.concat([bytes, Buffer.alloc(8)]), 'c')).toThrow(/trailing bytes/);
    const badHeader = Buffer.from(bytes);
    badHeader[12] = 0x78; // 'x' for the JSON header's opening brace
    expect(() => decodeTableCounts(badHeader, 'c')).toThrow(/bad header/);
  });
});
