import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sleep } from '@mldp/runtime';
import { newRunId, verifyStore } from '@mldp/store';
import { missingRequirement, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BINS,
  MLDP,
  ROOT,
  type Tmpfs,
  expectConsistentAfterRepair,
  expectOneLineError,
  expectVisibleVersionsComplete,
  faultSeed,
  hermeticEnv,
  mldp,
  mountTmpfs,
  openTestStore,
  runStep,
  seededRandom,
  spawnStep,
} from './test-support/fault-kit.js';

const NO_TMPFS = missingRequirement({ for: 'the full-disk and read-only-disk fault tests', tmpfs: true });

const DOWNLOAD = ['--file-url', join(ROOT, 'data/genres_mod1.parquet'), '--artifact-name', 'raw_data.parquet'];
const PREPROCESS = ['--input-artifact', 'raw_data.parquet:latest', '--artifact-name', 'preprocessed_data.csv'];

describe.skipIf(NO_TMPFS !== undefined)('a full disk (a small tmpfs)', () => {
  let disk: Tmpfs | undefined;
  afterEach(() => {
    disk?.unmount();
    disk = undefined;
  });

  /** download and preprocess into a store on a tmpfs of `size`; then with room again, the same once more. */
  async function fillAndRecover(size: string): Promise<{ code: number | null; stderr: string }> {
    const small = mountTmpfs(size);
    disk = small;
    try {
      const location = join(small.path, 'store');
      const env = hermeticEnv(location);
      let result = await runStep('download', DOWNLOAD, env);
      if (result.code === 0) result = await runStep('preprocess', PREPROCESS, env);
      if (result.code !== 0) expectOneLineError(result, new RegExp(`no space left on the disk of ${small.path}/|${small.path}.*ENOSPC`));
      // On the full disk: what is visible is complete, and no run is shown running.
      const full = await openTestStore(location);
      await expectVisibleVersionsComplete(full);
      expect((await full.runs.list()).filter((run) => run.status === 'running')).toEqual([]);
      // As the error says, the user frees space; then repair and verify, and a rerun completes
      // without adding a duplicate of what was committed.
      small.remount('size=256m');
      await expectConsistentAfterRepair(location, env);
      expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
      expect((await runStep('preprocess', PREPROCESS, env)).code).toBe(0);
      await expectConsistentAfterRepair(location, env);
      const store = await openTestStore(location);
      expect(await store.artifacts.versionLabels('faults', 'raw_data.parquet')).toEqual(['v0']);
      expect(await store.artifacts.versionLabels('faults', 'preprocessed_data.csv')).toEqual(['v0']);
      return result;
    } finally {
      small.unmount();
      disk = undefined;
    }
  }

  it('fails with one line naming the disk and the fix at any fill level, leaves nothing half-written, and a rerun adds no duplicate', async () => {
    // How much the two steps need: the disk is then made a little too small at many points.
    disk = mountTmpfs('256m');
    const env = hermeticEnv(join(disk.path, 'store'));
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    const afterDownload = usedBytes(disk.path);
    expect((await runStep('preprocess', PREPROCESS, env)).code).toBe(0);
    const needed = usedBytes(disk.path);
    disk.unmount();
    const page = 4096;
    // In download, in preprocess's output, and in its commit at the end.
    const sizes = [Math.floor(afterDownload / 2), Math.floor((afterDownload + needed) / 2), needed - 12 * page, needed - 2 * page];
    const failures: string[] = [];
    for (const size of sizes) {
      const result = await fillAndRecover(`${Math.ceil(size / page) * page}`);
      if (result.code !== 0) failures.push(result.stderr.trim());
    }
    // The smaller disks did fill up (the largest may just fit, as page rounding goes).
    expect(failures.length).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it('ends the whole pipeline on a full disk with the step and the disk named, not "unexpected failure"', async () => {
    disk = mountTmpfs('2m');
    const env = hermeticEnv(join(disk.path, 'store'));
    const result = await mldp(env, 'run', 'main.project_name=faults', 'main.execute_steps=[download,preprocess]');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`pipeline failed at preprocess: no space left on the disk of ${disk.path}/store/`));
    expectOneLineError(result, /no space left on the disk of .*free some space/);
    await expectConsistentAfterRepair(join(disk.path, 'store'), env);
  }, 120_000);
});

