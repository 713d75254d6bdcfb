#!/usr/bin/env node
// Throughput of the S3 store on loopback: upload and download of one large artifact, logging it
// again unchanged (dedup), and reading it again from the local cache. Prints figures; not a test.
//
//   npm run bench:s3 -- [--mb 100] [--json]
// Uses AWS_ENDPOINT_URL and the AWS_* keys when set, else starts a private Ceph cluster
// (scripts/s3/start-ceph.sh: needs root and scripts/install-test-deps.sh).
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initStore, openStore } from '../packages/store/dist/index.js';
import { startCephS3 } from '../tools/testkit/dist/index.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '100' }, json: { type: 'boolean', default: false } } });
const megabytes = Number(values.mb);
const work = mkdtempSync(join(tmpdir(), 'mldp-bench-s3-'));
process.env.MLDP_CACHE_DIR = join(work, 'cache');
const cluster = process.env.AWS_ENDPOINT_URL ? undefined : await startCephS3({ memoryBytes: Math.max(1, Math.ceil((megabytes * 3) / 1024)) * 1024 ** 3 });
if (cluster) Object.assign(process.env, cluster.env);

try {
  const file = join(work, 'artifact.bin');
  const fd = openSync(file, 'w');
  for (let i = 0; i < megabytes; i++) writeSync(fd, randomBytes(1024 * 1024));
  closeSync(fd);
  const location = `s3://mldp-bench/run-${Date.now()}`;
  await initStore({ location });
  const store = await openStore({ location });
  const time = async (body) => {
    const started = process.hrtime.bigint();
    const result = await body();
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
  };
  const upload = await time(() => store.logArtifact({ name: 'big.bin', type: 'raw_data', files: [{ path: file }] }));
  const dedup = await time(() => store.logArtifact({ name: 'big.bin', type: 'raw_data', files: [{ path: file }] }));
  if (dedup.result.created) throw new Error('the unchanged artifact made a new version');
  const download = await time(() => store.artifacts.materialize(upload.result.version, work));
  const cached = await time(() => store.artifacts.materialize(upload.result.version, work));
  const figures = {
    endpoint: process.env.AWS_ENDPOINT_URL,
    megabytes,
    uploadSeconds: upload.seconds,
    uploadMBps: megabytes / upload.seconds,
    relogUnchangedSeconds: dedup.seconds,
    downloadSeconds: download.seconds,
    downloadMBps: megabytes / download.seconds,
    cachedReadSeconds: cached.seconds,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else {
    const f = (n) => n.toFixed(2);
    process.stdout.write(
      `S3 store at ${figures.endpoint}, one ${megabytes} MB artifact:\n` +
        `  upload (hash, HEAD, multipart)        ${f(upload.seconds)} s  ${f(figures.uploadMBps)} MB/s\n` +
        `  log again unchanged (hash, HEAD)      ${f(dedup.seconds)} s  (no upload, no new version)\n` +
        `  download into the cache (verified)    ${f(download.seconds)} s  ${f(figures.downloadMBps)} MB/s\n` +
        `  read again from the cache (verified)  ${f(cached.seconds)} s\n`,
    );
  }
} finally {
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
}
