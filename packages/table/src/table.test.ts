import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ByteLineWriter, CsvFileWriter, formatCsvLine } from './csv-writer.js';
import { ExactDeduplicator } from './dedup.js';
import { DataError } from './errors.js';
import { inferSchema } from './infer.js';
import { detectFormat, openTable } from './table.js';
import { canonicalizeTable } from './canonicalize.js';
import type { Row } from './types.js';

const DATA = join(import.meta.dirname, '../../../data');

async function readAll(path: string, select?: string[]): Promise<{ columns: string[]; rows: Row[] }> {
  const reader = await openTable(path, { select });
  const rows: Row[] = [];
  for await (const batch of reader.batches()) rows.push(...batch);
  return { columns: reader.columns, rows };
}

async function writeCanonical(input: string, output: string): Promise<void> {
  await canonicalizeTable(input, output);
}

describe('tables', () => {
  let dir: ReturnType<typeof tempDir>;
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  it('detects Parquet by its magic bytes, whatever the extension', async () => {
    const copy = file('raw_data', readFileSync(join(DATA, 'genres_mod1.parquet')));
    expect(await detectFormat(copy)).toBe('parquet');
    expect(await detectFormat(file('x.txt', 'a,b\n1,2\n'))).toBe('csv');
  });

  it('reads the bundled Parquet file without the pandas index column', async () => {
    const { columns, rows } = await readAll(join(DATA, 'genres_mod1.parquet'));
    expect(columns).toHaveLength(16);
    expect(columns).not.toContain('__index_level_0__');
    expect(rows).toHaveLength(21152);
    const schema = await inferSchema(join(DATA, 'genres_mod1.parquet'));
    expect(Object.fromEntries(schema.columns.map((c, i) => [c, schema.types[i]]))).toMatchObject({ danceability: 'float', key: 'int', genre: 'string' });
  });

  it('reads only the selected Parquet columns, in the order asked', async () => {
    const { columns, rows } = await readAll(join(DATA, 'genres_mod1.parquet'), ['genre', 'tempo']);
    expect(columns).toEqual(['genre', 'tempo']);
    expect(rows[0]).toEqual(['trap', '154.957']);
  });

  it('parses quotes, embedded commas and newlines, CRLF, a BOM and empty fields', async () => {
    const path = file('tricky.csv', '\ufeffa,b,c\r\n"x, y","say ""hi""","line1\nline2"\r\n,2,\r\n\r\n3,,ü€\r\n');
    const { columns, rows } = await readAll(path);
    expect(columns).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      ['x, y', 'say "hi"', 'line1\nline2'],
      [null, '2', null],
      ['3', null, 'ü€'],
    ]);
    expect(rows).toEqual(parse(readFileSync(path), { bom: true, skip_empty_lines: true, from_line: 2 }).map((r: string[]) => r.map((c) => (c === '' ? null : c))));
  });

  it('round-trips CSV and Parquet input to the same pandas-style CSV', async () => {
    const fromParquet = join(dir.path, 'p.csv');
    const fromCsv = join(dir.path, 'c.csv');
    const again = join(dir.path, 'again.csv');
    await writeCanonical(join(DATA, 'genres_mod1.parquet'), fromParquet);
    await writeCanonical(join(DATA, 'genres_mod1.csv'), fromCsv);
    await writeCanonical(fromCsv, again);
    const digest = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(digest(fromParquet)).toBe(digest(fromCsv));
    expect(digest(again)).toBe(digest(fromCsv));
    // The shared CSV was written by pandas-style to_csv(index=False): identical bytes.
    expect(digest(fromCsv)).toBe(digest(join(DATA, 'genres_mod1.csv')));
  });

  // The expected text is pandas 1.5.3's: pd.read_csv(path).to_csv(index=False).
  it('writes ints with nulls as floats, floats in shortest form and nulls as empty fields', async () => {
    const path = file('types.csv', 'i,f,s,b\n007,1,hello,true\n2,0.50,"a,b",False\n,1e-5,,\n');
    const out = join(dir.path, 'out.csv');
    await writeCanonical(path, out);
    expect(readFileSync(out, 'utf8')).toBe('i,f,s,b\n7.0,1.0,hello,True\n2.0,0.5,"a,b",False\n,1e-05,,\n');
  });

  it.each([
    ['an empty file', '', 'E_EMPTY_FILE'],
    ['a row with more fields than the rows before it', 'a,b\n1,2\n1,2,3\n', 'E_CSV_FIELD_COUNT'],
    ['an unclosed quote', 'a,b\n1,"2\n3,4\n', 'E_CSV_UNCLOSED_QUOTE'],
  ])('fails clearly on %s', async (_, content, code) => {
    const error = await readAll(file('bad.csv', content)).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.code).toBe(code);
  });

  it('pads short rows, names columns and drops an implicit index as pandas does', async () => {
    expect(await readAll(file('short.csv', 'a,b,c\n1,2\n3,4,5\n'))).toEqual({ columns: ['a', 'b', 'c'], rows: [['1', '2', null], ['3', '4', '5']] });
    expect((await readAll(file('dup.csv', 'a,b,a,\n1,2,3,4\n'))).columns).toEqual(['a', 'b', 'a.1', 'Unnamed: 3']);
    expect(await readAll(file('index.csv', 'a,b\nx,1,2\ny,3\n'))).toEqual({ columns: ['a', 'b'], rows: [['1', '2'], ['3', null]] });
  });

  it('reports the line of a row with the wrong number of fields', async () => {
    const error = await readAll(file('bad.csv', 'a,b\n1,2\n3,4\n5,6,7\n')).catch((e) => e);
    expect(error.message).toMatch(/line 4/);
  });

  it('refuses invalid UTF-8', async () => {
    const error = await readAll(file('latin1.csv', Buffer.from([0x61, 0x0a, 0xe9, 0x74, 0xe9, 0x0a]))).catch((e) => e);
    expect(error).toMatchObject({ code: 'E_INVALID_UTF8' });
  });

  it('decodes multi-byte characters split across read chunks', async () => {
    const cell = '€'.repeat(400_000);
    const { rows } = await readAll(file('wide.csv', `a\n${cell}\n`));
    expect(rows[0][0]).toBe(cell);
  });

  it('refuses a truncated or corrupt Parquet file', async () => {
    const bytes = readFileSync(join(DATA, 'genres_mod1.parquet'));
    await expect(readAll(file('cut.parquet', bytes.subarray(0, bytes.length / 2)))).rejects.toMatchObject({ code: 'E_PARQUET_CORRUPT' });
    const garbled = Buffer.from(bytes);
    garbled.fill(0x41, 1000, 200_000);
    await expect(readAll(file('garbled.parquet', garbled))).rejects.toMatchObject({ code: 'E_PARQUET_CORRUPT' });
  });
});

