// Faults of distributed runs, with real processes: a worker killed with SIGKILL while it holds a
// job, and Redis killed and started again (without its data) in the middle of a sweep.
import { join } from 'node:path';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MLDP, REDIS_SERVER, type WorkerProcess, spawnMldp, spawnWorker, startRedis } from './test-support/redis.js';

const ROOT = join(import.meta.dirname, '../../..');

describe.skipIf(missingRequirement({ for: 'the queue fault tests', programs: [REDIS_SERVER] }))('distributed runs survive lost workers and a restarted Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let started: WorkerProcess[] = [];
  const mldp = (args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 300_000 });
  const json = async (args: string[]) => JSON.parse((await mldp([...args, '--json'])).stdout);
  const worker = (args: string[] = []) => {
    const w = spawnWorker(dir.path, ['--lock-timeout', '2', ...args], { ...env, MLDP_STORE: '' });
    started.push(w);
    return w;
  };
  const submit = (args: string[]) => {
    const s = spawnMldp(args, { cwd: ROOT, env });
    started.push(s);
    return s;
  };
  /** Versions per artifact: each content once, none half-written (store verify). */
  const expectNoDuplicateVersions = async (expected: Record<string, number>) => {
    const artifacts = await json(['artifacts', 'list']);
    const counts = Object.fromEntries(artifacts.map((a: { name: string; versions: string[] }) => [a.name, a.versions.length]));
    expect(counts).toMatchObject(expected);
    // Every file intact, no half-written version; a killed worker's pipeline run may be left crashed, and says so.
    const problems = (await json(['store', 'verify'])).problems as Array<{ kind: string; what: string }>;
    expect(problems.filter((p) => !(p.kind === 'crashed-run' && / \((pipeline|download|preprocess|check_data|segregate)\)$/.test(p.what)))).toEqual([]);
    return problems;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());
  beforeEach(async () => {
    dir = tempDir();
    env = { MLDP_STORE: join(dir.path, 'store'), MLDP_PROJECT: `f${Math.random().toString(36).slice(2, 8)}`, MLDP_QUEUE: redis.url };
    expect((await mldp(['store', 'init'])).code).toBe(0);
  });
  afterEach(async () => {
    await Promise.all(started.map((w) => w.stop()));
    started = [];
    dir.remove();
  });

  it('gives the job of a worker killed with SIGKILL to another worker after the lock timeout; no duplicate or partial versions', async () => {
    const doomed = worker();
    await doomed.waitFor(/taking jobs/);
    const sweep = submit(['run', '-m', 'data.test_size=0.2,0.3']);
    // Killed in the middle of its first job's steps.
    await doomed.waitFor(/\[#0\] step 2\/4: preprocess\n/);
    doomed.child.kill('SIGKILL');
    await doomed.exited();
    const rescuer = worker();
    await rescuer.waitFor(/\[#0\] sweep \S+ job #0 started on \S+ \(again, attempt 2: its worker was lost\)/);
    expect(await sweep.exited()).toBe(0);
    // The submitter polls: it sees the job back in the queue, or (when another worker took it between two polls) its new start.
    expect(sweep.output()).toMatch(/^job #0\/2(: its worker \S+ was lost; back in the queue| started on \S+ \(attempt 2, after a lost worker\))$/m);
    expect(sweep.output()).toMatch(/: 2 finished, 0 failed, in/);
    const id = /^sweep (\S+):/m.exec(sweep.output())![1];
    const jobs = (await json(['sweeps', 'show', id])).jobs;
    expect(jobs.map((j: { status: string; attempts: number }) => [j.status, j.attempts])).toEqual([['finished', 2], ['finished', 1]]);
    const problems = await expectNoDuplicateVersions({ 'raw_data.parquet': 1, 'preprocessed_data.csv': 1, 'data_train.csv': 2, 'data_test.csv': 2 });
    expect(problems.filter((p) => p.what.endsWith('(pipeline)'))).toHaveLength(1);
  }, 180_000);

  it('gives up on a job whose workers are lost more often than --lost-retries allows, and records why', async () => {
    const sweep = submit(['run', '-m', 'data.test_size=0.2']);
    for (const attempt of [1, 2]) {
      const w = worker(['--lost-retries', '1']);
      await w.waitFor(/\[#0\] step 1\/4: download\n/);
      w.child.kill('SIGKILL');
      await w.exited();
      expect(attempt).toBeGreaterThan(0);
    }
    // A healthy worker runs its stalled check and finds the job lost twice: over the limit.
    worker(['--lost-retries', '1']);
    expect(await sweep.exited()).toBe(1);
    expect(sweep.output()).toMatch(/^job #0\/1 FAILED \(its workers were lost too often\): job stalled more than allowable limit$/m);
    const id = /^sweep (\S+):/m.exec(sweep.output())![1];
    expect((await json(['sweeps', 'show', id])).jobs[0]).toMatchObject({ status: 'failed', failure: 'worker-lost', attempts: 2 });
  }, 180_000);

  it('rides out a restart of Redis mid-sweep: both sides say so in one line, reconnect, and finish every job', async () => {
    const w = worker();
    await w.waitFor(/taking jobs/);
    const sweep = submit(['run', '-m', 'data.test_size=0.2,0.25,0.3']);
    await sweep.waitFor(/^job #\d\/3 finished on/m);
    await redis.restart();
    await w.waitFor(/^worker \S+: lost the queue at redis:\/\/127\.0\.0\.1:\d+\/0 \([^)]+\); reconnecting with backoff$/m);
    await w.waitFor(/^worker \S+: reconnected to redis:\/\/127\.0\.0\.1:\d+\/0 after [0-9.]+s$/m);
    expect(await sweep.exited()).toBe(0);
    expect(sweep.output()).toMatch(/^submitter: lost the queue at redis:\/\/127\.0\.0\.1:\d+\/0 \([^)]+\); reconnecting with backoff$/m);
    expect(sweep.output()).toMatch(/^submitter: reconnected to /m);
    expect(sweep.output()).toMatch(/: 3 finished, 0 failed, in/);
    expect(await expectNoDuplicateVersions({ 'raw_data.parquet': 1, 'data_train.csv': 3 })).toEqual([]);
  }, 180_000);
});
