import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST, processStartOf } from '@mldp/runtime';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeAliasPointer, serializeManifest } from './manifest.js';
import { type Store, openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';
import { runNode, tempDir } from '@mldp/testkit';
import { repairStore } from './repair.js';
import { verifyStore } from './verify.js';

const LOGGER = join(import.meta.dirname, 'test-support/log-artifact.mjs');

/** A lock record as mldp writes it, for a holder of our choosing. */
function lockOf(owner: { host: string; pid: number; start?: string }, acquiredAt = new Date()): string {
  return `${JSON.stringify({ owner, acquiredAt: acquiredAt.toISOString(), purpose: 'test' })}\n`;
}

describe.each(BACKENDS)('one commit per version on the $name driver', (backend) => {
  let dir: ReturnType<typeof tempDir>;
  let location: string;
  let store: Store;
  let holder: ChildProcess | undefined;
  /** The project the writers' openStore resolves to (as the test's own does: the same rule, cwd and env). */
  let project: string;
  const artifactLock = () => `locks/artifacts/${project}/x.bin.lock`;
  beforeEach(async () => {
    dir = tempDir();
    location = await backend.fresh();
    store = await openStore({ location });
    project = store.project;
  });
  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = undefined;
    dir.remove();
  });
  afterAll(() => backend.cleanup());

  /** A file with this content; the name is part of a version's digest, so `again` makes another file of the same name. */
  const file = (name: string, text: string, again = false): string => {
    const folder = join(dir.path, again ? 'again' : '.');
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  const log = (path: string, env: NodeJS.ProcessEnv = {}) => runNode(LOGGER, [location, 'x.bin', path], { env: { MLDP_LOCK_TIMEOUT: '', ...env } });
  /** A live process on this host, to hold a lock. */
  const liveHolder = async () => {
    holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    await new Promise((resolve) => holder!.once('spawn', resolve));
    return { host: HOST, pid: holder.pid!, start: processStartOf(holder.pid!) };
  };

  it('five identical logs at once make one version: dedup holds under concurrency', async () => {
    const path = file('same.bin', 'the same bytes');
    const results = await Promise.all(Array.from({ length: 5 }, () => log(path)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(results.map((r) => r.stdout.trim().split('\n').pop())).toEqual(['v0', 'v0', 'v0', 'v0', 'v0']);
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0']);
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('waits a bounded time for a lock of a live process, then names it, and writes nothing', async () => {
    await store.logArtifact({ name: 'x.bin', type: 'raw_data', files: [{ path: file('a.bin', 'a') }] });
    const owner = await liveHolder();
    await store.driver.putDoc(artifactLock(), lockOf(owner));
    const started = Date.now();
    const result = await log(file('b.bin', 'b'), { MLDP_LOCK_TIMEOUT: '1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: the artifact ${project}/x.bin is locked by pid ${owner.pid} on ${HOST} \\(test\\) since .*; waited 1s; .*MLDP_LOCK_TIMEOUT.*\n$`));
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0']);
    expect((await store.artifacts.resolve('x.bin:latest')).version).toBe('v0');
  });

  it.each([
    ['of a process that is gone', async () => lockOf({ host: HOST, pid: 2 ** 22 + 12345 })],
    ['whose pid now belongs to another process', async () => lockOf({ host: HOST, pid: process.pid, start: 'another-boot:1' })],
    ['of another host, 5 minutes old', async () => lockOf({ host: 'elsewhere.example', pid: 1 }, new Date(Date.now() - 300_000))],
    ['that is garbage', async () => '\u0000\u0001 not a lock {'],
    ['in the pid@host form of earlier versions, of a dead process', async () => `${2 ** 22 + 12345}@${HOST}`],
  ])('takes over a lock %s at once', async (_case, text) => {
    await store.driver.putDoc(artifactLock(), await text());
    const started = Date.now();
    const result = await log(file('a.bin', 'a'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0']);
    expect(await store.driver.readDoc(artifactLock())).toBeUndefined();
  });

  it('waits for a fresh lock of another host (it may be alive)', async () => {
    await store.driver.putDoc(artifactLock(), lockOf({ host: 'elsewhere.example', pid: 1 }));
    const result = await log(file('a.bin', 'a'), { MLDP_LOCK_TIMEOUT: '0.5' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is locked by pid 1 on elsewhere.example/);
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual([]);
  });

  // Only the file-system driver locks a document to swap it; on S3 the swap is a conditional put.
  it.runIf(backend.name === 'fs')('rolls the version back when latest cannot move, so a rerun makes v1, not v2', async () => {
    await store.logArtifact({ name: 'x.bin', type: 'raw_data', files: [{ path: file('a.bin', 'a') }] });
    const owner = await liveHolder();
    const aliasLock = join(location, `artifacts/${project}/x.bin/aliases/latest.json.lock`);
    writeFileSync(aliasLock, lockOf(owner));
    const failed = await log(file('b.bin', 'b'), { MLDP_LOCK_TIMEOUT: '0.5' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^error: the alias ${project}/x.bin:latest is locked by pid \\d+ on .*\n$`));
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0']);
    expect(await store.driver.listDocs(`artifacts/${project}/x.bin/pending/`)).toEqual([]);
    expect(await verifyStore(store)).toMatchObject({ ok: true, problems: [] });
    holder!.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('exit', resolve));
    expect((await log(file('b.bin', 'b'))).stdout).toMatch(/^v1$/m);
    expect((await log(file('b.bin', 'b', true))).stdout).toMatch(/^v1$/m);
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0', 'v1']);
  });

  it('hides a version whose writer died before latest moved; verify reports it, repair removes it, no duplicate follows', async () => {
    const first = await store.logArtifact({ name: 'x.bin', type: 'raw_data', files: [{ path: file('a.bin', 'a') }] });
    // What a writer killed between its pending manifest and moving latest leaves: the manifest and its lock.
    await deadWriterLeft(store, { ...first.version, version: 'v1', digest: 'f'.repeat(64) }, { latestMoved: false });
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0']);
    await expect(store.artifacts.resolve('x.bin:v1')).rejects.toThrow(/does not exist/);
    expect((await store.artifacts.resolve('x.bin:latest')).version).toBe('v0');
    const report = await verifyStore(store);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'orphaned-version', what: `${project}/x.bin:v1`, repairable: true })]);
    expect(report.notes).toEqual([expect.objectContaining({ kind: 'stale-lock', what: artifactLock() })]);
    const repaired = await repairStore(store);
    // Repair takes the stale lock over to settle the artifact, and releases it.
    expect(repaired.actions).toEqual([expect.objectContaining({ kind: 'removed-orphan', what: `${project}/x.bin:v1` })]);
    expect(repaired.after).toMatchObject({ ok: true, problems: [], notes: [] });
    // The same content as latest again: no new version.
    expect((await log(file('a.bin', 'a', true))).stdout).toMatch(/^v0$/m);
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0']);
  });

  it('shows a version whose writer died after latest moved, and the next writer completes it', async () => {
    const first = await store.logArtifact({ name: 'x.bin', type: 'raw_data', files: [{ path: file('a.bin', 'a') }] });
    const b = await store.logArtifact({ name: 'y.bin', type: 'raw_data', files: [{ path: file('b.bin', 'b') }] });
    await deadWriterLeft(store, { ...first.version, version: 'v1', files: b.version.files, digest: b.version.digest }, { latestMoved: true });
    expect(await store.artifacts.versionLabels(project, 'x.bin')).toEqual(['v0', 'v1']);
    expect((await store.artifacts.resolve('x.bin:latest')).version).toBe('v1');
    const report = await verifyStore(store);
    expect(report.ok).toBe(true);
    expect(report.notes.map((n) => n.kind).sort()).toEqual(['stale-lock', 'unfinished-commit']);
    // Logging b's content again is a duplicate of latest (v1): nothing new, and v1 is put in place.
    expect((await log(file('b.bin', 'b', true))).stdout).toMatch(/^v1$/m);
    expect(await store.driver.readDoc(`artifacts/${project}/x.bin/pending/v1.json`)).toBeUndefined();
    expect(await store.driver.readDoc(`artifacts/${project}/x.bin/versions/v1.json`)).toBeDefined();
    expect(await verifyStore(store)).toMatchObject({ ok: true, notes: [] });
  });
});

/** Writes the pending manifest (and, if `latestMoved`, the moved alias) and a lock of a dead process. */
async function deadWriterLeft(store: Store, manifest: Parameters<typeof serializeManifest>[0] & { aliases?: string[] }, options: { latestMoved: boolean }): Promise<void> {
  const { aliases: _aliases, ...plain } = manifest;
  const base = `artifacts/${plain.project}/${plain.name}`;
  await store.driver.putDoc(`${base}/pending/${plain.version}.json`, serializeManifest(plain));
  if (options.latestMoved) await store.driver.putDoc(`${base}/aliases/latest.json`, serializeAliasPointer(plain.version));
  await store.driver.putDoc(`locks/${base}.lock`, lockOf({ host: HOST, pid: 2 ** 22 + 4321 }));
}
