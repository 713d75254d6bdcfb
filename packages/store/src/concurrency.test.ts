import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '@mldp/runtime';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';
import { runNode, tempDir } from '@mldp/testkit';
import { verifyStore } from './verify.js';

const LOGGER = join(import.meta.dirname, 'test-support/log-artifact.mjs');

describe.each(BACKENDS)('concurrent writers and crashes on the $name driver', (backend) => {
  let dir: ReturnType<typeof tempDir>;
  let storePath: string;
  beforeEach(async () => {
    dir = tempDir();
    storePath = await backend.fresh();
  });
  afterEach(() => dir.remove());
  afterAll(() => backend.cleanup());

  const files = (count: number, size = 64): string[] =>
    Array.from({ length: count }, (_, i) => {
      const path = join(dir.path, `f${i}.bin`);
      writeFileSync(path, `${i}:`.padEnd(size, String.fromCharCode(97 + (i % 26))));
      return path;
    });

  it('16 processes logging one name at once leave 16 distinct versions, none lost', async () => {
    await openStore({ location: storePath });
    const results = await Promise.all(files(16).map((path) => runNode(LOGGER, [storePath, 'shared.bin', path])));
    expect(results.map((r) => r.code)).toEqual(Array(16).fill(0));
    const versions = results.map((r) => r.stdout.trim().split('\n').pop()).sort();
    expect(new Set(versions).size).toBe(16);
    const store = await openStore({ location: storePath });
    const labels = await store.artifacts.versionLabels(store.project, 'shared.bin');
    expect(labels).toEqual(Array.from({ length: 16 }, (_, i) => `v${i}`));
    const hashes = new Set(await Promise.all(labels.map(async (l) => (await store.artifacts.resolve(`shared.bin:${l}`)).files[0].sha256)));
    expect(hashes.size).toBe(16);
    expect((await store.artifacts.resolve('shared.bin:latest')).version).toBe('v15');
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('two processes moving one alias leave it on one of their versions', async () => {
    const store = await openStore({ location: storePath });
    const [a, b] = files(2);
    await store.logArtifact({ name: 'x.bin', type: 't', files: [{ path: a }] });
    await store.logArtifact({ name: 'x.bin', type: 't', files: [{ path: b }] });
    for (let round = 0; round < 5; round++) {
      const script = `import { openStore } from '${join(import.meta.dirname, '../dist/index.js')}';
        const s = await openStore({ location: process.argv[1] });
        for (let i = 0; i < 20; i++) await s.artifacts.setAlias('x.bin:' + process.argv[2], 'best');`;
      const run = (version: string) =>
        new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', script, storePath, version]).once('exit', resolve));
      expect(await Promise.all([run('v0'), run('v1')])).toEqual([0, 0]);
      expect(['v0', 'v1']).toContain((await store.artifacts.resolve('x.bin:best')).version);
    }
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('a writer killed with SIGKILL at random points never leaves a visible partial version', async () => {
    const big = join(dir.path, 'big.bin');
    // Big enough that the S3 driver sends it as a multipart upload of three parts.
    writeFileSync(big, Buffer.alloc((backend.name === 's3' ? 24 : 32) * 1024 * 1024, 7));
    const store = await openStore({ location: storePath });
    let interruptedWrites = 0;
    const checked = new Set<string>();
    for (let attempt = 0; attempt < (backend.name === 's3' ? 20 : 50); attempt++) {
      // Each attempt writes different bytes, so no attempt is deduplicated against another.
      writeFileSync(big, String(attempt).padStart(8, '0'), { flag: 'r+' });
      const child = spawn(process.execPath, [LOGGER, storePath, 'killed.bin', big], { stdio: ['ignore', 'pipe', 'ignore'] });
      let running = true;
      const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => (running = false));
      // Kill at a pseudo-random point after the writer says it starts writing (hash, copy or
      // upload, rename, manifest, alias); every third attempt waits until the copy or upload is
      // under way, so that some kills surely land in its middle however slow the machine is.
      await new Promise((resolve) => child.stdout.once('data', resolve));
      if (attempt % 3 === 2) for (let i = 0; i < 500 && running && (await backend.interruptedWrites(store)) === 0; i++) await sleep(5);
      await sleep((attempt * 37) % (attempt % 3 === 2 ? 40 : 200));
      child.kill('SIGKILL');
      await exited;
      if ((await backend.interruptedWrites(store)) > 0) interruptedWrites++;
      for (const label of await store.artifacts.versionLabels(store.project, 'killed.bin')) {
        if (checked.has(label)) continue;
        checked.add(label);
        const version = await store.artifacts.resolve(`killed.bin:${label}`);
        await expect(store.artifacts.materialize(version, dir.path)).resolves.toBeDefined();
      }
    }
    // The kills did land in the middle of writes (temp files or unfinished uploads were left behind).
    expect(interruptedWrites).toBeGreaterThan(0);
    // The next write succeeds, stale temp files are swept, and the store verifies clean.
    const after = await runNode(LOGGER, [storePath, 'killed.bin', files(2)[1]]);
    expect(after.code).toBe(0);
    const report = await verifyStore(await openStore({ location: storePath }));
    expect(report.problems).toEqual([]);
    expect(backend.scratchEntries(store)).toEqual([]);
  }, 180_000);

  // Only the file-system driver has lock files; the S3 driver relies on conditional puts.
  it.runIf(backend.name === 'fs')('takes over a lock left by a killed process instead of waiting for it', async () => {
    const store = await openStore({ location: storePath });
    await store.logArtifact({ name: 'x.bin', type: 't', files: [{ path: files(1)[0] }] });
    const lock = join(storePath, `artifacts/${store.project}/x.bin/aliases/best.json.lock`);
    writeFileSync(lock, `999999@${(await import('node:os')).hostname()}`);
    const started = Date.now();
    await store.artifacts.setAlias('x.bin:v0', 'best');
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await store.artifacts.resolve('x.bin:best')).version).toBe('v0');
  });
});
