import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Store, openStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkData } from './check-data.js';
import { type ChecksConfig, DEFAULT_CHECKS, loadChecksFile } from './checks-config.js';

const DATA = join(import.meta.dirname, '../../../data');
const BIN = join(import.meta.dirname, '../bin/mldp-check-data.js');

/** A preprocessed table as preprocess writes it: deduplicated, with the text feature. */
function preprocessedCsv(source: string, transform: (cells: string[], header: string[]) => string[] = (c) => c): string {
  const [header, ...lines] = readFileSync(source, 'utf8').trimEnd().split('\n');
  const columns = header.split(',');
  const out = [...new Set(lines)].map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    return [...transform(cells.slice(0, columns.length), columns), 'x'].join(',');
  });
  return `${header},text_feature\n${out.join('\n')}\n`;
}

describe('checkData', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const log = async (name: string, content: string) => {
    const path = join(dir.path, `${name}.csv`);
    writeFileSync(path, content);
    return (await store.logArtifact({ name: 'preprocessed_data.csv', type: 'preprocessed_data', files: [{ path, name: 'preprocessed_data.csv' }] })).version;
  };
  const check = (extra: { checks?: ChecksConfig; bootstrapReference?: boolean; referenceArtifact?: string } = {}) =>
    checkData({ referenceArtifact: 'preprocessed_data.csv:reference', sampleArtifact: 'preprocessed_data.csv:latest', ksAlpha: 0.05, bootstrapReference: true, ...extra }, store);
  const reportOf = async () => {
    const version = await store.artifacts.resolve('check_data_report:latest');
    const file = (name: string) => readFileSync(store.driver.localBlobPath!(version.files.find((f) => f.path === name)!.sha256)!, 'utf8');
    return { version, json: JSON.parse(file('report.json')), junit: file('junit.xml') };
  };

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store') });
  });
  afterEach(() => dir.remove());

  it('bootstraps the reference on a fresh store, then passes mod2 against the mod1 baseline', async () => {
    await log('mod1', preprocessedCsv(join(DATA, 'genres_mod1.csv')));
    const first = await check();
    expect(first.bootstrapped).toBe(true);
    expect((await store.artifacts.resolve('preprocessed_data.csv:reference')).version).toBe('v0');
    await log('mod2', preprocessedCsv(join(DATA, 'genres_mod2.csv')));
    const second = await check();
    expect(second.bootstrapped).toBe(false);
    expect(second.passed).toBe(true);
    expect(second.report.sample).toBe('preprocessed_data.csv:v1');
    expect(second.report.reference).toBe('preprocessed_data.csv:v0');
    expect(second.report.ks.every((k) => k.method === 'asymp' && k.pvalue! > second.report.alphaPrime)).toBe(true);
    expect(second.report.alphaPrime).toBeCloseTo(1 - 0.95 ** (1 / 10), 15);
  });

  it('gives the same results on Parquet tables as on the same tables as CSV', async () => {
    const logRaw = async (name: string, file: string) => (await store.logArtifact({ name, type: 'raw_data', files: [{ path: join(DATA, file) }] })).version;
    // Raw tables: no text feature yet.
    const { text_feature: _feature, ...required } = DEFAULT_CHECKS.required_columns;
    const checks = { ...DEFAULT_CHECKS, required_columns: required };
    const results = async (reference: string, sample: string) => {
      const result = await checkData({ referenceArtifact: reference, sampleArtifact: sample, ksAlpha: 0.05, bootstrapReference: false, checks }, store);
      const { reference: _r, sample: _s, ...rest } = result.report;
      return rest;
    };
    await logRaw('mod1_csv', 'genres_mod1.csv');
    await logRaw('mod2_csv', 'genres_mod2.csv');
    await logRaw('mod1_parquet', 'genres_mod1.parquet');
    await logRaw('mod2_parquet', 'genres_mod2.parquet');
    const fromCsv = await results('mod1_csv:latest', 'mod2_csv:latest');
    const fromParquet = await results('mod1_parquet:latest', 'mod2_parquet:latest');
    expect(fromParquet.ks.length).toBeGreaterThan(5);
    expect(fromParquet.categorical.length).toBeGreaterThan(0);
    expect(fromParquet).toEqual(fromCsv);
  });

  it('fails on danceability alone when it is scaled by 0.9, and logs the report', async () => {
    await log('mod1', preprocessedCsv(join(DATA, 'genres_mod1.csv')));
    await check();
    await log('drift', preprocessedCsv(join(DATA, 'genres_mod1.csv'), (cells, header) => {
      const i = header.indexOf('danceability');
      cells[i] = String(Number(cells[i]) * 0.9);
      return cells;
    }));
    const error = await check().catch((e) => e);
    expect(error.code).toBe('E_CHECKS_FAILED');
    expect(error.toLine()).toMatch(/data checks failed: test_kolmogorov_smirnov; see the report artifact check_data_report:v1/);
    const { json, junit } = await reportOf();
    expect(json.passed).toBe(false);
    expect(json.tests.map((t: { name: string; passed: boolean }) => [t.name, t.passed])).toEqual([
      ['test_column_presence_and_type', true],
      ['test_class_names', true],
      ['test_column_ranges', true],
      ['test_kolmogorov_smirnov', false],
      ['test_categorical_drift', true],
    ]);
    expect(json.ks.filter((k: { passed: boolean }) => !k.passed).map((k: { column: string }) => k.column)).toEqual(['danceability']);
    expect(junit).toMatch(/<testsuites name="mldp check_data" tests="5" failures="1">/);
    expect(junit).toMatch(/<testcase classname="mldp.check_data" name="test_kolmogorov_smirnov">\s*<failure message="danceability drifted: D=/);
  });

  it('names the first bad row of a wrong type, unknown classes with counts, and ranges with min and max', async () => {
    const header = 'time_signature,key,danceability,energy,loudness,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,text_feature,genre';
    const row = (ts: string, genre: string, tempo = '120.5') => `${ts},1,0.5,0.5,-5.0,0.1,0.1,0.1,0.1,0.1,${tempo},200000,t,${genre}`;
    await log('ref', `${header}\n${row('4', 'Rap')}\n${row('3', 'Emo')}\n`);
    await check();
    await log('bad', `${header}\n${row('4', 'Rap')}\n${row('4.5', 'Polka')}\n${row('4', 'Polka', '300.0')}\n${row('4', 'Jazz')}\n`);
    const error = await check({ checks: { ...DEFAULT_CHECKS, ks: { columns: [] }, categorical_drift: { columns: [], alpha: 0.05 } } }).catch((e) => e);
    expect(error.code).toBe('E_CHECKS_FAILED');
    const { json } = await reportOf();
    const message = (name: string) => json.tests.find((t: { name: string }) => t.name === name).message;
    expect(message('test_column_presence_and_type')).toBe('column time_signature is float, expected int (first bad value at data row 2: "4.5")');
    expect(message('test_class_names')).toBe('column genre has unknown classes: "Polka" (2), "Jazz" (1)');
    expect(message('test_column_ranges')).toBe('column tempo should be between 50 and 250, found min=120.5 and max=300');
  });

  it('trusts column types recorded by preprocess, but still names the first bad row of a mismatch', async () => {
    const header = 'time_signature,tempo,genre';
    const path = join(dir.path, 'typed.csv');
    writeFileSync(path, `${header}\n4,120.5,Rap\n4.5,130.25,Rap\n`);
    const metadata = { format: 'csv', columns: [{ name: 'time_signature', type: 'float' }, { name: 'tempo', type: 'float' }, { name: 'genre', type: 'string' }] };
    await store.logArtifact({ name: 'preprocessed_data.csv', type: 'preprocessed_data', files: [{ path }], metadata });
    const only = { ...DEFAULT_CHECKS, required_columns: { time_signature: 'int' as const, tempo: 'float' as const }, ranges: { tempo: [50, 250] as [number, number] }, ks: { columns: ['tempo'] }, categorical_drift: { columns: [], alpha: 0.05 } };
    const error = await check({ checks: only }).catch((e) => e);
    expect(error.code).toBe('E_CHECKS_FAILED');
    const { json } = await reportOf();
    expect(json.tests[0].message).toBe('column time_signature is float, expected int (first bad value at data row 2: "4.5")');
    expect(json.ks[0]).toMatchObject({ column: 'tempo', statistic: 0, passed: true });
  });

  it('reports a non-numeric value in a numeric column with its row and column', async () => {
    const content = 'danceability,genre\n0.5,Rap\n0.7,Rap\n';
    await log('ref', content);
    await check({ checks: { ...DEFAULT_CHECKS, required_columns: {}, ranges: { danceability: [0, 1] }, ks: { columns: ['danceability'] } } });
    await log('bad', 'danceability,genre\n0.5,Rap\nhigh,Rap\n');
    const error = await check({ checks: { ...DEFAULT_CHECKS, required_columns: {}, ranges: { danceability: [0, 1] }, ks: { columns: ['danceability'] } } }).catch((e) => e);
    expect(error.code).toBe('E_CHECKS_FAILED');
    const { json } = await reportOf();
    expect(json.tests.find((t: { name: string }) => t.name === 'test_column_ranges').message).toBe('column danceability is not numeric: data row 2 holds "high"');
    expect(json.ks[0].message).toBe('danceability is not numeric in the sample: data row 2 holds "high"');
  });

  it('drops nulls (empty cells and NA tokens, as pandas reads them) before the KS test and reports how many', async () => {
    await log('ref', 'danceability,genre\n0.1,Rap\n,Rap\n0.2,Rap\n0.3,Rap\n');
    const only = { ...DEFAULT_CHECKS, required_columns: {}, ranges: {}, known_classes: {}, ks: { columns: ['danceability'] }, categorical_drift: { columns: [], alpha: 0.05 } };
    await check({ checks: only });
    await log('nan', 'danceability,genre\n0.1,Rap\nNaN,Rap\n0.3,Rap\n,Rap\nNA,Rap\n0.2,Rap\n');
    const result = await check({ checks: only });
    expect(result.report.ks[0]).toMatchObject({ nanDroppedSample: 3, nanDroppedReference: 1, nSample: 3, nReference: 3 });
  });

  it('fails the categorical drift check when class frequencies change', async () => {
    const table = (counts: Record<string, number>) => `genre,text_feature\n${Object.entries(counts).flatMap(([g, n]) => Array.from({ length: n }, (_, i) => `${g},${i}`)).join('\n')}\n`;
    const only = { ...DEFAULT_CHECKS, required_columns: {}, ranges: {}, ks: { columns: [] } };
    await log('ref', table({ Rap: 100, Emo: 100 }));
    await check({ checks: only });
    await log('shift', table({ Rap: 150, Emo: 50 }));
    const error = await check({ checks: only }).catch((e) => e);
    expect(error.toLine()).toMatch(/test_categorical_drift/);
    const { json } = await reportOf();
    expect(json.categorical[0]).toMatchObject({ column: 'genre', dof: 1, passed: false, reference: { Emo: 100, Rap: 100 }, sample: { Emo: 50, Rap: 150 } });
  });

  it('without bootstrap, says how to create the missing reference', async () => {
    await log('mod1', 'genre\nRap\n');
    const error = await check({ bootstrapReference: false }).catch((e) => e);
    expect(error.code).toBe('E_NO_REFERENCE');
    expect(error.toLine()).toMatch(/mldp artifacts alias preprocessed_data.csv:v0 reference/);
  });

  it('refuses a reference that shares no column with the sample', async () => {
    await log('mod1', preprocessedCsv(join(DATA, 'genres_mod1.csv')));
    const path = join(dir.path, 'other.csv');
    writeFileSync(path, 'x,y\n1,2\n');
    await store.logArtifact({ name: 'other.csv', type: 't', files: [{ path }] });
    await expect(check({ referenceArtifact: 'other.csv:latest' })).rejects.toMatchObject({ code: 'E_REFERENCE_MISMATCH' });
  });
});

