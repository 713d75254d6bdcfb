// Stopping a worker, with real processes: the first SIGINT/SIGTERM lets its running job finish
// (even a Ctrl-C sent to its whole process group, as a terminal does), a second one stops the job
// and puts it back in the queue at once. The job's download is held by a real HTTP server on
// 127.0.0.1 until the test lets it go, so the job is surely running when the signals come.
import { readFileSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MLDP, REDIS_SERVER, type WorkerProcess, spawnMldp, spawnWorker, startRedis } from './test-support/redis.js';

const ROOT = join(import.meta.dirname, '../../..');
const DATA = readFileSync(join(ROOT, 'data/genres_mod1.parquet'));

/** Serves the bundled Parquet file, holding every response until `release()`. */
async function heldServer(): Promise<{ url: string; requests: () => number; release: () => void; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  let released = false;
  let requests = 0;
  const send = (response: ServerResponse) => response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': DATA.length }).end(DATA);
  const server: Server = createServer((_request, response) => {
    requests += 1;
    if (released) send(response);
    else held.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/genres_mod1.parquet`,
    requests: () => requests,
    release() {
      released = true;
      for (const response of held.splice(0)) send(response);
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe.skipIf(missingRequirement({ for: 'the worker stop tests', programs: [REDIS_SERVER] }))('stopping a worker', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let http: Awaited<ReturnType<typeof heldServer>>;
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let started: WorkerProcess[] = [];
  const mldp = (args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 300_000 });
  const json = async (args: string[]) => JSON.parse((await mldp([...args, '--json'])).stdout);
  // A lock timeout far beyond the test's: a job that comes back does so because it was put back.
  const worker = (options: { ownGroup?: boolean } = {}) => {
    const w = spawnWorker(dir.path, ['--lock-timeout', '900'], { ...env, MLDP_STORE: '' }, { data: false, ...options });
    started.push(w);
    return w;
  };
  const submit = (overrides: string[]) => {
    const s = spawnMldp(['run', '-m', `data.file_url=${http.url}`, '+download.idle_timeout=900', ...overrides], { cwd: ROOT, env });
    started.push(s);
    return s;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());
  beforeEach(async () => {
    http = await heldServer();
    dir = tempDir();
    env = { MLDP_STORE: join(dir.path, 'store'), MLDP_PROJECT: `s${Math.random().toString(36).slice(2, 8)}`, MLDP_QUEUE: redis.url };
    expect((await mldp(['store', 'init'])).code).toBe(0);
  });
  afterEach(async () => {
    http.release();
    await Promise.all(started.map((w) => w.stop()));
    started = [];
    await http.close();
    dir.remove();
  });

  it('lets the running job finish on a Ctrl-C to its process group, takes no new job, and exits 0', async () => {
    const w = worker({ ownGroup: true });
    await w.waitFor(/taking jobs/);
    const sweep = submit(['data.test_size=0.2,0.3']);
    await w.waitFor(/\[#0\] step 1\/4: download\n/);
    while (http.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-w.child.pid!, 'SIGINT');
    await w.waitFor(/^worker: SIGINT: finishing the 1 running job, taking no new ones; Ctrl-C again stops it now and puts it back in the queue$/m);
    http.release();
    expect(await w.exited()).toBe(0);
    expect(w.output()).toMatch(/^\[#0\] finished in [0-9.]+s \(pipeline \S+\)$/m);
    expect(w.output()).toMatch(/^worker: stopped; every job it took has ended$/m);
    expect(w.output()).not.toMatch(/\[#1\]/);
    // The second job waited for another worker.
    const next = worker();
    await next.waitFor(/\[#1\] sweep \S+ job #1 started on \S+\n/);
    expect(await sweep.exited()).toBe(0);
    expect(sweep.output()).toMatch(/: 2 finished, 0 failed, in/);
    const id = /^sweep (\S+):/m.exec(sweep.output())![1];
    const jobs = (await json(['sweeps', 'show', id])).jobs;
    expect(jobs.map((j: { status: string; attempts: number }) => [j.status, j.attempts])).toEqual([['finished', 1], ['finished', 1]]);
  }, 240_000);

  it('on a second SIGTERM stops the running job and puts it back in the queue at once, for another worker', async () => {
    const w = worker();
    await w.waitFor(/taking jobs/);
    const name = /^worker (\S+): taking jobs/m.exec(w.output())![1];
    const sweep = submit(['data.test_size=0.2']);
    await w.waitFor(/\[#0\] step 1\/4: download\n/);
    w.child.kill('SIGTERM');
    await w.waitFor(/^worker: SIGTERM: finishing the 1 running job, taking no new ones; SIGTERM again stops it now and puts it back in the queue$/m);
    w.child.kill('SIGTERM');
    expect(await w.exited()).toBe(143);
    expect(w.output()).toMatch(/^worker: SIGTERM: stopping the running jobs; they go back to the queue$/m);
    expect(w.output()).toMatch(/^\[#0\] stopped on \S+: back in the queue$/m);
    expect(w.output()).not.toMatch(/FAILED/);
    const id = /^sweep (\S+):/m.exec(sweep.output())![1];
    expect((await json(['sweeps', 'show', id])).jobs[0]).toMatchObject({ status: 'pending', attempts: 1, worker: name });

    http.release();
    const rescuer = worker();
    await rescuer.waitFor(new RegExp(`\\[#0\\] sweep \\S+ job #0 started on \\S+ \\(again, attempt 2: worker ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was stopped and put it back\\)`));
    expect(await sweep.exited()).toBe(0);
    expect(sweep.output()).toMatch(/^job #0\/1(: its worker \S+ was stopped and put it back; back in the queue| started on \S+ \(attempt 2, after a stopped worker\))$/m);
    expect(sweep.output()).toMatch(/: 1 finished, 0 failed, in/);
    expect((await json(['sweeps', 'show', id])).jobs[0]).toMatchObject({ status: 'finished', attempts: 2, failure: null });
    // The stopped attempt left a failed pipeline run (and its step's), nothing half-written.
    expect((await json(['store', 'verify'])).problems).toEqual([]);
  }, 240_000);
});
