#!/usr/bin/env node
// `npm run bench:queue -- [--json]`: a 16-job sweep (data.test_size x data.val_size, 4x4, on the
// repo's data) through a Redis queue with 1, 2 and 4 local `mldp worker`s, each on a fresh store
// in a private Ceph cluster (S3), each worker in its own folder with its own read cache.
// It prints the wall time, the throughput, and the queue's overhead per job: the wall time the
// workers spent on anything but running jobs (submitting, waiting, picking up, recording),
// shared out per job: (wall x workers - sum of job times) / jobs.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCephS3 } from '../tools/testkit/dist/index.js';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, workers: { type: 'string', default: '1,2,4' } } });
const log = (line) => values.json || process.stderr.write(`${line}\n`);
const MLDP = join(root, 'apps/pipeline/bin/mldp.js');
const swept = ['data.test_size=0.2,0.25,0.3,0.35', 'data.val_size=0,0.05,0.1,0.15'];

const freePort = () => new Promise((ok, fail) => {
  const server = createServer();
  server.once('error', fail);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => ok(port));
  });
});

function run(args, env, cwd = root) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [MLDP, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', fail);
    child.once('close', (code) => (code === 0 ? ok(output) : fail(new Error(`mldp ${args.join(' ')} failed (exit ${code}):\n${output}`))));
  });
}

/** A worker in a folder of its own; resolves once it listens. */
function startWorker(base, env) {
  const home = mkdtempSync(join(base, 'worker-'));
  mkdirSync(join(home, 'data'));
  copyFileSync(join(root, 'data/genres_mod1.parquet'), join(home, 'data/genres_mod1.parquet'));
  const child = spawn(process.execPath, [MLDP, 'worker'], { cwd: home, env: { ...env, MLDP_STORE: '', MLDP_CACHE_DIR: join(home, 'cache') }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
      if (output.includes('taking jobs')) ok(child);
    });
    child.once('exit', (code) => fail(new Error(`a worker exited (${code}):\n${output}`)));
  });
}

const port = await freePort();
const redisDir = mkdtempSync(join(tmpdir(), 'mldp-bench-redis-'));
const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' });
log('bench:queue: starting Ceph (S3) ...');
const ceph = await startCephS3();
const results = [];
try {
  for (const count of values.workers.split(',').map(Number)) {
    const base = mkdtempSync(join(tmpdir(), 'mldp-bench-queue-'));
    const env = { ...process.env, ...ceph.env, CI: 'true', MLDP_STORE: `s3://mldp-bench/queue-${count}-${Date.now()}`, MLDP_PROJECT: `bench_queue_${count}`, MLDP_QUEUE: `redis://127.0.0.1:${port}`, MLDP_CACHE_DIR: join(base, 'cache') };
    await run(['store', 'init'], env);
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(base, env)));
    try {
      log(`bench:queue: 16 jobs on ${count} worker${count === 1 ? '' : 's'} ...`);
      const started = process.hrtime.bigint();
      const output = await run(['run', '-m', ...swept], env);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const id = /^sweep (\S+):/m.exec(output)[1];
      const sweep = JSON.parse(await run(['sweeps', 'show', id, '--json'], env));
      const busy = sweep.jobs.reduce((sum, job) => sum + job.seconds, 0);
      results.push({ workers: count, jobs: sweep.jobs.length, wall, jobsPerMinute: (sweep.jobs.length / wall) * 60, meanJobSeconds: busy / sweep.jobs.length, overheadPerJobSeconds: (wall * count - busy) / sweep.jobs.length });
    } finally {
      for (const worker of workers) worker.kill('SIGTERM');
      rmSync(base, { recursive: true, force: true });
    }
  }
} finally {
  await ceph.stop();
  redis.kill('SIGKILL');
  rmSync(redisDir, { recursive: true, force: true });
}
if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  process.stdout.write('16-job sweep through the queue, Ceph S3 store:\n  workers  wall (s)  jobs/min  mean job (s)  queue overhead/job (s)\n');
  for (const r of results) process.stdout.write(`  ${String(r.workers).padStart(7)}  ${r.wall.toFixed(1).padStart(8)}  ${r.jobsPerMinute.toFixed(1).padStart(8)}  ${r.meanJobSeconds.toFixed(2).padStart(12)}  ${r.overheadPerJobSeconds.toFixed(2).padStart(22)}\n`);
}