describe.skipIf(NO_TMPFS !== undefined)('a read-only store', () => {
  let disk: Tmpfs | undefined;
  afterEach(() => {
    disk?.unmount();
    disk = undefined;
  });

  it('on a read-only file system: a step fails with one line, and reading still works', async () => {
    disk = mountTmpfs('64m');
    const location = join(disk.path, 'store');
    const env = hermeticEnv(location);
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    disk.remount('ro');
    expectOneLineError(await runStep('preprocess', PREPROCESS, env), /read-only/);
    expectOneLineError(await mldp(env, 'run', 'main.execute_steps=[download]'), /read-only/);
    const list = await mldp(env, 'artifacts', 'list', '--project', 'faults');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/raw_data\.parquet/);
    const verify = await mldp(env, 'store', 'verify');
    expect(verify.stdout).toMatch(/^ok: 1 version, 1 file checked/m);
    expect(verify.code).toBe(0);
  }, 120_000);
});

describe('locks and interruptions', () => {
  let dir: ReturnType<typeof tempDir>;
  let location: string;
  let env: Record<string, string>;
  let holder: ChildProcess | undefined;
  beforeEach(() => {
    dir = tempDir('mldp-faults-');
    location = join(dir.path, 'store');
    env = hermeticEnv(location);
  });
  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = undefined;
    dir.remove();
  });

  it('MLDP_STORE_READONLY=1: every write is refused with one line', async () => {
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    const readOnly = { ...env, MLDP_STORE_READONLY: '1' };
    expectOneLineError(await runStep('preprocess', PREPROCESS, readOnly), /is read-only; unset MLDP_STORE_READONLY/);
    expectOneLineError(await mldp(readOnly, 'store', 'repair'), /read-only/);
    expect((await mldp(readOnly, 'store', 'verify')).code).toBe(0);
  });

  it('a stale temp folder of a killed writer is a note, not damage: verify exits 0, repair removes it', async () => {
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    const stale = join(location, 'tmp', `${2 ** 22 + 999}-0123456789ab`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'half.csv'), 'a,b\n1,');
    const verify = await mldp(env, 'store', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^note: stale-temp: ${stale}: left by a writer that is gone.*\n`, 'm'));
    expect(verify.stdout).toMatch(/^ok: 1 version, 1 file checked in .*, 1 note\n$/m);
    const repair = await mldp(env, 'store', 'repair');
    expect(repair.stdout).toMatch(new RegExp(`^repaired: removed-stale-temp: ${stale}: `, 'm'));
    expect(existsSync(stale)).toBe(false);
  });

  const lockPath = () => join(location, 'locks/artifacts/faults/raw_data.parquet.lock');
  const lockOf = (pid: number) => `${JSON.stringify({ owner: { host: hostname(), pid }, acquiredAt: new Date().toISOString(), purpose: 'test' })}\n`;

  it('a lock held by a live process: a bounded wait, then one line naming the holder; nothing written, no run left running', async () => {
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    await new Promise((resolve) => holder!.once('spawn', resolve));
    writeFileSync(lockPath(), lockOf(holder.pid!));
    const other = ['--file-url', join(ROOT, 'data/genres_mod2.parquet'), '--artifact-name', 'raw_data.parquet'];
    const result = await runStep('download', other, { ...env, MLDP_LOCK_TIMEOUT: '1' });
    expectOneLineError(result, new RegExp(`raw_data.parquet is locked by pid ${holder.pid} .*waited 1s`));
    const store = await openTestStore(location);
    expect(await store.artifacts.versionLabels('faults', 'raw_data.parquet')).toEqual(['v0']);
    expect((await store.runs.list()).map((run) => run.status).sort()).toEqual(['failed', 'finished']);
    // Once the holder is gone, its lock is taken over.
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('exit', resolve));
    expect((await runStep('download', other, env)).code).toBe(0);
    expect(await store.artifacts.versionLabels('faults', 'raw_data.parquet')).toEqual(['v0', 'v1']);
    await expectConsistentAfterRepair(location, env);
  });

  it.each([
    ['a dead process', () => lockOf(2 ** 22 + 777)],
    ['a garbage lock file', () => 'garbage \u0000 {{{'],
  ])('a lock of %s is taken over at once', async (_case, text) => {
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    writeFileSync(lockPath(), text());
    const started = Date.now();
    const other = ['--file-url', join(ROOT, 'data/genres_mod2.parquet'), '--artifact-name', 'raw_data.parquet'];
    const result = await runStep('download', other, env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    await expectConsistentAfterRepair(location, env);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s at seeded moments mid-step: exit %i, the run failed as interrupted, nothing half-written, verify clean without repair', async (signal, exitCode) => {
    expect((await runStep('download', DOWNLOAD, env)).code).toBe(0);
    const random = seededRandom(faultSeed() + exitCode);
    const store = await openTestStore(location);
    for (let attempt = 0; attempt < 4; attempt++) {
      const runId = newRunId();
      // Alternate the input, so that a run that gets to its commit makes a new version.
      const input = attempt % 2 ? ['--text-feature', 'text'] : [];
      const { child, done } = spawnStep('preprocess', [...PREPROCESS, ...input], { ...env, MLDP_RUN_ID: runId });
      for (let i = 0; i < 1000 && !(await store.runs.tryGet(runId)); i++) await sleep(5);
      // Its signal handlers are set up before the run is recorded; then anywhere in its work, or after it.
      await sleep(50 + Math.round(1500 * random()));
      child.kill(signal);
      const ended = await done;
      const run = await store.runs.get(runId);
      const where = `${signal} attempt ${attempt} (seed ${faultSeed()})`;
      if (run.status === 'finished') {
        // Its work was done and recorded. A signal then makes it exit 0, unless it comes while
        // Node itself tears the process down, past any handler: it dies of it, as the shell's 128+n.
        expect(ended.code === 0 || (ended.code === null && ended.signal === signal), `${where}: ${JSON.stringify(ended)}`).toBe(true);
      } else {
        expect(ended.code, `${where}: ${JSON.stringify(ended)}`).toBe(exitCode);
        expect(run, where).toMatchObject({ status: 'failed', error: `interrupted by ${signal}` });
      }
      await expectVisibleVersionsComplete(store);
      expect((await verifyStore(store)).problems, where).toEqual([]);
    }
    await expectConsistentAfterRepair(location, env);
  }, 120_000);

  it('SIGKILL of the orchestrator: its pipeline run is shown crashed, its running step still ends, verify clean after repair', async () => {
    const orchestrator = spawn(process.execPath, [MLDP, 'run', 'main.project_name=faults', 'main.execute_steps=[download,preprocess]'], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    orchestrator.stdout!.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => orchestrator.once('exit', resolve));
    for (let i = 0; i < 2000 && !/step 2\/2: preprocess\n/.test(output); i++) await sleep(5);
    // Once it has recorded and started the step.
    const store = await openTestStore(location);
    const started = async () => (await store.runs.list()).find((run) => run.kind === 'pipeline')?.children.length === 2;
    for (let i = 0; i < 2000 && !(await started()); i++) await sleep(5);
    await sleep(100);
    orchestrator.kill('SIGKILL');
    await exited;
    const pipeline = (await store.runs.list()).find((run) => run.kind === 'pipeline');
    expect(pipeline).toMatchObject({ status: 'crashed', error: expect.stringMatching(/its process \(pid \d+ on .*\) ended without finishing the run/) });
    // The step it started runs on to its end.
    const step = pipeline!.children[pipeline!.children.length - 1];
    for (let i = 0; i < 1200 && (await store.runs.tryGet(step))?.status !== 'finished'; i++) await sleep(50);
    expect((await store.runs.list()).map((run) => `${run.step}:${run.status}`).sort()).toEqual(['download:finished', 'pipeline:crashed', 'preprocess:finished']);
    const listed = await mldp(env, 'runs', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${pipeline!.id}  pipeline +crashed `, 'm'));
    await expectConsistentAfterRepair(location, env);
  }, 120_000);

  it('output closed early (EPIPE): no stack trace; the pipeline finishes and no run is left running', async () => {
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${MLDP}" run main.project_name=faults 'main.execute_steps=[download,preprocess]' 2>&1 | head -1`], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(piped.stdout).toMatch(/^pipeline \S+ \(faults\/dev\): download -> preprocess\n$/);
    expect(piped.stderr).toBe('');
    const step = spawnSync('bash', ['-c', `"${process.execPath}" "${BINS.preprocess}" ${PREPROCESS.join(' ')} 2>&1 | head -c 1`], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', ...env },
      encoding: 'utf8',
    });
    expect(step.stderr).toBe('');
    const store = await openTestStore(location);
    // The pipeline's children outlive `head`: give them time to finish.
    for (let i = 0; i < 600 && (await store.runs.list()).some((run) => run.status === 'running'); i++) await sleep(50);
    const runs = await store.runs.list();
    expect(runs.map((run) => `${run.step}:${run.status}`).sort()).toEqual(['download:finished', 'pipeline:finished', 'preprocess:finished', 'preprocess:finished']);
    await expectConsistentAfterRepair(location, env);
  }, 120_000);
});

function usedBytes(path: string): number {
  const stats = statfsSync(path);
  return (stats.blocks - stats.bfree) * stats.bsize;
}
