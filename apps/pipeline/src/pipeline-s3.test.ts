import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endToEndSuite } from './test-support/e2e-suite.js';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');

endToEndSuite('s3');

describe.skipIf(missingRequirement({ for: 'mldp with an S3 store', s3: true }))('mldp with an S3 store', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());
  // A read cache of its own, so pruning it cannot touch files the other test files are using.
  const mldp = (env: Record<string, string>, ...args: string[]) => runNode(MLDP, args, { env: { MLDP_CACHE_DIR: join(dir.path, 'cache'), ...env }, cwd: ROOT, timeoutMs: 120_000 });

  it('says how to create a store that does not exist, in one line', async () => {
    const result = await mldp({}, 'run', '--store', 's3://mldp-e2e/not-initialised');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: no mldp store at s3://mldp-e2e/not-initialised; create it with "mldp store init s3://mldp-e2e/not-initialised", or check MLDP_STORE and AWS_ENDPOINT_URL\n');
    const refused = await mldp({ AWS_SECRET_ACCESS_KEY: 'wrong' }, 'artifacts', 'list', '--store', 's3://mldp-e2e/x');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: cannot read s3:\/\/mldp-e2e\/x\/mldp-store.json: S3 at http:\/\/127.0.0.1:\d+ refused the credentials \(HTTP 403\); check AWS_ACCESS_KEY_ID[^\n]*\n$/);
  });

  it('publishes a local store to S3 and brings it back, transferring nothing twice', async () => {
    const local = join(dir.path, 'local');
    const remote = `s3://mldp-e2e/copy-${randomBytes(4).toString('hex')}`;
    expect((await mldp({ MLDP_STORE: local }, 'run')).code).toBe(0);
    expect((await mldp({}, 'store', 'init', remote)).code).toBe(0);
    const up = await mldp({}, 'store', 'copy', local, remote);
    expect(up.stdout).toMatch(/-> s3:\/\/mldp-e2e\/copy-\w+: 6 versions copied, 0 already there, 5 runs, 7 files sent/);
    const again = await mldp({}, 'store', 'copy', local, remote);
    expect(again.stdout).toMatch(/0 versions copied, 6 already there, 0 runs, 0 files sent \(0 B\)/);
    const back = join(dir.path, 'back');
    const down = await mldp({}, 'store', 'copy', remote, back, 'data_train.csv:latest');
    expect(down.stdout).toMatch(/3 versions copied/);
    expect((await mldp({ MLDP_STORE: back }, 'artifacts', 'lineage', 'data_train.csv')).stdout).toMatch(/raw_data.parquet:v0 \[raw_data\] <- download run/);
    expect((await mldp({ MLDP_STORE: remote }, 'store', 'verify')).stdout).toMatch(/^ok: 6 versions, 7 files checked in s3:/m);
    const pruned = await mldp({}, 'cache', 'prune', '--max-size', '0');
    expect(pruned.stdout).toMatch(/: removed \d+ files \([^)]+\), kept 0 \(0 B, limit 0 B\)\n$/);
  }, 180_000);
});
