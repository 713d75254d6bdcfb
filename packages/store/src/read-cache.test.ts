import { randomBytes } from 'node:crypto';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadCache, parseCacheSize } from './read-cache.js';
import { sha256File } from './hashing.js';
import { initStore, openStore } from './store.js';
import { startFaultProxy } from './test-support/fault-proxy.js';
import { missingRequirement, tempDir } from '@mldp/testkit';

describe('the local read cache of remote blobs', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  /** Adds a blob of `size` random bytes, last used `ageSeconds` ago. */
  const addBlob = async (cache: ReadCache, size: number, ageSeconds: number): Promise<string> => {
    const temp = await cache.scratch.tempPath();
    writeFileSync(temp, randomBytes(size));
    const { sha256 } = await sha256File(temp);
    const path = await cache.add(sha256, temp);
    const when = new Date(Date.now() - ageSeconds * 1000);
    utimesSync(path, when, when);
    return sha256;
  };

  it('keeps within its bound by removing the least recently used blobs first', async () => {
    const cache = new ReadCache({ dir: join(dir.path, 'cache'), maxBytes: 3000 });
    const oldest = await addBlob(cache, 1000, 600);
    const middle = await addBlob(cache, 1000, 500);
    const newest = await addBlob(cache, 1000, 400);
    expect(await cache.lookup(oldest)).toBeDefined(); // a use makes it the most recent
    const fourth = await addBlob(cache, 1000, 300);
    expect(existsSync(cache.pathOf(middle))).toBe(false);
    for (const kept of [oldest, newest, fourth]) expect(existsSync(cache.pathOf(kept))).toBe(true);
    expect((await cache.entries()).reduce((sum, e) => sum + e.size, 0)).toBeLessThanOrEqual(3000);
  });

  it('prunes to any size on request, and to nothing with 0', async () => {
    const cache = new ReadCache({ dir: join(dir.path, 'cache'), maxBytes: 1e9 });
    for (let i = 0; i < 4; i++) await addBlob(cache, 1000, 100 - i);
    expect(await cache.prune(2500, undefined, 0)).toMatchObject({ removed: 2, freedBytes: 2000, keptBytes: 2000, keptFiles: 2 });
    expect(await cache.prune(0, undefined, 0)).toMatchObject({ removed: 2, keptFiles: 0 });
  });

  it('reads sizes the way they are printed, and rejects nonsense', () => {
    expect(parseCacheSize('2GB', 'x')).toBe(2 * 1024 ** 3);
    expect(parseCacheSize('500 mb', 'x')).toBe(500 * 1024 ** 2);
    expect(parseCacheSize('1.5k', 'x')).toBe(1536);
    expect(parseCacheSize('123', 'x')).toBe(123);
    expect(parseCacheSize(undefined, 'x')).toBeUndefined();
    expect(() => parseCacheSize('lots', 'MLDP_CACHE_MAX_SIZE')).toThrow(/MLDP_CACHE_MAX_SIZE "lots" is not a size/);
    expect(() => new ReadCache({ env: { MLDP_CACHE_MAX_SIZE: '-1GB' } })).toThrow(/not a size/);
  });

  it.skipIf(missingRequirement({ for: 'the S3 read-cache test', s3: true }))('fetches a blob from S3 once, then serves it locally', async () => {
    const location = `s3://mldp-cache-test/t-${randomBytes(4).toString('hex')}`;
    await initStore({ location });
    const path = join(dir.path, 'data.bin');
    writeFileSync(path, randomBytes(100_000));
    const { version } = await (await openStore({ location })).logArtifact({ name: 'data.bin', type: 'raw_data', files: [{ path }] });
    const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!, () => 'pass');
    try {
      const env = { ...process.env, AWS_ENDPOINT_URL: proxy.endpoint, MLDP_CACHE_DIR: join(dir.path, 'cache') };
      for (let i = 0; i < 3; i++) {
        const store = await openStore({ location, env });
        const files = await store.artifacts.materialize(version, dir.path);
        expect((await sha256File(files['data.bin'])).sha256).toBe(version.files[0].sha256);
      }
      expect(proxy.log.filter((line) => line.startsWith('GET') && line.includes('/blobs/'))).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