describe('mldp-check-data', () => {
  it('exits 0 when checks pass, 2 on a bad alpha or checks file, with one error line', async () => {
    const dir = tempDir();
    try {
      const store = await openStore({ location: join(dir.path, 'store') });
      const path = join(dir.path, 'p.csv');
      writeFileSync(path, preprocessedCsv(join(DATA, 'genres_mod1.csv')));
      await store.logArtifact({ name: 'preprocessed_data.csv', type: 'preprocessed_data', files: [{ path }] });
      // The bin's project is the test's, not the workspace config.yaml's.
      const env = { MLDP_STORE: store.location, MLDP_PROJECT: store.project };
      const args = ['--reference_artifact', 'preprocessed_data.csv:reference', '--sample_artifact', 'preprocessed_data.csv:latest'];
      const ok = await runNode(BIN, [...args, '--ks_alpha', '0.05'], { env });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/becomes the reference/);
      expect(ok.stdout).toMatch(/test_kolmogorov_smirnov\s+PASSED/);
      const alpha = await runNode(BIN, [...args, '--ks-alpha', '1.5'], { env });
      expect(alpha.code).toBe(2);
      expect(alpha.stderr).toBe('error: --ks-alpha (data.ks_alpha) "1.5" is out of range; give a number in (0, 1) (family-wise level of the KS tests)\n');
      const checksFile = join(dir.path, 'checks.yaml');
      writeFileSync(checksFile, 'checks:\n  ranges:\n    tempo: [250, 50]\n');
      const badChecks = await runNode(BIN, [...args, '--checks', checksFile], { env });
      expect(badChecks.code).toBe(2);
      expect(badChecks.stderr).toMatch(/ranges.tempo: the minimum 250 is above the maximum 50/);
      writeFileSync(checksFile, 'ranges:\n  tempo: [50, 250]\nks:\n  columns: [tempo]\n');
      expect(loadChecksFile(checksFile).ks.columns).toEqual(['tempo']);
    } finally {
      dir.remove();
    }
  });
});
