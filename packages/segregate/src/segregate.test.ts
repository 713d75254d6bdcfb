import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Store, openStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { segregate } from './segregate.js';
import { SKLEARN, type SklearnCase, type SklearnLayout, codeOfSklearnError, idsOf } from './test-support/sklearn-fixtures.js';

const BIN = join(import.meta.dirname, '../bin/mldp-segregate.js');
const DATA = join(import.meta.dirname, '../../../data/genres_mod1.csv');

/** The bundled data without its exact duplicate rows, as preprocess leaves them (without the text feature). */
function deduplicated(): string {
  const lines = readFileSync(DATA, 'utf8').split('\n');
  return `${lines[0]}\n${[...new Set(lines.slice(1, -1))].join('\n')}\n`;
}

/** A layout's stratified case at test_size 0.3 and val_size 0.3: the first that scikit-learn splits, else its refusal. */
function endToEndCase(layout: SklearnLayout): SklearnCase {
  const cases = layout.cases.filter((c) => c.stratify && c.test_size === 0.3 && c.val_size === 0.3);
  return cases.find((c) => !c.error) ?? cases[0];
}

describe('segregate', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const logTable = async (content: string, name = 'table.csv') => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return (await store.logArtifact({ name, type: 'preprocessed_data', files: [{ path }] })).version;
  };
  const split = (extra: object = {}) =>
    segregate({ inputArtifact: 'table.csv:latest', artifactPrefix: 'data', artifactType: 'segregated_data', testSize: 0.3, valSize: 0, randomSeed: 112233, stratify: 'genre', ...extra }, store);
  const content = (version: { files: Array<{ sha256: string }> }) => readFileSync(store.driver.localBlobPath!(version.files[0].sha256)!, 'utf8');
  const idsIn = (version: { files: Array<{ sha256: string }> }) => content(version).trimEnd().split('\n').slice(1).map((line) => Number(line.split(',')[0]));

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store') });
  });
  afterEach(() => dir.remove());

  // Every layout end to end at test_size 0.3, val_size 0.3: the files byte for byte as pandas writes scikit-learn's splits.
  it.each(SKLEARN.layouts.map((layout) => [layout.name, layout]))('%s: the files are scikit-learn\'s splits as pandas writes them, or its refusal', async (_, layout) => {
    const expected = endToEndCase(layout);
    await logTable(layout.csv);
    const run = split({ stratify: 'label', valSize: 0.3, randomSeed: expected.seed });
    if (expected.error) {
      await expect(run).rejects.toMatchObject({ code: codeOfSklearnError(expected.error) });
      expect((await store.artifacts.list()).map((a) => a.name)).toEqual(['table.csv']);
      return;
    }
    const result = await run;
    expect(result.splits.map((s) => s.split)).toEqual(['train', 'test', 'val']);
    // Files of two plain columns are read back line by line; the sha256 compares any file exactly.
    const simple = layout.csv.startsWith('id,label\n');
    for (const s of result.splits) {
      if (simple) expect(idsOf(idsIn(s.artifact)), s.split).toEqual(expected[s.split]);
      expect(s.artifact.files[0].sha256, s.split).toBe(expected.files![s.split]);
      // The per-class counts in the metadata are those of the file (string labels are written as they are).
      const counts = Object.values(s.artifact.metadata.per_class as Record<string, number>);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(s.rows);
      if (simple && layout.dtype === 'object') {
        const found: Record<string, number> = {};
        for (const line of content(s.artifact).trimEnd().split('\n').slice(1)) {
          const label = line.slice(line.indexOf(',') + 1);
          found[label] = (found[label] ?? 0) + 1;
        }
        expect(Object.fromEntries(Object.entries(s.artifact.metadata.per_class as Record<string, number>).filter(([, n]) => n > 0))).toEqual(found);
      }
    }
  });

  it('splits a Parquet table into the same CSV files as the same table as CSV, quoted cells included', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const rows = deduplicated().trimEnd().split('\n').slice(1).map((line, i) => ({ genre: line.split(',')[13], n: i, note: i % 50 === 0 ? `a, "b" ${i}` : `n${i}` }));
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
    const fromParquet = await split({ inputArtifact: 'table.parquet:latest', artifactPrefix: 'pq', valSize: 0.2 });
    expect(fromParquet.splits.map((s) => s.artifact.files[0].sha256)).toEqual(fromCsv.splits.map((s) => s.artifact.files[0].sha256));
    expect(fromParquet.splits.map((s) => s.rows)).toEqual([11784, 6314, 2946]);
  });

  it('writes the same bytes through windows of any size, windows spanning files included', async () => {
    await logTable(deduplicated());
    const whole = await split({ valSize: 0.3 });
    const { writeSplitFiles } = await import('./permuted-writer.js');
    const { readTableRows } = await import('./table-rows.js');
    const { silentReporter } = await import('@mldp/runtime');
    const table = await readTableRows(join(dir.path, 'table.csv'), { stratify: null, ref: 'table.csv', workDir: dir.path, reporter: silentReporter });
    // Each split's rows as the first run wrote them, found by their lines (the rows are distinct).
    const rowOf = new Map(readFileSync(join(dir.path, 'table.csv'), 'utf8').split('\n').slice(1, -1).map((line, row) => [line, row]));
    const files = whole.splits.map((s) => ({ path: join(dir.path, `again-${s.split}.csv`), rows: Int32Array.from(content(s.artifact).split('\n').slice(1, -1), (line) => rowOf.get(line)!) }));
    for (const windowBytes of [64 << 10, 1 << 20, 1 << 30]) {
      const again = writeSplitFiles(table.lines, files, { windowBytes, scratchDir: dir.path });
      expect(again.map((f) => f.sha256), `windows of ${windowBytes} bytes`).toEqual(whole.splits.map((s) => s.artifact.files[0].sha256));
      expect(readdirSync(dir.path).filter((name) => name.endsWith('.lines'))).toEqual([]);
    }
    // One line per window (each window smaller than its line), on a few rows.
    const few = files.map((f) => ({ ...f, rows: f.rows.filter((row) => row < 60) }));
    const wide = writeSplitFiles(table.lines, few, { windowBytes: 1, scratchDir: dir.path });
    const lines = readFileSync(join(dir.path, 'table.csv'), 'utf8').split('\n');
    for (const [i, f] of few.entries()) {
      expect(readFileSync(f.path, 'utf8')).toBe(`${lines[0]}\n${Array.from(f.rows, (row) => `${lines[row + 1]}\n`).join('')}`);
      expect(wide[i].rows).toBe(f.rows.length);
    }
  });

  it('keeps the input order within each split only when asked, with the same rows', async () => {
    await logTable(deduplicated());
    const sklearnOrder = await split({ valSize: 0.3 });
    const inputOrder = await split({ valSize: 0.3, keepInputOrder: true, artifactPrefix: 'ordered' });
    const input = deduplicated().split('\n').slice(1, -1);
    const position = new Map(input.map((line, i) => [line, i]));
    for (const [i, s] of inputOrder.splits.entries()) {
      const lines = content(s.artifact).split('\n').slice(1, -1);
      const order = lines.map((line) => position.get(line)!);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      const sklearnLines = content(sklearnOrder.splits[i].artifact).split('\n').slice(1, -1);
      expect(sklearnLines).not.toEqual(lines);
      expect([...sklearnLines].sort()).toEqual([...lines].sort());
      expect(s.artifact.metadata.row_order).toBe('input');
    }
    expect(sklearnOrder.splits[0].artifact.metadata.row_order).toBe('scikit-learn');
  });

  it('is byte-identical for the same seed and different for another seed', async () => {
    await logTable(deduplicated());
    const first = await split();
    const again = await split();
    expect(again.splits.map((s) => s.artifact.version)).toEqual(['v0', 'v0']);
    const other = await split({ randomSeed: 1 });
    expect(other.splits.map((s) => s.artifact.version)).toEqual(['v1', 'v1']);
    expect(content(other.splits[1].artifact)).not.toBe(content(first.splits[1].artifact));
  });

  it('takes a whole number as a row count: 1 is one row', async () => {
    await logTable(deduplicated());
    const one = await split({ stratify: null, testSize: 1, valSize: 2 });
    expect(one.splits.map((s) => s.rows)).toEqual([21044 - 3, 1, 2]);
    expect(one.splits[0].artifact.metadata.per_class).toBeUndefined();
  });

  it.each([
    ['a missing stratify column', { stratify: 'mood' }, 'a,genre\n1,x\n2,x\n3,y\n4,y\n', 'E_MISSING_COLUMN', /table.csv:latest has no column "mood"/],
    ['a class with a single row', {}, 'a,genre\n1,x\n2,x\n3,y\n4,z\n5,z\n', 'E_CLASS_TOO_SMALL', /the class "y" has 1/],
    ['null class labels', {}, 'a,genre\n1,x\n2,x\n3,\n4,y\n5,y\n', 'E_NULL_CLASS', /has 1 empty value(?!s)/],
    ['NaN class labels (read as null, as pandas reads them)', {}, 'a,genre\n1,1.5\n2,1.5\n3,nan\n4,2\n5,2\n', 'E_NULL_CLASS', /has 1 empty value(?!s)/],
    ['infinite class labels', {}, 'a,genre\n1,1.5\n2,1.5\n3,inf\n4,inf\n5,2\n6,2\n', 'E_CLASS_NOT_FINITE', /holds inf, and scikit-learn refuses class labels that are NaN or infinite/],
    ['a test split smaller than the classes', { testSize: 0.1 }, 'a,genre\n1,x\n2,x\n3,y\n4,y\n5,z\n6,z\n', 'E_SPLIT_TOO_SMALL', /the test split of the 6 rows of table.csv:v0 would have 1 row, fewer than its 3 classes/],
    ['a row count of all the rows', { testSize: 2 }, 'a,genre\n1,x\n2,x\n', 'E_USAGE', /^--test-size \(data\.test_size\) 2 is neither a fraction in \(0, 1\) nor a whole number of rows from 1 to 1/],
    ['a test size of 0', { testSize: 0 }, 'a,genre\n1,x\n2,x\n', 'E_USAGE', /^--test-size \(data\.test_size\) 0 is not allowed$/],
    ['a fraction that leaves no training rows', { testSize: 0.9, stratify: null }, 'a,genre\n1,x\n2,x\n', 'E_USAGE', /leaves no train rows: ceil\(0.9 \* 2\) = 2/],
    ['a seed numpy refuses', { randomSeed: 2 ** 32 }, 'a,genre\n1,x\n2,x\n', 'E_USAGE', /^--random-seed \(main\.random_seed\) 4294967296 is not allowed$/],
  ])('fails clearly on %s', async (_, extra, table, code, message) => {
    await logTable(table);
    await expect(split(extra)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await store.artifacts.list()).toHaveLength(1);
  });

  it('runs as mldp-segregate and exits 2 on a bad flag value', async () => {
    const layout = SKLEARN.layouts.find((l) => l.name === 'astral')!;
    await logTable(layout.csv);
    const env = { MLDP_STORE: store.location, MLDP_PROJECT: store.project };
    const expected = endToEndCase(layout);
    const ok = await runNode(BIN, ['--input-artifact', 'table.csv:latest', '--test-size', '0.3', '--val-size', '0.3', '--random-seed', String(expected.seed), '--stratify', 'label'], { env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/val \d+ rows -> data_val.csv:v0/);
    for (const name of ['train', 'test', 'val'] as const) expect((await store.artifacts.resolve(`data_${name}.csv:v0`)).files[0].sha256).toBe(expected.files![name]);
    const ordered = await runNode(BIN, ['--input-artifact', 'table.csv:latest', '--random-seed', '7', '--stratify', 'label', '--keep-input-order', '--artifact-prefix', 'ordered'], { env });
    expect(ordered.stderr).toBe('');
    expect(ordered.code).toBe(0);
    expect(ordered.stdout).toMatch(/-> ordered_train\.csv:v0/);
    // The flag's former name still works, and says it is deprecated, in one line.
    const former = await runNode(BIN, ['--input-artifact', 'table.csv:latest', '--random-seed', '7', '--artifact-root', 'former'], { env });
    expect(former.stderr).toBe('mldp-segregate: --artifact-root is deprecated: use --artifact-prefix (it means the same)\n');
    expect(former.code).toBe(0);
    expect(former.stdout).toMatch(/-> former_train\.csv:v0/);
    expect((await store.runs.get((await store.artifacts.resolve('former_train.csv:v0')).createdBy!)).params).toMatchObject({ artifact_prefix: 'former' });
    const bad = await runNode(BIN, ['--input-artifact', 'table.csv:latest', '--random-seed', '4294967296'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --random-seed \(main\.random_seed\) "4294967296" is out of range; give a whole number in \[0, 4294967295\]/);
  });
});
