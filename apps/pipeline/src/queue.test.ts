// Distributed runs: a real redis-server, real `mldp worker` processes (each its own working
// folder and cache, as separate machines) and a shared-folder store.
import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingRequirement, runNode, runProgram, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MLDP, REDIS_SERVER, type WorkerProcess, spawnWorker, startRedis } from './test-support/redis.js';

const ROOT = join(import.meta.dirname, '../../..');
const LOCK = '3';

describe.skipIf(missingRequirement({ for: 'the queue tests', programs: [REDIS_SERVER, 'openssl'] }))('mldp worker and mldp run --queue', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let workers: WorkerProcess[];
  const project = () => `q${Math.random().toString(36).slice(2, 8)}`;
  const mldp = (args: string[], extra: Record<string, string> = {}) => runNode(MLDP, args, { env: { ...env, ...extra }, cwd: ROOT, timeoutMs: 300_000 });
  const worker = (args: string[] = [], extra: Record<string, string> = {}, options: { data?: boolean; script?: string } = {}) => {
    const started = spawnWorker(dir.path, ['--lock-timeout', LOCK, ...args], { ...env, MLDP_STORE: '', ...extra }, options);
    workers.push(started);
    return started;
  };
  const json = async (args: string[]) => JSON.parse((await mldp([...args, '--json'])).stdout);

  beforeAll(async () => {
    redis = await startRedis({ tls: true, password: 's3cr3t-pw' });
  });
  afterAll(async () => redis?.stop());
  beforeEach(() => {
    dir = tempDir();
    // Each test its own project, so its own queue.
    env = { MLDP_STORE: join(dir.path, 'store'), MLDP_PROJECT: project(), MLDP_QUEUE: `redis://:s3cr3t-pw@127.0.0.1:${redis.port}`, MLDP_QUEUE_PASSWORD: '' };
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    dir.remove();
  });
  workers = [];

  it('runs a sweep on two workers: upstream steps once, each job recorded with its worker, no password shown', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    const a = worker();
    const b = worker(['--concurrency', '2']);
    await Promise.all([a.waitFor(/taking jobs/), b.waitFor(/taking jobs/)]);
    const status = await mldp(['queue', 'status']);
    expect(status.stdout).toMatch(new RegExp(`^queue mldp-${env.MLDP_PROJECT} at redis://127.0.0.1:${redis.port}/0 \\(project ${env.MLDP_PROJECT}\\): 0 waiting, 0 active`, 'm'));
    expect(status.stdout.match(/^\S+:\d+\s+127\.0\.0\.1:\d+/gm)).toHaveLength(2);

    const sweep = await mldp(['run', '-m', 'data.test_size=0.2,0.3', 'data.val_size=0,0.1']);
    expect(sweep.stderr).toBe('');
    expect(sweep.code).toBe(0);
    const id = /^sweep (\S+): 4 of 4 jobs submitted to redis:\/\/127\.0\.0\.1:\d+\/0 \(queue mldp-\w+\)$/m.exec(sweep.stdout)![1];
    expect(sweep.stdout).toMatch(/^job #\d\/4 started on \S+:\d+$/m);
    expect(sweep.stdout.match(/^job #\d\/4 finished on \S+ \(pipeline \S+\)$/gm)).toHaveLength(4);
    expect(sweep.stdout).toMatch(new RegExp(`^sweep ${id}: 4 finished, 0 failed, in [0-9.]+s$`, 'm'));
    for (const text of [sweep.stdout, status.stdout, a.output(), b.output()]) expect(text).not.toContain('s3cr3t-pw');

    const shown = await json(['sweeps', 'show', id]);
    expect(shown.jobs.map((j: { status: string; attempts: number; failure: unknown }) => [j.status, j.attempts, j.failure])).toEqual(Array(4).fill(['finished', 1, null]));
    expect(shown.jobs.every((j: { worker: string; log: string }) => /:\d+$/.test(j.worker) && /step 4\/4: segregate done/.test(j.log))).toBe(true);
    const runsOf = async (step: string) => (await json(['runs', 'list', '--step', step, '--limit', '100'])).filter((r: { status: string }) => r.status === 'finished');
    expect((await runsOf('download')).length).toBe(1);
    expect((await runsOf('check_data')).length).toBe(1);
    expect((await runsOf('segregate')).length).toBe(4);
    // A single run goes through the queue too, its worker's lines shown as they come.
    const single = await mldp(['run', 'data.test_size=0.25']);
    expect(single.code).toBe(0);
    expect(single.stdout).toMatch(/^step 4\/4: segregate done in/m);
    expect(single.stdout).toMatch(/^job run-\w+ finished on \S+ \(pipeline \S+\)$/m);
  }, 180_000);

  it('--detach prints the sweep id at once, and sweeps show follows it from the store', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    const submitted = await mldp(['run', '-m', '--detach', 'data.test_size=0.2,0.3']);
    expect(submitted.code).toBe(0);
    const id = submitted.stdout.trim();
    expect(id).toMatch(/^\d{8}-\d{9}-[0-9a-f]{8}$/);
    expect(submitted.stderr).toBe(`sweep ${id}: 2 jobs submitted to redis://127.0.0.1:${redis.port}/0 (queue mldp-${env.MLDP_PROJECT}); follow it with "npx mldp sweeps show ${id}"\n`);
    expect((await json(['sweeps', 'show', id])).jobs.map((j: { status: string }) => j.status)).toEqual(['pending', 'pending']);
    const waiting = await mldp(['queue', 'status']);
    expect(waiting.stdout).toMatch(/: 2 waiting, 0 active/);
    expect(waiting.stdout).toMatch(/^no workers/m);
    const w = worker();
    await w.waitFor(/\[#1\] finished in/);
    await w.waitFor(/\[#0\] finished in/);
    const shown = await mldp(['sweeps', 'show', id]);
    expect(shown.stdout).toMatch(/: 2 finished\n/);
  }, 180_000);

  it('--store runs the jobs against the store where the worker has it (a shared folder mounted elsewhere)', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    // Each job names the submitter's path of the store; this worker has the store at another path.
    const mounted = join(dir.path, 'mounted-store');
    const submitThenMove = async (testSize: string) => {
      const id = (await mldp(['run', '-m', '--detach', `data.test_size=${testSize}`])).stdout.trim();
      renameSync(env.MLDP_STORE, mounted);
      return id;
    };
    const unreachable = await submitThenMove('0.2');
    const without = worker();
    await without.waitFor(/\[#0\] worker \S+ cannot reach the store \S+: .+; give workers a store they share \(s3:\/\/, or a folder mounted at the same path, or --store\)\n/);
    await without.stop();
    renameSync(mounted, env.MLDP_STORE);
    const reached = await submitThenMove('0.3');
    const w = worker(['--store', mounted]);
    await w.waitFor(/\[#0\] finished in/);
    const show = async (id: string) => JSON.parse((await mldp(['sweeps', 'show', id, '--json'], { MLDP_STORE: mounted })).stdout);
    // The worker could not write the unreachable store: its record still says what the submitter wrote.
    expect((await show(unreachable)).jobs[0].status).toBe('pending');
    const job = (await show(reached)).jobs[0];
    expect(job).toMatchObject({ status: 'finished', attempts: 1 });
    expect(JSON.parse((await mldp(['runs', 'show', job.run, '--json'], { MLDP_STORE: mounted })).stdout).status).toBe('finished');
    expect(existsSync(env.MLDP_STORE)).toBe(false);
  }, 180_000);

  it.skipIf(missingRequirement({ for: 'the terminal test', programs: ['/usr/bin/script'] }))('shows a status line on a terminal, and ends it before the summary', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    worker();
    // script(1) gives the submitter a pseudo-terminal, as a user's shell would.
    const command = `${process.execPath} ${MLDP} run -m data.test_size=0.2,0.3`;
    const result = await runProgram('/usr/bin/script', ['-qefc', command, '/dev/null'], { env: { ...env, CI: '' }, cwd: ROOT, timeoutMs: 300_000 });
    expect(result.code).toBe(0);
    const screen = result.stdout.replace(/\r\n/g, '\n');
    expect(screen).toMatch(/\r\x1b\[Kqueue: \d waiting, \d active, \d done, \d failed/);
    expect(screen).toMatch(/\r\x1b\[Kqueue: 0 waiting, 0 active, 2 done, 0 failed\n/);
    // Event lines clear the status line first, so none is printed over it.
    expect(screen).toMatch(/\r\x1b\[Kjob #\d\/2 finished on /);
    expect(screen).toMatch(/: 2 finished, 0 failed, in/);
  }, 180_000);

  it('fails a job that fails by itself at once, without a retry, and names an input the worker cannot reach', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    worker();
    const sweep = await mldp(['run', '-m', 'data.stratify=no_such_column,genre']);
    expect(sweep.code).toBe(1);
    expect(sweep.stdout).toMatch(/^job #0\/2 FAILED \(by itself; not retried\): segregate: preprocessed_data.csv:v0 has no column "no_such_column"/m);
    expect(sweep.stdout).toMatch(/: 1 finished, 1 failed \(1 by itself; not retried\), in/);
    const id = /^sweep (\S+):/m.exec(sweep.stdout)![1];
    const jobs = (await json(['sweeps', 'show', id])).jobs;
    expect(jobs.map((j: { status: string; attempts: number; failure: unknown }) => [j.status, j.attempts, j.failure])).toEqual([['failed', 1, 'job'], ['finished', 1, null]]);
    // resume --queue resubmits only the failed job, as a new queue job: it fails by itself again.
    const resumed = await mldp(['sweeps', 'resume', id]);
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toMatch(new RegExp(`^sweep ${id}: 1 of 2 jobs submitted to `, 'm'));
    // (Its start may fall between two polls of the submitter: only its end is certain to be shown.)
    expect(resumed.stdout).toMatch(/^job #0\/2 FAILED \(by itself; not retried\): segregate: /m);
    expect((await json(['sweeps', 'show', id])).jobs.map((j: { attempts: number }) => j.attempts)).toEqual([2, 1]);
    const missing = await mldp(['run', 'data.file_url=data/not_here.parquet']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/FAILED \(by itself; not retried\): data.file_url data\/not_here.parquet is not reachable from worker \S+: \/\S+\/data\/not_here.parquet does not exist; put the data at that path in the worker's workspace/);
  }, 180_000);

  it('a worker of another version or code refuses the job, saying why', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    // Another installation of mldp: the built app copied, with another version.
    const other = join(ROOT, 'apps/pipeline/test-output', `skew-${process.pid}-${Date.now()}`);
    cpSync(join(ROOT, 'apps/pipeline/dist'), join(other, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'apps/pipeline/bin'), join(other, 'bin'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(ROOT, 'apps/pipeline/package.json'), 'utf8'));
    writeFileSync(join(other, 'package.json'), JSON.stringify({ ...manifest, version: '0.0.9' }));
    try {
      worker([], {}, { script: join(other, 'bin/mldp.js') });
      const refused = await mldp(['run', '-m', 'data.test_size=0.2']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^job #0\/1 FAILED \(refused by a worker\): refused by worker \S+: it comes from mldp 0\.1\.0 and this worker runs mldp 0\.0\.9; run workers of the submitter's mldp version and code$/m);
      const id = /^sweep (\S+):/m.exec(refused.stdout)![1];
      expect((await json(['sweeps', 'show', id])).jobs[0]).toMatchObject({ status: 'failed', failure: 'refused', attempts: 0 });
      // Same version, one changed file: the code hash tells them apart.
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];
      writeFileSync(join(other, 'package.json'), JSON.stringify(manifest));
      writeFileSync(join(other, 'dist/orchestrator.js'), `${readFileSync(join(other, 'dist/orchestrator.js'), 'utf8')}\n// changed\n`);
      worker([], {}, { script: join(other, 'bin/mldp.js') });
      const changed = await mldp(['run', 'data.test_size=0.2']);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toMatch(/refused by worker \S+: it comes from mldp 0\.1\.0 with pipeline code [0-9a-f]{16} and this worker runs code [0-9a-f]{16}/);
    } finally {
      (await import('node:fs')).rmSync(other, { recursive: true, force: true });
    }
  }, 180_000);

  it('says in one line when the queue cannot be reached or refuses the password, and never shows it; rediss:// works', async () => {
    expect((await mldp(['store', 'init'])).code).toBe(0);
    const down = await mldp(['run', '-m', 'data.test_size=0.2,0.3'], { MLDP_QUEUE: 'redis://:hunter2@127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe('error: cannot reach the queue at redis://127.0.0.1:1/0: connection refused (nothing listens there); start Redis there, or check --queue and MLDP_QUEUE\n');
    expect((await json(['sweeps', 'list']))).toEqual([]);
    const wrong = await mldp(['queue', 'status'], { MLDP_QUEUE: `redis://127.0.0.1:${redis.port}`, MLDP_QUEUE_PASSWORD: 'hunter2' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: cannot reach the queue at redis:\/\/127\.0\.0\.1:\d+\/0: it refused the password \(check MLDP_QUEUE_PASSWORD or the URL\); /);
    expect(wrong.stderr + wrong.stdout + down.stderr).not.toContain('hunter2');
    // TLS, with the password from MLDP_QUEUE_PASSWORD and the throw-away CA added to Node's.
    const tls = { MLDP_QUEUE: redis.tlsUrl!, MLDP_QUEUE_PASSWORD: 's3cr3t-pw', NODE_EXTRA_CA_CERTS: redis.caFile! };
    const w = worker([], tls);
    await w.waitFor(/taking jobs .* from rediss:\/\/127\.0\.0\.1:\d+\/0/);
    const run = await mldp(['run', 'data.test_size=0.2'], tls);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^job run-\w+ finished on/m);
    const untrusted = await mldp(['queue', 'status'], { ...tls, NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^error: cannot reach the queue at rediss:\/\/127\.0\.0\.1:\d+\/0: TLS failed: /);
    expect(w.output() + run.stdout + untrusted.stderr).not.toContain('s3cr3t-pw');
  }, 180_000);
});
