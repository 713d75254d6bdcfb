import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvTokenizer } from './csv-tokenizer.js';
import { pandasColumnNames, readCsvAsPandas } from './pandas-csv-reader.js';
import { oracle, trickyCsv } from './test-support/tricky-csv.js';
import type { Row } from './types.js';

const dir = tempDir();
afterAll(() => dir.remove());

async function read(content: string): Promise<Row[]> {
  const path = join(dir.path, `t${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, content);
  const rows: Row[] = [];
  await readCsvAsPandas(path, { header: (columns) => rows.push(columns), row: (cells) => rows.push(cells) });
  return rows;
}

/** Records of `content` fed to the tokenizer `step` bytes at a time. */
function tokenize(content: string, step: number): string[][] {
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer({ record: (fields) => records.push(fields) });
  const bytes = Buffer.from(content);
  for (let i = 0; i < bytes.length; i += step) tokenizer.feed(bytes, i, Math.min(bytes.length, i + step));
  tokenizer.finish();
  return records;
}

describe('reading CSV as pandas does', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives csv-parse\'s records on regular tricky CSV (seed %i)', async (seed) => {
    const content = trickyCsv(seed, 150, 1 + (seed % 5));
    expect(await read(content)).toEqual(oracle(content));
  });

  it('tokenizes the same wherever the reads split the bytes', () => {
    const content = trickyCsv(31, 40, 3);
    const whole = tokenize(content, content.length);
    for (const step of [1, 2, 3, 5, 64]) expect(tokenize(content, step)).toEqual(whole);
  });

  it('skips blank lines and lines of only spaces, and reads CR line ends', async () => {
    expect(await read('a,b\n\n  \t\n1,2\r3,4\r\n  x,5\n')).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['  x', '5']]);
  });

  // Expected names from pandas 1.5.3 (pd.read_csv(...).columns).
  it.each([
    [['a', 'a', 'a', 'b'], ['a', 'a.1', 'a.2', 'b']],
    [['a', 'a', 'a.1'], ['a', 'a.2', 'a.1']],
    [['a', 'a', 'a.1', 'a.1'], ['a', 'a.2', 'a.1', 'a.1.1']],
    [['a', '', 'Unnamed: 1'], ['a', 'Unnamed: 1.1', 'Unnamed: 1']],
    [['', ''], ['Unnamed: 0', 'Unnamed: 1']],
  ])('names the header %j as %j', (header, names) => {
    expect(pandasColumnNames(header)).toEqual(names);
  });
});