describe('ExactDeduplicator', () => {
  it('never drops a distinct row on a hash collision', () => {
    const dir = tempDir();
    try {
      const writer = new CsvFileWriter(join(dir.path, 'out.csv'));
      // Every key gets the same hash: only the read-back comparison tells them apart.
      const dedup = new ExactDeduplicator((offset, length) => writer.readBack(offset, length));
      const kept: string[] = [];
      for (const key of ['a,1', 'b,2', 'a,1', 'c,3', 'b,2', 'a,1,x']) {
        if (dedup.has(key, 42)) continue;
        dedup.remember(key, writer.writeLine(`${key},feature`), 42);
        kept.push(key);
      }
      writer.close();
      expect(kept).toEqual(['a,1', 'b,2', 'c,3', 'a,1,x']);
      expect(dedup.collisions).toBeGreaterThan(0);
      expect(formatCsvLine(['a', null])).toBe('a,');
    } finally {
      dir.remove();
    }
  });

  it('keeps exactly the first of each key while its table grows, also for keys sharing their low hash bits', () => {
    const dir = tempDir();
    try {
      const writer = new ByteLineWriter(join(dir.path, 'out.csv'));
      const dedup = new ExactDeduplicator((offset, length) => writer.readBack(offset, length), [0x2c]);
      // Keys 2k and 2k+1 share the low 32 bits of their hash (their slot and first compare); only the high bits tell them apart.
      // The low bits are a bijection of 2k (a multiplication by an odd number), so no two other keys share them.
      const hashOf = (n: number) => (Math.imul(n - (n % 2), 0x9e3779b1) >>> 0) + 2 ** 32 * (1 + (n % 2));
      const seen = new Set<number>();
      for (let i = 0; i < 300_000; i++) {
        const n = (i * 7919) % 200_003;
        const bytes = Buffer.from(`row${n}`);
        expect(dedup.hasBytes(bytes, 0, bytes.length, hashOf(n))).toBe(seen.has(n));
        if (seen.has(n)) continue;
        seen.add(n);
        const offset = writer.offset;
        writer.append(bytes, 0, bytes.length);
        writer.appendByte(0x2c);
        writer.endLine();
        dedup.remember('', offset, hashOf(n));
      }
      writer.close();
      expect(dedup.size).toBe(seen.size);
      expect(dedup.collisions).toBe(0);
    } finally {
      dir.remove();
    }
  });
});
