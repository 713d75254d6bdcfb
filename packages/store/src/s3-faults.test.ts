import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { sha256File } from './hashing.js';
import { initStore, openStore } from './store.js';
import { type FaultProxy, type Fault, startFaultProxy } from './test-support/fault-proxy.js';
import { type CephS3, missingRequirement, runNode, startCephS3, tempDir } from '@mldp/testkit';
import { verifyStore } from './verify.js';

const LOGGER = join(import.meta.dirname, 'test-support/log-artifact.mjs');
const fresh = () => `s3://mldp-faults/t-${randomBytes(6).toString('hex')}`;

const S3_MISSING = missingRequirement({ for: 'the S3 fault tests', s3: true });

describe.skipIf(S3_MISSING)('the S3 driver when things go wrong', () => {
  let dir: ReturnType<typeof tempDir>;
  let proxy: FaultProxy | undefined;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    dir.remove();
  });

  const file = (name: string, bytes: number | string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, typeof bytes === 'string' ? bytes : randomBytes(bytes));
    return path;
  };
  /** A store opened through the fault proxy; `location` must have been initialised directly. */
  const throughProxy = async (location: string, decide: (method: string, url: string, index: number) => Fault, extra: NodeJS.ProcessEnv = {}) => {
    proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!, (req, index) => decide(req.method!, req.url!, index));
    return openStore({ location, env: { ...process.env, AWS_ENDPOINT_URL: proxy.endpoint, ...extra } });
  };

  it('retries 503 SlowDown a bounded number of times and then succeeds', async () => {
    const location = fresh();
    await initStore({ location });
    let throttled = 0;
    const store = await throughProxy(location, () => (throttled++ < 3 ? 'slowdown' : 'pass'));
    const { version } = await store.logArtifact({ name: 'a.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n1\n') }] });
    expect(version.version).toBe('v0');
    expect(proxy!.log.filter((line) => line.endsWith('slowdown'))).toHaveLength(3);
  });

  it('gives up on endless throttling with a clear error, and makes no version visible', async () => {
    const location = fresh();
    await initStore({ location });
    const store = await throughProxy(location, (method) => (method === 'PUT' ? 'slowdown' : 'pass'), { MLDP_S3_MAX_ATTEMPTS: '3' });
    const error = await store.logArtifact({ name: 'a.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n1\n') }] }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.toLine()).toMatch(/throttling requests \(SlowDown after 3 attempts\); try again later/);
    const reopened = await openStore({ location });
    expect(await reopened.artifacts.versionLabels(reopened.project, 'a.csv')).toEqual([]);
  });

  it('fetches a blob again when the connection drops in the middle of a download', async () => {
    const location = fresh();
    const direct = await openStore({ location: (await initStore({ location })).location });
    const { version } = await direct.logArtifact({ name: 'big.bin', type: 'raw_data', files: [{ path: file('big.bin', 3 * 1024 * 1024) }] });
    let cut = 0;
    const store = await throughProxy(location, (method, url) => (method === 'GET' && url.includes('/blobs/') && cut++ === 0 ? 'cut-response' : 'pass'), {
      MLDP_CACHE_DIR: join(dir.path, 'cache'),
    });
    const paths = await store.artifacts.materialize(version, dir.path);
    expect((await sha256File(paths['big.bin'])).sha256).toBe(version.files[0].sha256);
    expect(proxy!.log.filter((line) => line.includes('/blobs/') && line.startsWith('GET'))).toHaveLength(2);
  });

  it('resends a multipart part whose upload connection was cut, and stores the file intact', async () => {
    const location = fresh();
    await initStore({ location });
    let cut = 0;
    const store = await throughProxy(location, (method, url) => (method === 'PUT' && url.includes('partNumber=2') && cut++ === 0 ? 'cut-request' : 'pass'));
    const path = file('big.bin', 20 * 1024 * 1024);
    const { version } = await store.logArtifact({ name: 'big.bin', type: 'raw_data', files: [{ path }] });
    expect(proxy!.log.filter((line) => line.includes('partNumber=2'))).toHaveLength(2);
    const fetched = await (await openStore({ location, env: { ...process.env, MLDP_CACHE_DIR: join(dir.path, 'cache') } })).artifacts.materialize(version, dir.path);
    expect((await sha256File(fetched['big.bin'])).sha256).toBe((await sha256File(path)).sha256);
  });

  it('names the credentials when they are wrong', async () => {
    const location = fresh();
    await initStore({ location });
    const error = await openStore({ location, env: { ...process.env, AWS_SECRET_ACCESS_KEY: 'wrong' } }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.toLine()).toMatch(/refused the credentials \(HTTP 403\); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY/);
    const store = await openStore({ location });
    const bad = await openStore({ location, env: { ...process.env, AWS_ACCESS_KEY_ID: 'nobody' } }).catch((e) => e);
    expect(bad.toLine()).toMatch(/refused the credentials/);
    // The right keys still work.
    expect((await store.driver.readDoc('mldp-store.json'))?.text).toContain('mldp-store');
  });

  it('says a bucket is missing, and that a location is not a store yet', async () => {
    const missingBucket = await openStore({ location: 's3://no-such-bucket-here/x' }).catch((e) => e);
    expect(missingBucket.toLine()).toMatch(/^the bucket no-such-bucket-here does not exist at http:\/\/127\.0\.0\.1:\d+; create it with "mldp store init s3:\/\/no-such-bucket-here\/x"/);
    await initStore({ location: fresh() });
    const empty = await openStore({ location: 's3://mldp-faults/never-initialised' }).catch((e) => e);
    expect(empty.toLine()).toMatch(/^no mldp store at s3:\/\/mldp-faults\/never-initialised; create it with "mldp store init/);
  });

  it('names an unreachable endpoint after bounded retries', async () => {
    const started = Date.now();
    const error = await openStore({ location: fresh(), env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', MLDP_S3_MAX_ATTEMPTS: '2' } }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.toLine()).toMatch(/the connection to http:\/\/127\.0\.0\.1:9 failed \(ECONNREFUSED.*check AWS_ENDPOINT_URL/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('rejects a malformed location and settings with usage errors', async () => {
    await expect(openStore({ location: 's3://' })).rejects.toThrow(/not a valid S3 location/);
    await expect(openStore({ location: 's3://Bad_Bucket/x' })).rejects.toThrow(/not a valid S3 location/);
    await expect(openStore({ location: fresh(), env: { ...process.env, MLDP_S3_MAX_ATTEMPTS: 'lots' } })).rejects.toThrow(/MLDP_S3_MAX_ATTEMPTS/);
    await expect(openStore({ location: fresh(), env: { ...process.env, AWS_ENDPOINT_URL: 'ftp://x' } })).rejects.toThrow(/AWS_ENDPOINT_URL "ftp:\/\/x" is not an http/);
  });
});

describe.skipIf(S3_MISSING)('the S3 driver when radosgw stops during an upload', () => {
  // A cluster of its own: stopping the shared gateway would break the test files running beside this one.
  let cluster: CephS3;
  let dir: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    cluster = await startCephS3({ memoryBytes: 1024 ** 3 });
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('fails with a clear error, leaves no visible version, and the next write succeeds', async () => {
    const env = { ...process.env, ...cluster.env, MLDP_S3_MAX_ATTEMPTS: '2', MLDP_CACHE_DIR: join(dir.path, 'cache') };
    const location = 's3://gateway-test/store';
    await initStore({ location, env });
    const big = join(dir.path, 'big.bin');
    writeFileSync(big, randomBytes(96 * 1024 * 1024));
    const writer = runNode(LOGGER, [location, 'big.bin', big], { env });
    // Wait for the multipart upload to start, then take the gateway away.
    const store = await openStore({ location, env });
    for (let i = 0; i < 500 && !(await writerStarted(cluster, location)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await cluster.stopGateway();
    const result = await writer;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: cannot upload .*big\.bin to s3:\/\/gateway-test\/store\/blobs\/sha256\/.*: the connection to http:\/\/127\.0\.0\.1:\d+ failed .*nothing partial was made visible/);
    await cluster.startGateway();
    expect(await store.artifacts.versionLabels(store.project, 'big.bin')).toEqual([]);
    const next = await runNode(LOGGER, [location, 'big.bin', big], { env });
    expect(next.stdout.trim().split('\n').pop()).toBe('v0');
    const report = await verifyStore(store);
    expect(report.problems).toEqual([]);
  }, 120_000);
});

/** True once the writer has begun a multipart upload in the bucket. */
async function writerStarted(cluster: CephS3, location: string): Promise<boolean> {
  const { ListMultipartUploadsCommand, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: cluster.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: cluster.env.AWS_ACCESS_KEY_ID, secretAccessKey: cluster.env.AWS_SECRET_ACCESS_KEY },
  });
  const bucket = location.slice(5).split('/')[0];
  const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  client.destroy();
  return (page.Uploads?.length ?? 0) > 0;
}
