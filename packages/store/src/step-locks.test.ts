import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FsDriver } from './fs-driver.js';
import { Store, initStore, openStore } from './store.js';
import { tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Both drivers: a folder, and S3 on the Ceph cluster of tests/global-setup.ts (when it runs). */
const DRIVERS = {
  fs: async (dir: string) => {
    const driver = new FsDriver(join(dir, 'store'));
    await driver.init();
    return new Store(driver, 'p');
  },
  s3: async () => {
    const location = `s3://mldp-e2e/lock-${randomBytes(6).toString('hex')}`;
    await initStore({ location });
    return openStore({ location, project: 'p' });
  },
};

describe.each(Object.keys(DRIVERS) as (keyof typeof DRIVERS)[])('the single-flight lock on a step key, in a %s store', (driver) => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;

  beforeEach(async (context) => {
    if (driver === 's3' && !process.env.MLDP_TEST_CEPH_ENDPOINT) context.skip();
    dir = tempDir();
    store = await DRIVERS[driver](dir.path);
  });
  afterEach(() => dir?.remove());

  it('has one holder at a time, across many takers at once', async () => {
    const takers = await Promise.all(Array.from({ length: 8 }, (_, i) => store.stepLocks.tryAcquire('download', 'k1', `run${i}`)));
    expect(takers.filter(Boolean)).toHaveLength(1);
    expect(await store.stepLocks.tryAcquire('download', 'k2', 'other'), 'another key is another lock').toBeDefined();
    await takers.find(Boolean)!.release();
    const next = await store.stepLocks.tryAcquire('download', 'k1', 'next');
    expect(next).toBeDefined();
    await next!.release();
  });

  it('lets waiters go once the holder releases it', async () => {
    const held = (await store.stepLocks.tryAcquire('segregate', 'k', 'a'))!;
    let done = false;
    const waiting = store.stepLocks.waitFor('segregate', 'k', { pollMs: 20 }).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(done).toBe(false);
    await held.release();
    await waiting;
    expect(done).toBe(true);
  });

  it('is taken over when its holder died, or stopped refreshing it', async () => {
    // A lock left by a process of this machine that is gone.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await store.driver.createDoc('locks/steps/preprocess/k.json', JSON.stringify({ token: 't', host: hostname(), pid: Number(dead), holder: 'x', refreshedAt: Date.now() }));
    const taken = await store.stepLocks.tryAcquire('preprocess', 'k', 'me');
    expect(taken).toBeDefined();
    await taken!.release();
    // A lock of another machine, not refreshed for longer than staleMs.
    await store.driver.createDoc('locks/steps/preprocess/k2.json', JSON.stringify({ token: 't', host: 'elsewhere', pid: 1, holder: 'x', refreshedAt: Date.now() - 60_000 }));
    expect(await store.stepLocks.tryAcquire('preprocess', 'k2', 'me', { staleMs: 120_000 })).toBeUndefined();
    const stale = await Promise.all([store.stepLocks.tryAcquire('preprocess', 'k2', 'a', { staleMs: 30_000 }), store.stepLocks.tryAcquire('preprocess', 'k2', 'b', { staleMs: 30_000 })]);
    expect(stale.filter(Boolean)).toHaveLength(1);
  });

  it('stays held while its holder refreshes it', async () => {
    const held = (await store.stepLocks.tryAcquire('check_data', 'k', 'a', { refreshMs: 50, staleMs: 300 }))!;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await store.stepLocks.tryAcquire('check_data', 'k', 'b', { staleMs: 300 })).toBeUndefined();
    await held.release();
  });
});
