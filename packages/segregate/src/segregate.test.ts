import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Store, openStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/store/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allocateByClass } from './allocation.js';
import { Xoshiro128 } from './prng.js';
import { segregate } from './segregate.js';

const DATA = join(import.meta.dirname, '../../../data/genres_mod1.csv');
const BIN = join(import.meta.dirname, '../bin/mldp-segregate.js');
const SKLEARN = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/sklearn-split.json'), 'utf8')) as {
  rows: number;
  cases: Array<{ test_size: number; val_size: number; seed: number; test: Record<string, number>; train: Record<string, number>; val?: Record<string, number> }>;
};

/** The bundled data without its exact duplicate rows, as preprocess leaves it. */
let deduplicated: string;
beforeAll(() => {
  const lines = readFileSync(DATA, 'utf8').split('\n');
  const unique = [...new Set(lines.slice(1, -1))];
  deduplicated = `${lines[0]}\n${unique.join('\n')}\n`;
  expect(unique).toHaveLength(SKLEARN.rows);
});

describe('segregate', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const logTable = async (content: string, name = 'table.csv') => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return (await store.logArtifact({ name, type: 'preprocessed_data', files: [{ path }] })).version;
  };
  const split = (extra: object = {}) =>
    segregate({ inputArtifact: 'table.csv:latest', artifactRoot: 'data', artifactType: 'segregated_data', testSize: 0.3, valSize: 0, randomSeed: 112233, stratify: 'genre', ...extra }, store);
  const content = (version: { files: Array<{ sha256: string }> }) => readFileSync(store.driver.localBlobPath!(version.files[0].sha256)!, 'utf8');

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store') });
  });
  afterEach(() => dir.remove());

  it('splits a Parquet table into the same CSV files as the same table as CSV, quoted cells included', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const rows = deduplicated.trimEnd().split('\n').slice(1).map((line, i) => ({ genre: line.split(',')[13], n: i, note: i % 50 === 0 ? `a, "b" ${i}` : `n${i}` }));
    const path = join(dir.path, 'table.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'n', type: 'INT32', data: rows.map((row) => row.n) },
        { name: 'note', type: 'STRING', data: rows.map((row) => row.note) },
        { name: 'genre', type: 'STRING', data: rows.map((row) => row.genre) },
      ],
      rowGroupSize: 5000,
    });
    await store.logArtifact({ name: 'table.parquet', type: 'preprocessed_data', files: [{ path }] });
    const quote = (text: string) => (/[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    await logTable(`n,note,genre\n${rows.map((row) => `${row.n},${quote(row.note)},${row.genre}`).join('\n')}\n`);
    const fromCsv = await split({ valSize: 0.2 });
    const fromParquet = await split({ inputArtifact: 'table.parquet:latest', artifactRoot: 'pq', valSize: 0.2 });
    expect(fromParquet.splits.map((s) => s.artifact.files[0].sha256)).toEqual(fromCsv.splits.map((s) => s.artifact.files[0].sha256));
    expect(fromParquet.splits.map((s) => s.rows)).toEqual(fromCsv.splits.map((s) => s.rows));
  });

  it.each(SKLEARN.cases.map((c) => [c.test_size, c.val_size, c]))('test_size=%d val_size=%d: sizes exact, every class within 1 of scikit-learn', async (_t, _v, expected) => {
    await logTable(deduplicated);
    const result = await split({ testSize: expected.test_size, valSize: expected.val_size, randomSeed: expected.seed });
    const bySplit = Object.fromEntries(result.splits.map((s) => [s.split, s]));
    for (const name of ['train', 'test', 'val'] as const) {
      const want = expected[name];
      if (!want) {
        expect(bySplit[name]).toBeUndefined();
        continue;
      }
      const total = Object.values(want).reduce((a, b) => a + b, 0);
      expect(bySplit[name].rows).toBe(total);
      for (const [label, count] of Object.entries(want)) expect(Math.abs(bySplit[name].perClass[label] - count)).toBeLessThanOrEqual(1);
      expect(bySplit[name].artifact.metadata.per_class).toEqual(bySplit[name].perClass);
    }
  });

  it('gives 6,314 test and 14,730 train rows at test_size=0.3 without validation', async () => {
    await logTable(deduplicated);
    const result = await split();
    expect(result.splits.map((s) => [s.artifact.name, s.rows])).toEqual([
      ['data_train.csv', 14730],
      ['data_test.csv', 6314],
    ]);
  });

  it('keeps every row exactly once, in input order within each split', async () => {
    await logTable(deduplicated);
    const result = await split({ valSize: 0.3 });
    const input = deduplicated.split('\n').slice(1, -1);
    const position = new Map(input.map((line, i) => [line, i]));
    const seen: string[] = [];
    for (const s of result.splits) {
      const lines = content(s.artifact).split('\n').slice(1, -1);
      const order = lines.map((l) => position.get(l)!);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      seen.push(...lines);
    }
    expect(seen.sort()).toEqual([...input].sort());
  });

  it('is byte-identical for the same seed and different for another seed', async () => {
    await logTable(deduplicated);
    const first = await split();
    const again = await split();
    expect(again.splits.map((s) => s.artifact.version)).toEqual(['v0', 'v0']);
    const other = await split({ randomSeed: 1 });
    expect(other.splits.map((s) => s.artifact.version)).toEqual(['v1', 'v1']);
    expect(content(other.splits[1].artifact)).not.toBe(content(first.splits[1].artifact));
    const fresh = await openStore({ location: join(dir.path, 'fresh') });
    const path = join(dir.path, 'table.csv');
    await fresh.logArtifact({ name: 'table.csv', type: 'preprocessed_data', files: [{ path }] });
    const elsewhere = await segregate({ inputArtifact: 'table.csv', artifactRoot: 'data', artifactType: 'segregated_data', testSize: 0.3, randomSeed: 112233, stratify: 'genre' }, fresh);
    expect(elsewhere.splits.map((s) => s.artifact.digest)).toEqual(first.splits.map((s) => s.artifact.digest));
  });

  it('splits without stratification, and takes a row count as the test size', async () => {
    await logTable(deduplicated);
    const result = await split({ stratify: null, testSize: 1000 });
    expect(result.splits.map((s) => s.rows)).toEqual([SKLEARN.rows - 1000, 1000]);
    expect(result.splits[0].artifact.metadata.per_class).toBeUndefined();
  });

  it.each([
    ['a missing stratify column', { stratify: 'mood' }, 'a,genre\n1,x\n2,x\n3,y\n4,y\n', 'E_MISSING_COLUMN'],
    ['a class with a single row', {}, 'a,genre\n1,x\n2,x\n3,y\n4,z\n5,z\n', 'E_CLASS_TOO_SMALL'],
    ['null class labels', {}, 'a,genre\n1,x\n2,x\n3,\n4,y\n5,y\n', 'E_NULL_CLASS'],
    ['a test split smaller than the classes', { testSize: 0.1 }, 'a,genre\n1,x\n2,x\n3,y\n4,y\n5,z\n6,z\n', 'E_SPLIT_TOO_SMALL'],
    ['a test size of 1 or more rows than there are', { testSize: 40 }, 'a,genre\n1,x\n2,x\n', 'E_USAGE'],
    ['a test size of 0', { testSize: 0 }, 'a,genre\n1,x\n2,x\n', 'E_USAGE'],
  ])('fails clearly on %s', async (_, extra, table, code) => {
    await logTable(table);
    await expect(split(extra)).rejects.toMatchObject({ code });
    expect(await store.artifacts.list()).toHaveLength(1);
  });

  it('runs as mldp-segregate and exits 2 on a bad flag value', async () => {
    await logTable(deduplicated);
    const env = { MLDP_STORE: store.location };
    const ok = await runNode(BIN, ['--input-artifact', 'table.csv:latest', '--test-size', '0.3', '--val-size', '0.3', '--random-seed', '5', '--stratify', 'genre'], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/val \d+ rows -> data_val.csv:v0/);
    const bad = await runNode(BIN, ['--input-artifact', 'table.csv:latest', '--random-seed', '-4'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --random-seed "-4" is out of range; give a whole number >= 0/);
  });
});

describe('allocation', () => {
  it('floors, then gives the remaining draws to the largest remainders', () => {
    const rng = new Xoshiro128(1);
    expect(allocateByClass([10, 10, 10], 10, rng).sort()).toEqual([3, 3, 4]);
    expect(allocateByClass([50, 30, 20], 7, rng)).toEqual([4, 2, 1]);
    const counts = [2937, 2289, 1514, 231];
    const drawn = allocateByClass(counts, 2092, rng);
    expect(drawn.reduce((a, b) => a + b, 0)).toBe(2092);
    counts.forEach((count, i) => expect(Math.abs(drawn[i] - (count * 2092) / 6971)).toBeLessThan(1));
  });

  it('the generator is deterministic per seed', () => {
    const a = new Xoshiro128(112233);
    const b = new Xoshiro128(112233);
    const c = new Xoshiro128(112234);
    const draw = (r: Xoshiro128) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(draw(a)).toEqual(draw(b));
    expect(draw(new Xoshiro128(112233))).not.toEqual(draw(c));
  });
});
