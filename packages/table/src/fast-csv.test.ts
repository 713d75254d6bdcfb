import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/store/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsvLine } from './csv-writer.js';
import { readCsvFast } from './fast-csv.js';
import type { Row } from './types.js';
import { oracle, trickyCsv } from './test-support/tricky-csv.js';

const dir = tempDir();
afterAll(() => dir.remove());

async function fast(content: string | Buffer, chunkBytes?: number, pick?: (header: string[]) => number[] | undefined, raws?: string[]): Promise<Row[]> {
  const path = join(dir.path, `t${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, content);
  const rows: Row[] = [];
  let header: string[] | undefined;
  for await (const item of readCsvFast(path, { bytesRead: 0 }, { chunkBytes, pick })) {
    if ('header' in item) header = item.header;
    else {
      rows.push(...item);
      raws?.push(...(item.raw as string[]));
    }
  }
  return [header!, ...rows];
}

describe('the fast CSV parser against csv-parse', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives identical records on generated tricky CSV (seed %i), at every chunk size', async (seed) => {
    const content = trickyCsv(seed, 150, 1 + (seed % 5));
    for (const chunkBytes of [64, 1000, 1 << 20]) expect(await fast(content, chunkBytes)).toEqual(oracle(content));
    // Tiny reads re-scan a record that spans many chunks, so they get a shorter file.
    const short = trickyCsv(seed + 100, 25, 1 + (seed % 5));
    for (const chunkBytes of [1, 2, 3, 7]) expect(await fast(short, chunkBytes)).toEqual(oracle(short));
  });

  it('picks fields, and then gives every record as minimally quoted text', async () => {
    for (const seed of [11, 12, 13]) {
      const content = trickyCsv(seed, 120, 4);
      const [header, ...all] = oracle(content);
      const raws: string[] = [];
      const picked = await fast(content, 257, () => [3, 0], raws);
      expect(picked).toEqual([header, ...all.map((row) => [row[3], row[0]])]);
      expect(raws).toEqual(all.map((row) => formatCsvLine(row)));
      expect((await fast(content, 1 << 20, () => []))[1]).toEqual([]);
    }
  });

  it('splits multi-byte characters across every chunk boundary', async () => {
    const content = `name,city\n${Array.from({ length: 50 }, (_, i) => `"é${i}😀, ü",Zürich€`).join('\n')}\n`;
    for (let chunk = 1; chunk <= 9; chunk++) expect(await fast(Buffer.from(content), chunk)).toEqual(oracle(content));
  });

  it('reads the bundled data as csv-parse does', async () => {
    const { readFileSync } = await import('node:fs');
    const content = readFileSync(join(import.meta.dirname, '../../../data/genres_mod1.csv'));
    expect(await fast(content)).toEqual(oracle(content));
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,"x\n', 'E_CSV_UNCLOSED_QUOTE'],
    ['text after a closing quote', 'a,b\n1,"x"y\n', 'E_CSV_QUOTE'],
    ['a quote inside an unquoted field', 'a,b\n1,x"y\n', 'E_CSV_QUOTE'],
    ['too many fields', 'a,b\n1,2,3\n', 'E_CSV_FIELD_COUNT'],
    ['too few fields after quotes', 'a,b,c\n"1",2\n', 'E_CSV_FIELD_COUNT'],
  ])('rejects %s, as csv-parse does', async (_, content, code) => {
    expect(() => oracle(content)).toThrow();
    await expect(fast(content)).rejects.toMatchObject({ code });
  });

  it('names the line of a bad record, counting newlines inside quoted fields', async () => {
    await expect(fast('a,b\n"x\ny",1\n2,3,4\n')).rejects.toThrow(/at line 4 has 3 fields/);
  });
});
