// Distributed runs on the Ceph S3 store of the global setup: workers that share nothing but the
// bucket, each with its own read cache and working folder.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLDP, REDIS_SERVER, type WorkerProcess, spawnWorker, startRedis } from './test-support/redis.js';

const ROOT = join(import.meta.dirname, '../../..');

describe.skipIf(missingRequirement({ for: 'the queue on an S3 store', s3: true, programs: [REDIS_SERVER] }))('mldp worker with an S3 store', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const dir = tempDir();
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
    dir.remove();
  });

  it('runs a sweep on two workers against s3://, upstream steps once, with no duplicate versions', async () => {
    const env = { MLDP_STORE: `s3://mldp-e2e/queue-${randomBytes(4).toString('hex')}`, MLDP_PROJECT: 'queue_s3', MLDP_QUEUE: redis.url, MLDP_CACHE_DIR: join(dir.path, 'submitter-cache') };
    const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 180_000 });
    expect((await mldp('store', 'init')).code).toBe(0);
    // The job names the store; each worker reaches it with its own credentials (here the same AWS_* of the setup).
    for (let i = 0; i < 2; i++) workers.push(spawnWorker(dir.path, ['--lock-timeout', '3'], { MLDP_PROJECT: 'queue_s3', MLDP_QUEUE: redis.url, MLDP_STORE: '' }));
    await Promise.all(workers.map((w) => w.waitFor(/taking jobs/)));
    const sweep = await mldp('run', '-m', 'data.test_size=0.2,0.3', 'data.val_size=0,0.1');
    expect(sweep.stderr).toBe('');
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toMatch(/: 4 finished, 0 failed, in/);
    const runs = JSON.parse((await mldp('runs', 'list', '--limit', '100', '--json')).stdout) as Array<{ step: string; status: string }>;
    const finished = (step: string) => runs.filter((r) => r.step === step && r.status === 'finished').length;
    expect([finished('download'), finished('preprocess'), finished('check_data'), finished('segregate'), finished('pipeline')]).toEqual([1, 1, 1, 4, 4]);
    const artifacts = JSON.parse((await mldp('artifacts', 'list', '--json')).stdout) as Array<{ name: string; versions: string[] }>;
    expect(Object.fromEntries(artifacts.map((a) => [a.name, a.versions.length]))).toMatchObject({ 'raw_data.parquet': 1, 'preprocessed_data.csv': 1, 'data_train.csv': 4 });
    const verify = await mldp('store', 'verify');
    expect(verify.stdout).toMatch(/^ok: /m);
  }, 240_000);
});
