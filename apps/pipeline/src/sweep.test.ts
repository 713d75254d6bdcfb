// Sweeps through `mldp run --multirun` as real processes, on a real store and the repo's data.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const CONFIG = join(ROOT, 'config.yaml');

interface Run {
  id: string;
  step: string;
  status: string;
}

describe('mldp run --multirun', () => {
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 600_000 });
  const json = async (...args: string[]) => {
    const result = await mldp(...args, '--json');
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };
  const stepRuns = async (step: string): Promise<Run[]> => (await json('runs', 'list', '--step', step, '--limit', '1000')) as Run[];

  beforeEach(() => {
    dir = tempDir();
    env = { MLDP_STORE: join(dir.path, 'store'), MLDP_PROJECT: '' };
  });
  afterEach(() => dir.remove());

  it("lists the jobs of --dry-run in Hydra's basic-sweeper order, and runs nothing", async () => {
    const text = await mldp('run', '-m', '--dry-run', 'data.test_size=0.2,0.3', 'data.val_size=choice(0.1,0.2)');
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        '4 jobs (dry run: nothing runs)',
        '#0 : data.test_size=0.2 data.val_size=0.1',
        '#1 : data.test_size=0.2 data.val_size=0.2',
        '#2 : data.test_size=0.3 data.val_size=0.1',
        '#3 : data.test_size=0.3 data.val_size=0.2',
        '',
      ].join('\n'),
    );
    const nine = await json('run', '--multirun', '--dry-run', 'main.random_seed=range(1,4)', 'data.stratify=genre', 'data.test_size=sort(0.3,0.1,0.2)', 'main.execute_steps=download,preprocess');
    expect(nine).toHaveLength(9);
    expect(nine[0]).toEqual({ num: 0, overrides: ['main.random_seed=1', 'data.stratify=genre', 'data.test_size=0.1', 'main.execute_steps=download,preprocess'] });
    expect(nine.map((job: { overrides: string[] }) => `${job.overrides[0]} ${job.overrides[2]}`)).toEqual([
      'main.random_seed=1 data.test_size=0.1', 'main.random_seed=1 data.test_size=0.2', 'main.random_seed=1 data.test_size=0.3',
      'main.random_seed=2 data.test_size=0.1', 'main.random_seed=2 data.test_size=0.2', 'main.random_seed=2 data.test_size=0.3',
      'main.random_seed=3 data.test_size=0.1', 'main.random_seed=3 data.test_size=0.2', 'main.random_seed=3 data.test_size=0.3',
    ]);
    expect(nine.map((job: { num: number }) => job.num)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // A bad value in any job stops the sweep before it starts (test_size=0.0 is neither a fraction nor a row count).
    const bad = await mldp('run', '-m', 'main.random_seed=range(1,4)', 'data.test_size=float(range(0,2))');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: sweep job #0 \(main.random_seed=1 data.test_size=0.0\): .*data.test_size \(--test-size of the segregate step\) = 0 is not allowed: it must be a number in \(0, 1\) or a whole number >= 1/);
    expect((await mldp('sweeps', 'list')).stdout).toMatch(/^no sweeps in /);
  });

  it('reads the sweep: section of the config first; the command line replaces a key in its place', async () => {
    const config = join(dir.path, 'config.yaml');
    writeFileSync(config, `${readFileSync(CONFIG, 'utf8')}sweep:\n  data.test_size: 0.2,0.3\n  main.random_seed: range(1,3)\n`);
    const jobs = await json('run', '-m', '--dry-run', '--config', config, 'main.random_seed=7', 'data.val_size=0.1,0.2');
    expect(jobs.map((job: { overrides: string[] }) => job.overrides.join(' '))).toEqual([
      'data.test_size=0.2 main.random_seed=7 data.val_size=0.1',
      'data.test_size=0.2 main.random_seed=7 data.val_size=0.2',
      'data.test_size=0.3 main.random_seed=7 data.val_size=0.1',
      'data.test_size=0.3 main.random_seed=7 data.val_size=0.2',
    ]);
    // Without --multirun the section is not read.
    expect(JSON.parse((await mldp('config', '--config', config, '--json')).stdout).data.test_size).toBe(0.3);
  });

  it.each([
    [['run', '--dry-run', 'data.test_size=0.2,0.3'], /^error: --dry-run goes with --multirun; add --multirun \(-m\)\n$/],
    [['run', '-m', 'data.test_size=interval(0.1,0.3)'], /is an interval\(\), which the basic sweeper cannot enumerate/],
    [['run', '-m', 'data.test_size=range(1,1)'], /sweeps over no values/],
    [['run', '-m', '--jobs', '0', 'data.test_size=0.2'], /^error: --jobs "0" is out of range; give a whole number >= 1/],
    [['run', 'data.test_size=0.2,0.3'], /^error: override "data.test_size=0.2,0.3" is a sweep; sweeps need --multirun \(-m\): npx mldp run --multirun data.test_size=0.2,0.3/],
    [['sweeps', 'show', '20260101-000000000-00000000'], /sweep "20260101-000000000-00000000" does not exist/],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await mldp(...args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
  });

  it("runs a 2x2 sweep over segregate's parameters in parallel: upstream steps once, segregate four times", async () => {
    const sweep = await mldp('run', '--multirun', '--jobs', '4', 'data.test_size=0.2,0.25', 'data.val_size=0.1,0.2');
    expect(sweep.stderr).toBe('');
    expect(sweep.code).toBe(0);
    const id = /^sweep (\S+): 4 of 4 jobs, 4 at a time$/m.exec(sweep.stdout)?.[1];
    expect(id).toBeDefined();
    for (const num of [0, 1, 2, 3]) expect(sweep.stdout).toMatch(new RegExp(`^job #${num}/4 finished in [0-9.]+s \\(pipeline \\S+\\)$`, 'm'));
    expect(sweep.stdout).toMatch(new RegExp(`^sweep ${id}: 4 finished, 0 failed, 0 not run, in [0-9.]+s$`, 'm'));

    for (const step of ['download', 'preprocess', 'check_data']) expect(await stepRuns(step), step).toHaveLength(1);
    expect(await stepRuns('segregate')).toHaveLength(4);
    expect(await stepRuns('pipeline')).toHaveLength(4);
    const versions = Object.fromEntries((await json('artifacts', 'list')).map((a: { name: string; versions: string[] }) => [a.name, a.versions]));
    expect(versions).toMatchObject({ 'raw_data.parquet': ['v0'], 'preprocessed_data.csv': ['v0'], 'check_data_report': ['v0'] });
    expect(versions['data_train.csv']).toHaveLength(4);

    const shown = await json('sweeps', 'show', id!);
    expect(shown).toMatchObject({ id, overrides: ['data.test_size=0.2,0.25', 'data.val_size=0.1,0.2'] });
    expect(shown.jobs.map((job: { num: number; overrides: string[]; status: string }) => [job.num, job.overrides.join(' '), job.status])).toEqual([
      [0, 'data.test_size=0.2 data.val_size=0.1', 'finished'],
      [1, 'data.test_size=0.2 data.val_size=0.2', 'finished'],
      [2, 'data.test_size=0.25 data.val_size=0.1', 'finished'],
      [3, 'data.test_size=0.25 data.val_size=0.2', 'finished'],
    ]);
    const pipelines = new Set((await stepRuns('pipeline')).map((r) => r.id));
    for (const job of shown.jobs) {
      expect(pipelines.has(job.run)).toBe(true);
      expect(job.seconds).toBeGreaterThan(0);
      expect(job.log).toMatch(new RegExp(`^pipeline ${job.run} `, 'm'));
      expect(job.metrics['segregate.rows_train']).toBeGreaterThan(0);
      expect(job.metrics['segregate.rows_test']).toBeGreaterThan(0);
    }
    // Each job's own split sizes: test 0.2 vs 0.25 of the rows.
    expect(shown.jobs[2].metrics['segregate.rows_test']).toBeGreaterThan(shown.jobs[0].metrics['segregate.rows_test']);
    const pipelineRun = await json('runs', 'show', shown.jobs[1].run);
    expect(pipelineRun.info.sweep).toBe(`${id}:1`);

    const text = await mldp('sweeps', 'show', id!);
    expect(text.stdout).toMatch(new RegExp(`^sweep ${id} \\(project ml_data_pipeline\\), created \\S+: 4 finished$`, 'm'));
    expect(text.stdout).toMatch(/^#3 +finished +[0-9.]+s +\S+ +data.test_size=0.25 data.val_size=0.2 +segregate.rows_train=\d+/m);
    const list = await mldp('sweeps', 'list');
    expect(list.stdout).toMatch(new RegExp(`^${id} +\\S+ +4 +4 finished +data.test_size=0.2,0.25 data.val_size=0.1,0.2$`, 'm'));
  }, 600_000);

  it('runs a 3x3 sweep, 3 jobs at a time, recording the jobs in sweep order', async () => {
    const sweep = await mldp('run', '-m', '--jobs', '3', 'data.test_size=0.2,0.25,0.3', 'data.val_size=range(0.1,0.25,0.05)');
    expect(sweep.stderr).toBe('');
    expect(sweep.code).toBe(0);
    const id = /^sweep (\S+): 9 of 9 jobs, 3 at a time$/m.exec(sweep.stdout)![1];
    const shown = await json('sweeps', 'show', id);
    const sizes = ['0.2', '0.25', '0.3'].flatMap((test) => ['0.1', '0.15', '0.2'].map((val) => `data.test_size=${test} data.val_size=${val}`));
    expect(shown.jobs.map((job: { overrides: string[] }) => job.overrides.join(' '))).toEqual(sizes);
    expect(shown.jobs.every((job: { status: string }) => job.status === 'finished')).toBe(true);
    for (const step of ['download', 'preprocess', 'check_data']) expect(await stepRuns(step), step).toHaveLength(1);
    expect(await stepRuns('segregate')).toHaveLength(9);
    const rowsTest = shown.jobs.map((job: { metrics: Record<string, number> }) => job.metrics['segregate.rows_test']);
    expect(rowsTest[0]).toBe(rowsTest[2]);
    expect(rowsTest[3]).toBeGreaterThan(rowsTest[0]);
    expect(rowsTest[6]).toBeGreaterThan(rowsTest[3]);
    expect(sweep.stdout).toMatch(/^report: .*index.html \(its Sweeps section shows this sweep\)$/m);
  }, 600_000);

  it('keeps going after a failed job, stops with --fail-fast, and resume reruns only what failed or never ran', async () => {
    const first = await mldp('run', '-m', '--jobs', '1', '--fail-fast', 'data.stratify=no_such_column,genre', 'data.test_size=0.2,0.25');
    expect(first.code).toBe(1);
    const id = /^sweep (\S+): /m.exec(first.stdout)![1];
    expect(first.stdout).toMatch(/^job #0\/4 FAILED after [0-9.]+s \(exit 1\): .*no_such_column/m);
    expect(first.stdout).toMatch(/^--fail-fast: starting no more jobs; 3 not run$/m);
    expect(first.stdout).toMatch(new RegExp(`^sweep ${id}: 0 finished, 1 failed, 3 not run, in`, 'm'));
    expect(first.stdout).toContain(`rerun the failed jobs and those not run with "npx mldp sweeps resume ${id}"`);
    expect(first.stdout).not.toMatch(/job #1\/4 started/);
    let shown = await json('sweeps', 'show', id);
    expect(shown.jobs.map((job: { status: string }) => job.status)).toEqual(['failed', 'pending', 'pending', 'pending']);
    expect(shown.jobs[0].log).toMatch(/no_such_column/);

    // Without --fail-fast a failed job does not stop the others.
    const resumed = await mldp('sweeps', 'resume', id, '--jobs', '2');
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toMatch(new RegExp(`^sweep ${id}: 4 of 4 jobs, 2 at a time$`, 'm'));
    expect(resumed.stdout).toMatch(new RegExp(`^sweep ${id}: 2 finished, 2 failed, 0 not run, in`, 'm'));
    shown = await json('sweeps', 'show', id);
    expect(shown.jobs.map((job: { status: string; attempts: number }) => [job.status, job.attempts])).toEqual([['failed', 2], ['failed', 1], ['finished', 1], ['finished', 1]]);

    const again = await mldp('sweeps', 'resume', id);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(new RegExp(`^sweep ${id}: 2 of 4 jobs, `, 'm'));
    expect(again.stdout).not.toMatch(/job #[23]\/4 started/);
    shown = await json('sweeps', 'show', id);
    expect(shown.jobs.map((job: { attempts: number }) => job.attempts)).toEqual([3, 2, 1, 1]);
    // segregate failed once for #0 on the first run, then for #0 and #1 on each resume; #2 and #3 ran it once.
    expect(await stepRuns('segregate')).toHaveLength(1 + 4 + 2);
  }, 600_000);

  it('runs identical upstream steps once when three pipelines start at the same moment', async () => {
    const results = await Promise.all([1, 2, 3].map(() => mldp('run', 'main.execute_steps=[download,preprocess]')));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(await stepRuns('download')).toHaveLength(1);
    expect(await stepRuns('preprocess')).toHaveLength(1);
    const versions = Object.fromEntries((await json('artifacts', 'list')).map((x: { name: string; versions: string[] }) => [x.name, x.versions]));
    expect(versions).toEqual({ 'raw_data.parquet': ['v0'], 'preprocessed_data.csv': ['v0'] });
    const output = results.map((r) => r.stdout).join('');
    // Two of the three reuse both steps; those that came while a step ran said whom they waited for.
    expect(output.match(/: cached \(run /g)).toHaveLength(4);
    for (const line of output.match(/^.*waiting for.*$/gm) ?? []) expect(line).toMatch(/^step [12]\/2: (download|preprocess): waiting for pipeline \S+, which runs it with the same inputs$/);
  }, 600_000);
});
