// The everyday CLI as real processes on a real store in a temp folder: --version on every bin,
// config errors all at once, --json summaries, and the small messages (plurals, empty filters).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const CONFIG = join(ROOT, 'config.yaml');

describe('--version', () => {
  const bins = [
    ['mldp', MLDP, join(ROOT, 'apps/pipeline/package.json')],
    ...['download', 'preprocess', 'check-data', 'segregate'].map((step) => [`mldp-${step}`, join(ROOT, `packages/${step}/bin/mldp-${step}.js`), join(ROOT, `packages/${step}/package.json`)]),
  ];
  it('lists every bin of the workspace', () => {
    const declared = readdirSync(join(ROOT, 'packages'))
      .concat('../apps/pipeline')
      .flatMap((dir) => Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')).bin ?? {}));
    expect(declared.sort()).toEqual(bins.map(([name]) => name).sort());
  });
  it.each(bins)('%s --version prints its package version and exits 0', async (_name, bin, packageJson) => {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
    for (const args of [['--version'], ['--store', '/nonexistent/never', '--version']]) {
      const result = await runNode(bin, args, { cwd: ROOT });
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });
  it.each(bins)('%s --help is in English whatever the locale, like all of its output', async (_name, bin) => {
    const result = await runNode(bin, ['--help'], { cwd: ROOT, env: { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--help +Show help/);
  });
});

describe('config errors', () => {
  let dir: ReturnType<typeof tempDir>;
  const mldp = (...args: string[]) => runNode(MLDP, [...args, '--config', CONFIG], { env: { MLDP_STORE: join(dir.path, 'store') }, cwd: dir.path });
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  it('asks "did you mean" for a misspelt key, and suggests +key only when no key is close', async () => {
    const typo = await mldp('run', 'data.tset_size=0.2');
    expect(typo.stderr).toBe('error: cannot override data.tset_size: the config has no such key (did you mean data.test_size?); write data.test_size=0.2\n');
    expect(typo.code).toBe(2);
    const added = await mldp('config', 'data.shuffle=true');
    expect(added.stderr).toBe('error: cannot override data.shuffle: the config has no such key; to add it, write +data.shuffle=true\n');
    // A key of the schema that config.yaml leaves out is a key too.
    expect((await mldp('config', 'download.retires=3')).stderr).toContain('(did you mean download.retries?)');
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('asks "did you mean" for a misspelt step of --step and --force', async () => {
    expect((await mldp('run', '--step', 'chek')).stderr).toBe('error: "chek" is not a pipeline step (did you mean check_data?); use one of: download, preprocess, check_data, segregate\n');
    expect((await mldp('run', '--force=segregte')).stderr).toBe('error: "segregte" is not a pipeline step (did you mean segregate?); use one of: download, preprocess, check_data, segregate\n');
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('shows every problem of the overrides at once, a line each, the first five and how many more', async () => {
    const result = await mldp('run', 'data.tset_size=0.2', 'dta.stratify=x', 'data.x=[1', '~data.stratfy', 'main.random_sed=1', 'data.ks_alpha=7', 'preprocess.text_feture=a');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `error: the overrides and ${CONFIG} have 7 problems:`,
      '  cannot override data.tset_size: the config has no such key (did you mean data.test_size?); write data.test_size=0.2',
      '  cannot apply "dta.stratify=x": dta does not exist (did you mean data.stratify?); write data.stratify=x',
      '  override "data.x=[1" is not valid at column 10: expected "," or "]", found the end; see "Overrides" in the README for the grammar',
      '  cannot delete data.stratfy: the config has no such key (did you mean data.stratify?); write ~data.stratify',
      '  cannot override main.random_sed: the config has no such key (did you mean main.random_seed?); write main.random_seed=1',
      '  and 2 more',
    ]);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('shows every problem of a config file at once', async () => {
    const config = join(dir.path, 'config.yaml');
    writeFileSync(config, readFileSync(CONFIG, 'utf8').replace(/^  test_size: .*$/m, '  tset_size: 0.2').replace(/^  ks_alpha: .*$/m, '  ks_alpha: 2').replace(/^  random_seed: .*$/m, '  random_seed: -1'));
    const result = await runNode(MLDP, ['run', '--config', config], { env: { MLDP_STORE: join(dir.path, 'store') }, cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `error: ${config} has 3 problems (see "Configuration" in the README):`,
      expect.stringMatching(/^  unknown key data.tset_size \(did you mean data.test_size\?\); allowed here: file_url, /),
      '  main.random_seed (--random-seed of the segregate step) = -1 is not allowed: it must be a whole number in [0, 4294967295]',
      '  data.ks_alpha (--ks-alpha of the check_data step) = 2 is not allowed: it must be a number in (0, 1)',
    ]);
    expect(readdirSync(dir.path)).toEqual(['config.yaml']);
  });
});

describe('on a store with pipeline runs', () => {
  const dir = tempDir();
  const store = join(dir.path, 'store');
  const mldp = (...args: string[]) => runNode(MLDP, [...args, '--config', CONFIG, '--store', store], { cwd: ROOT, timeoutMs: 120_000 });
  let first: Record<string, any>;
  let firstStderr: string;
  beforeAll(async () => {
    const result = await mldp('run', '--json');
    expect(result.code, result.stderr).toBe(0);
    first = JSON.parse(result.stdout);
    firstStderr = result.stderr;
  }, 120_000);
  afterAll(() => dir.remove());

  it('mldp run --json prints the summary alone on stdout: run ids, status, steps, durations, artifacts', async () => {
    expect(first).toMatchObject({ status: 'finished', project: 'ml_data_pipeline', group: 'dev', store, report: join(store, 'report/index.html') });
    expect(first.runId).toMatch(/^\d{8}-\d{9}-[0-9a-f]{6}$/);
    expect(first.steps.map((s: any) => [s.step, s.status, s.cached])).toEqual([
      ['download', 'finished', false],
      ['preprocess', 'finished', false],
      ['check_data', 'finished', false],
      ['segregate', 'finished', false],
    ]);
    for (const step of first.steps) expect(step.durationMs).toBeGreaterThanOrEqual(0);
    expect(first.artifacts).toEqual(['raw_data.parquet:v0', 'preprocessed_data.csv:v0', 'check_data_report:v0', 'data_train.csv:v0', 'data_test.csv:v0', 'data_val.csv:v0']);
    // The human progress, the steps' own lines included, went to stderr.
    expect(firstStderr).toMatch(/^step 1\/4: download$/m);
    expect(firstStderr).toMatch(/^segregate: /m);
    // Each step run id is a real run of the pipeline run.
    const shown = JSON.parse((await mldp('runs', 'show', first.runId, '--json')).stdout);
    expect(shown.children).toEqual(first.steps.map((s: any) => s.runId));

    const again = await mldp('run', '--json', 'data.test_size=0.25');
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.steps.map((s: any) => [s.step, s.cached])).toEqual([['download', true], ['preprocess', true], ['check_data', true], ['segregate', false]]);
    expect(summary.steps[0].runId).toBe(first.steps[0].runId);
  }, 120_000);

  it('mldp run --json on a failing step: status failed, the step, the error and the resume command; exit 1', async () => {
    const drifted = join(dir.path, 'drifted.csv');
    const [header, ...rows] = readFileSync(join(ROOT, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
    const result = await mldp('run', '--json', `data.file_url=${drifted}`);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ status: 'failed', failedStep: 'check_data', error: expect.stringMatching(/^check_data failed: data checks failed: /) });
    expect(summary.resume).toBe(`npx mldp run --config ${CONFIG} --store ${store} data.file_url=${drifted} main.execute_steps=[check_data,segregate]`);
    expect(summary.steps.map((s: any) => [s.step, s.status])).toEqual([['download', 'finished'], ['preprocess', 'finished'], ['check_data', 'failed']]);
    expect(summary.steps[2].error).toMatch(/^data checks failed: /);
  }, 120_000);

  it('mldp run --multirun --json prints the sweep summary alone on stdout', async () => {
    const result = await mldp('run', '-m', '--json', '--jobs', '2', 'data.test_size=0.2,0.4');
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ status: 'finished', finished: 2, failed: 0, notRun: 0 });
    expect(summary.jobs.map((j: any) => [j.num, j.overrides, j.status])).toEqual([[0, ['data.test_size=0.2'], 'finished'], [1, ['data.test_size=0.4'], 'finished']]);
    for (const job of summary.jobs) expect(job.runId).toMatch(/^\d{8}-\d{9}-[0-9a-f]{6}$/);
    expect(result.stderr).toMatch(/^sweep \S+: 2 of 2 jobs, 2 at a time$/m);
  }, 120_000);

  it('artifacts show lists the metadata as indented YAML under its heading', async () => {
    const result = await mldp('artifacts', 'show', 'data_train.csv:v0');
    const lines = result.stdout.trimEnd().split('\n');
    const at = lines.indexOf('metadata:');
    expect(at).toBeGreaterThan(0);
    const block = lines.slice(at + 1);
    expect(block.length).toBeGreaterThan(0);
    for (const line of block) expect(line).toMatch(/^  \S|^    /);
    const metadata = JSON.parse((await mldp('artifacts', 'show', 'data_train.csv:v0', '--json')).stdout).metadata;
    for (const key of Object.keys(metadata)) expect(block).toContainEqual(expect.stringMatching(new RegExp(`^  ${key}:`)));
  });

  it('says when a runs filter matches nothing, and names a misspelt step', async () => {
    const typo = await mldp('runs', 'list', '--step', 'chek');
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toBe('error: --step chek is not a step (did you mean check_data?); use one of: download, preprocess, check_data, segregate, pipeline\n');
    const group = await mldp('runs', 'list', '--group', 'nope');
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/^no runs match --group nope \(of \d+ in project ml_data_pipeline\); groups with runs: dev\n$/);
    expect(JSON.parse((await mldp('runs', 'list', '--group', 'nope', '--json')).stdout)).toEqual([]);
  });

  it('report --group with no pipeline run fails and writes nothing; a report counts its runs in words', async () => {
    const out = join(dir.path, 'report-nope');
    const nope = await mldp('report', '--group', 'nope', '--out', out);
    expect(nope).toMatchObject({ code: 1, stdout: '' });
    expect(nope.stderr).toBe('error: no pipeline run of project ml_data_pipeline has the group "nope", so there is nothing to report; groups with pipeline runs: dev\n');
    expect(readdirSync(dir.path)).not.toContain('report-nope');
    const one = await mldp('report', '--run', first.runId, '--out', join(dir.path, 'report-one'));
    expect(one.stdout).toMatch(/ \(1 pipeline run, \d+ KB\)\n$/);
  });
});

describe('npm start', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it("builds quietly through Nx, so the pipeline's first line is the first line shown", () => {
    const store = join(dir.path, 'store');
    const start = spawnSync('npm', ['start', '--silent', '--', 'main.execute_steps=[download]'], {
      cwd: ROOT,
      env: { ...process.env, MLDP_STORE: store, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(start.status, start.stdout + start.stderr).toBe(0);
    const lines = start.stdout.split('\n');
    expect(lines[0]).toMatch(/^pipeline \S+ \(ml_data_pipeline\/dev\): download$/);
    expect(start.stdout).not.toMatch(/nx run|tsc -b|NX /);
    expect(start.stdout).toMatch(new RegExp(`^pipeline \\S+ finished in [0-9.]+s; artifacts are in ${store}$`, 'm'));
  }, 240_000);
});
