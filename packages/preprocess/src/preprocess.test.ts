import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentReporter } from '@mldp/runtime';
import { type Store, openStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/testkit';
import { mean, min, max, sampleStandardDeviation } from 'simple-statistics';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLE_COUNTS_KIND, decodeTableCounts } from '@mldp/table';
import { preprocess } from './preprocess.js';

const DATA = join(import.meta.dirname, '../../../data');
const BIN = join(import.meta.dirname, '../bin/mldp-preprocess.js');
// sha256 of pandas' read_csv(genres_mod1.csv).drop_duplicates(), title/song_name filled with '',
// text_feature = title + ' ' + song_name, to_csv(index=False) (pandas 1.5.3).
const PANDAS_MOD1_SHA256 = '189e92e3c428af69c2bd8a5c59ddd70e8af0369af19e95e7556cb107927d0ae4';

describe('preprocess', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const logRaw = async (path: string, name = 'raw_data') => (await store.logArtifact({ name, type: 'raw_data', files: [{ path }] })).version;
  const run = (input = 'raw_data:latest', extra: object = {}) =>
    preprocess({ inputArtifact: input, artifactName: 'preprocessed_data.csv', artifactType: 'preprocessed_data', ...extra }, store);
  const text = async (version: { files: Array<{ sha256: string }> }) => readFileSync(store.driver.localBlobPath!(version.files[0].sha256)!, 'utf8');

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store') });
  });
  afterEach(() => dir.remove());

  it.each([
    ['genres_mod1.parquet', 21152, 21044],
    ['genres_mod2.parquet', 21153, 21001],
    ['genres_mod1.csv', 21152, 21044],
  ])('drops the exact duplicates of %s as pandas does (%i -> %i rows)', async (file, rowsIn, rowsOut) => {
    await logRaw(join(DATA, file));
    const result = await run();
    expect([result.rowsIn, result.rowsOut, result.duplicatesDropped]).toEqual([rowsIn, rowsOut, rowsIn - rowsOut]);
    expect(result.artifact.metadata).toMatchObject({ rows_in: rowsIn, rows_out: rowsOut, duplicates_dropped: rowsIn - rowsOut });
  });

  it('writes the same bytes as pandas, from Parquet and from CSV input', async () => {
    await logRaw(join(DATA, 'genres_mod1.parquet'));
    const fromParquet = await run();
    await logRaw(join(DATA, 'genres_mod1.csv'), 'raw_csv');
    const fromCsv = await run('raw_csv:latest');
    expect(fromParquet.artifact.files[0].sha256).toBe(PANDAS_MOD1_SHA256);
    expect(fromCsv.artifact.files[0].sha256).toBe(PANDAS_MOD1_SHA256);
    expect(fromCsv.created).toBe(false);
  });

  it('formats Parquet values as pandas writes them, across row groups, from a file of its own', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const path = join(dir.path, 'typed.parquet');
    const x = [1.5, -0, 0, null, 1e-5, 1.5e16, 1.5, 0.1, null, 1.5];
    const n = [1n, 9007199254740993n, 1n, null, -4n, 1n, 1n, 2n, 9007199254740993n, 1n];
    const title = ['a', 'b, c', 'say "hi"', null, 'café', 'a', 'a', 'x', null, 'a'];
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'x', type: 'DOUBLE', data: x },
        { name: 'n', type: 'INT64', data: n },
        { name: 'title', type: 'STRING', data: title },
        { name: 'song_name', type: 'STRING', data: title.map((t) => (t === null ? 'none' : null)) },
      ],
      rowGroupSize: 3,
    });
    await logRaw(path);
    const result = await run();
    expect(await text(result.artifact)).toBe(
      [
        'x,n,title,song_name,text_feature',
        // n holds a null: pandas has it as float64, as pyarrow hands it over.
        '1.5,1.0,a,,a ',
        '-0.0,9007199254740992.0,"b, c",,"b, c "',
        '0.0,1.0,"say ""hi""",,"say ""hi"" "',
        ',,,none, none',
        '1e-05,-4.0,café,,café ',
        '1.5e+16,1.0,a,,a ',
        '0.1,2.0,x,,x ',
        ',9007199254740992.0,,none, none',
        '',
      ].join('\n'),
    );
    expect(result.duplicatesDropped).toBe(2);
  });

  it('summarises each column; numeric summaries agree with simple-statistics', async () => {
    await logRaw(join(DATA, 'genres_mod1.parquet'));
    const result = await run();
    const rows = parse(await text(result.artifact), { columns: true }) as Array<Record<string, string>>;
    const tempo = rows.map((r) => Number(r.tempo));
    const summary = result.columns.find((c) => c.name === 'tempo')!;
    expect(summary.type).toBe('float');
    expect(summary.min).toBe(min(tempo));
    expect(summary.max).toBe(max(tempo));
    expect(summary.mean).toBeCloseTo(mean(tempo), 9);
    expect(summary.std).toBeCloseTo(sampleStandardDeviation(tempo), 9);
    expect(result.columns.find((c) => c.name === 'song_name')).toMatchObject({ type: 'string', nulls: rows.filter((r) => r.song_name === '').length });
    expect(result.columns.find((c) => c.name === 'key')).toMatchObject({ type: 'int', min: 0, max: 11 });
  });

  it('builds the text feature with nulls as empty text, also when both are null', async () => {
    const path = join(dir.path, 'small.csv');
    writeFileSync(path, 'title,song_name,n\nA,B,1\n,B,2\nA,,3\n,,4\n,,4\n"x, y","q""z",5\n');
    await logRaw(path);
    const result = await run();
    expect(await text(result.artifact)).toBe('title,song_name,n,text_feature\nA,B,1,A B\n,B,2, B\nA,,3,A \n,,4, \n"x, y","q""z",5,"x, y q""z"\n');
    expect(result.duplicatesDropped).toBe(1);
  });

  it('reads CRLF, needless quotes and line breaks in quotes, with the text columns anywhere', async () => {
    const path = join(dir.path, 'mixed.csv');
    writeFileSync(path, 'n,title,m,song_name\r\n1,"A",x,B\r\n1,A,x,B\r\n2,"line1\nline2",y,C\r\n3,,z,\r\n2,"line1\nline2",y,"C"\r\n');
    await logRaw(path);
    const result = await run();
    expect(await text(result.artifact)).toBe('n,title,m,song_name,text_feature\n1,A,x,B,A B\n2,"line1\nline2",y,C,"line1\nline2 C"\n3,,z,, \n');
    expect(result.duplicatesDropped).toBe(2);
  });

  // Expected outputs are pandas 1.5.3's: the original preprocess on pd.read_csv(path).
  it.each([
    ['one field', 'title,song_name,n\nA,B,1\nC\n', 'title,song_name,n,text_feature\nA,B,1.0,A B\nC,,,C \n'],
    ['two, quoted', 'title,song_name,n\nA,B,1\n"C",D\n', 'title,song_name,n,text_feature\nA,B,1.0,A B\nC,D,,C D\n'],
  ])('pads a short row (%s) with nulls, as pandas does', async (_case, csv, expected) => {
    const path = join(dir.path, 'short.csv');
    writeFileSync(path, csv);
    await logRaw(path);
    expect(await text((await run()).artifact)).toBe(expected);
  });

  it.each([
    ['too many', 'title,song_name,n\nA,B,1\nC,D,2,3\n'],
    ['too many, quoted', 'title,song_name,n\nA,B,1\n"C",D,2,3\n'],
  ])('refuses a later row with %s fields, naming its line, and logs nothing', async (_case, csv) => {
    const path = join(dir.path, 'bad.csv');
    writeFileSync(path, csv);
    await logRaw(path);
    const error = await run().catch((e) => e);
    expect(error.code).toBe('E_CSV_FIELD_COUNT');
    expect(error.toLine()).toMatch(/at line 3 has 4 fields, more than the 3 of the rows before it/);
    expect(await store.artifacts.versionLabels(store.project, 'preprocessed_data.csv')).toEqual([]);
  });

  it('treats nulls as equal and keeps the first of each duplicate, in input order', async () => {
    const path = join(dir.path, 'dups.csv');
    writeFileSync(path, 'title,song_name,v\nb,,1.0\na,,2\nb,,1\na,x,2\nb,,1.00\n');
    await logRaw(path);
    const result = await run();
    expect(await text(result.artifact)).toBe('title,song_name,v,text_feature\nb,,1.0,b \na,,2.0,a \na,x,2.0,a x\n');
  });

  it('replaces an existing text feature column in place', async () => {
    const path = join(dir.path, 'has.csv');
    writeFileSync(path, 'text_feature,title,song_name\nold,A,B\nold,A,B\nother,A,B\n');
    await logRaw(path);
    const result = await run();
    expect(await text(result.artifact)).toBe('text_feature,title,song_name\nA B,A,B\nA B,A,B\n');
  });

  it('uses configured text columns and feature name, and names a missing column', async () => {
    await logRaw(join(DATA, 'genres_mod1.parquet'));
    const custom = await run('raw_data:latest', { textColumns: ['genre', 'title'], textFeature: 'desc' });
    expect((await text(custom.artifact)).split('\n')[0]).toMatch(/,desc$/);
    const error = await run('raw_data:latest', { textColumns: ['title', 'lyrics'] }).catch((e) => e);
    expect(error.code).toBe('E_MISSING_COLUMN');
    expect(error.toLine()).toMatch(/^raw_data:v0 \(genres_mod1\.parquet\) has no column "lyrics".*its columns are: danceability/);
  });

  it('writes a header-only file as pandas does, and fails clearly on a missing artifact', async () => {
    const path = join(dir.path, 'empty.csv');
    writeFileSync(path, 'title,song_name\n');
    await logRaw(path);
    const result = await run();
    expect(await text(result.artifact)).toBe('title,song_name,text_feature\n');
    expect(result.rowsOut).toBe(0);
    await expect(run('nothing:latest')).rejects.toMatchObject({ code: 'E_ARTIFACT_NOT_FOUND' });
  });

  it('runs as mldp-preprocess with the original snake_case flags', async () => {
    await logRaw(join(DATA, 'genres_mod1.parquet'));
    const env = { MLDP_STORE: store.location, MLDP_PROJECT: store.project };
    const result = await runNode(BIN, ['--input_artifact', 'raw_data:latest', '--artifact_name', 'clean.csv', '--artifact_type', 'preprocessed_data', '--artifact_description', 'clean'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/21152 rows in, 21044 out/);
    const bad = await runNode(BIN, ['--input-artifact', '../x', '--artifact-name', 'clean.csv'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: artifact reference "..\/x" does not parse/);
  });

  it('as a bin (Parquet row groups decoded in a worker thread), gives the same file and statistics as in one thread', async () => {
    // Tests run from TypeScript sources, where no worker script exists: `preprocess` here decodes
    // in this thread, and the built bin in a worker.
    const { parquetWriteFile } = await import('hyparquet-writer');
    const mod1 = parse(readFileSync(join(DATA, 'genres_mod1.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const rows = [...mod1, ...mod1.slice(0, 3000)];
    const path = join(dir.path, 'groups.parquet');
    const columns = {
      danceability: rows.map((row) => (row.danceability === '' ? null : Number(row.danceability))),
      duration_ms: rows.map((row) => (row.duration_ms === '' ? null : BigInt(row.duration_ms))),
      genre: rows.map((row) => row.genre),
      title: rows.map((row) => row.title || null),
      song_name: rows.map((row, i) => (i % 97 === 0 ? `${row.song_name}, "live"` : row.song_name || null)),
    };
    const types = { danceability: 'DOUBLE', duration_ms: 'INT64', genre: 'STRING', title: 'STRING', song_name: 'STRING' } as const;
    parquetWriteFile({ filename: path, columnData: Object.entries(columns).map(([name, data]) => ({ name, type: types[name as keyof typeof types], data })), rowGroupSize: 20000 });
    const distinct = new Set(rows.map((_, i) => Object.values(columns).map((values) => String(values[i])).join('\u0000')));
    await logRaw(path);
    const here = await run();
    const asBin = await runNode(BIN, ['--input-artifact', 'raw_data:latest', '--artifact-name', 'bin.csv'], { env: { MLDP_STORE: store.location, MLDP_PROJECT: store.project } });
    expect(asBin.code).toBe(0);
    const fromBin = await store.artifacts.resolve('bin.csv:latest');
    expect(fromBin.files[0].sha256).toBe(here.artifact.files[0].sha256);
    expect(fromBin.metadata.columns).toEqual(here.columns);
    expect(here.rowsOut).toBe(distinct.size);
  });

  it('as a bin (columns profiled in a worker thread), gives the same bytes as pandas and refuses a long row', async () => {
    await logRaw(join(DATA, 'genres_mod1.csv'));
    const env = { MLDP_STORE: store.location, MLDP_PROJECT: store.project };
    const good = await runNode(BIN, ['--input-artifact', 'raw_data:latest', '--artifact-name', 'clean.csv'], { env });
    expect(good.code).toBe(0);
    expect((await store.artifacts.resolve('clean.csv:latest')).files[0].sha256).toBe(PANDAS_MOD1_SHA256);
    const path = join(dir.path, 'short.csv');
    writeFileSync(path, `${readFileSync(join(DATA, 'genres_mod1.csv'), 'utf8').split('\n').slice(0, 500).join('\n')}\n0.5,0.5${',x'.repeat(15)}\n`);
    await logRaw(path, 'short');
    const bad = await runNode(BIN, ['--input-artifact', 'short:latest', '--artifact-name', 'short_clean.csv'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: short:v0 \(short\.csv\) at line 501 has 17 fields, more than the 16 of the rows before it/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(bad.stderr.includes('hint') ? 2 : 1);
    expect(await store.artifacts.versionLabels(store.project, 'short_clean.csv')).toEqual([]);
  });

  describe('the counts it records for check_data', () => {
    const countsOf = async (version: { files: Array<{ sha256: string }> }) => {
      const bytes = await store.derived.get(version.files[0].sha256, TABLE_COUNTS_KIND);
      return bytes && decodeTableCounts(bytes, 'counts');
    };
    /** What the counts should hold, from the output file read with csv-parse. */
    const expectedCounts = (csv: string, types: Record<string, string>) => {
      const [header, ...rows] = parse(csv) as string[][];
      return header.map((name, c) => {
        const cells = rows.map((row) => row[c]);
        const numbers = new Map<string, number>();
        const labels = new Map<string, number>();
        for (const cell of cells) {
          labels.set(cell, (labels.get(cell) ?? 0) + 1);
          if (cell !== '') numbers.set(String(Number(cell)), (numbers.get(String(Number(cell))) ?? 0) + 1);
        }
        return { name, nulls: cells.filter((cell) => cell === '').length, numbers: ['int', 'float'].includes(types[name]) ? numbers : undefined, labels };
      });
    };

    it.each(['genres_mod1.csv', 'genres_mod2.csv'])('holds every number and class label of the output of %s', async (file) => {
      await logRaw(join(DATA, file));
      const result = await run();
      const counts = (await countsOf(result.artifact))!;
      const types = Object.fromEntries(result.columns.map((c) => [c.name, c.type]));
      const expected = expectedCounts(await text(result.artifact), types);
      expect(counts.rows).toBe(result.rowsOut);
      expect(counts.columns.map((c) => [c.name, c.type, c.nulls])).toEqual(expected.map((e) => [e.name, types[e.name], e.nulls]));
      for (const [c, column] of counts.columns.entries()) {
        if (expected[c].numbers) {
          expect(column.numbers!.count).toBe(result.rowsOut - expected[c].nulls);
          const counted = new Map([...column.numbers!.distinct].map((value, i) => [String(value), column.numbers!.counts[i]]));
          expect(counted).toEqual(expected[c].numbers);
        } else expect(column.numbers).toBeUndefined();
      }
      // Text columns of up to 4096 distinct cells, in order of first appearance; the others have none.
      const labelled = counts.columns.filter((c) => c.labels).map((c) => c.name);
      expect(labelled).toEqual(expected.filter((e) => types[e.name] === 'string' && e.name !== 'text_feature' && e.labels.size <= 4096).map((e) => e.name));
      expect(labelled).toContain('genre');
      for (const name of labelled) expect([...counts.columns.find((c) => c.name === name)!.labels!]).toEqual([...expected.find((e) => e.name === name)!.labels]);
    });

    it('leaves out the labels of a text column whose duplicates show a number before any text', async () => {
      const table = (rows: string[]) => {
        const path = join(dir.path, `t${rows.length}.csv`);
        writeFileSync(path, ['code,x,title,song_name', ...rows, ''].join('\n'));
        return path;
      };
      // "7" in a text column: the duplicated row's number comes first, then the text.
      await logRaw(table(['a1,1.5,t,s', '7,2.5,t,s', '7,2.5,t,s', 'a1,1.5,t,s']), 'numbers_first');
      const numbersFirst = await countsOf((await run('numbers_first:latest')).artifact);
      expect(numbersFirst!.columns[0]).toEqual({ name: 'code', type: 'string', nulls: 0 });
      await logRaw(table(['a1,1.5,t,s', 'a1,1.5,t,s', '7,2.5,t,s', ',2.5,t,s', '7,2.5,t,s']), 'text_first');
      const textFirst = await countsOf((await run('text_first:latest')).artifact);
      expect([...textFirst!.columns[0].labels!]).toEqual([['a1', 1], ['7', 1], ['', 1]]);
      expect([...textFirst!.columns[1].numbers!.distinct]).toEqual([1.5, 2.5]);
      expect([...textFirst!.columns[1].numbers!.counts]).toEqual([1, 2]);
    });

    it('are the same from Parquet input as from the same rows as CSV, in the library and from the bin', async () => {
      const countsFile = (sha256: string) => `derived/${sha256}/${TABLE_COUNTS_KIND}.json`;
      await logRaw(join(DATA, 'genres_mod1.csv'), 'raw_csv');
      const fromCsv = await run('raw_csv:latest');
      const csvCounts = await store.derived.get(fromCsv.artifact.files[0].sha256, TABLE_COUNTS_KIND);
      expect(csvCounts).toBeDefined();
      await store.driver.deleteDoc(countsFile(fromCsv.artifact.files[0].sha256));
      await logRaw(join(DATA, 'genres_mod1.parquet'));
      const fromParquet = await run();
      expect(fromParquet.artifact.files[0].sha256).toBe(fromCsv.artifact.files[0].sha256);
      expect(await store.derived.get(fromParquet.artifact.files[0].sha256, TABLE_COUNTS_KIND)).toEqual(csvCounts);
      await store.driver.deleteDoc(countsFile(fromCsv.artifact.files[0].sha256));
      const asBin = await runNode(BIN, ['--input-artifact', 'raw_data:latest', '--artifact-name', 'preprocessed_data.csv'], { env: { MLDP_STORE: store.location, MLDP_PROJECT: store.project } });
      expect(asBin.code).toBe(0);
      expect(await store.derived.get(fromParquet.artifact.files[0].sha256, TABLE_COUNTS_KIND)).toEqual(csvCounts);
    });

    it('only warn when they cannot be recorded: the output is logged all the same', async () => {
      await logRaw(join(DATA, 'genres_mod2.csv'));
      writeFileSync(join(store.location, 'derived'), 'not a folder');
      const warnings: string[] = [];
      const reporter = { ...silentReporter, warn: (message: string) => warnings.push(message) };
      const result = await preprocess({ inputArtifact: 'raw_data:latest', artifactName: 'preprocessed_data.csv', artifactType: 'preprocessed_data' }, store, { reporter });
      expect(result.created).toBe(true);
      expect(await store.derived.get(result.artifact.files[0].sha256, TABLE_COUNTS_KIND)).toBeUndefined();
      expect(warnings).toEqual([expect.stringMatching(/^preprocess: the output's table counts were not recorded \(.*\); check_data will read the table instead$/)]);
    });

    it('are made the same by the bin, whose worker thread profiles the columns', async () => {
      await logRaw(join(DATA, 'genres_mod2.csv'));
      const here = await run();
      const inThread = await store.derived.get(here.artifact.files[0].sha256, TABLE_COUNTS_KIND);
      await store.driver.deleteDoc(`derived/${here.artifact.files[0].sha256}/${TABLE_COUNTS_KIND}.json`);
      const asBin = await runNode(BIN, ['--input-artifact', 'raw_data:latest', '--artifact-name', 'preprocessed_data.csv'], { env: { MLDP_STORE: store.location, MLDP_PROJECT: store.project } });
      expect(asBin.code).toBe(0);
      expect(await store.derived.get(here.artifact.files[0].sha256, TABLE_COUNTS_KIND)).toEqual(inThread);
    });
  });
});
