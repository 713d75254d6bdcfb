import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactNotFoundError, ChecksumMismatchError, CorruptFileError, StoreError } from './errors.js';
import { sha256File } from './hashing.js';
import { type Store, openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';
import { tempDir } from '@mldp/testkit';
import { verifyStore } from './verify.js';

const DATA = join(import.meta.dirname, '../../../data/genres_mod1.parquet');

describe.each(BACKENDS)('artifacts on the $name driver', (backend) => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: await backend.fresh(), project: 'proj' });
  });
  afterEach(() => dir.remove());
  afterAll(() => backend.cleanup());

  it('logs append-only versions v0, v1 and moves latest to the newest', async () => {
    const first = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n1\n') }] });
    const second = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n2\n') }] });
    expect([first.version.version, second.version.version]).toEqual(['v0', 'v1']);
    expect((await store.artifacts.resolve('raw.csv:latest')).version).toBe('v1');
    expect((await store.artifacts.resolve('raw.csv:v0')).files[0].sha256).toBe(first.version.files[0].sha256);
    expect((await store.artifacts.resolve('proj/raw.csv:latest')).version).toBe('v1');
    expect(await store.artifacts.versionLabels('proj', 'raw.csv')).toEqual(['v0', 'v1']);
  });

  it('records each file with its sha256 and size, and a digest over the files', async () => {
    const { version } = await store.logArtifact({ name: 'raw.parquet', type: 'raw_data', files: [{ path: DATA }] });
    const expected = await sha256File(DATA);
    expect(version.files).toEqual([{ path: 'genres_mod1.parquet', size: expected.size, sha256: expected.sha256 }]);
    expect(version.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(version.aliases).toEqual(['latest']);
  });

  it('creates no new version for content identical to the latest', async () => {
    const path = file('a.csv', 'x\n1\n');
    const first = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path }] });
    const again = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path }] });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.version.version).toBe('v0');
    expect(await store.artifacts.versionLabels('proj', 'raw.csv')).toEqual(['v0']);
  });

  it('moves user aliases, and lists what exists when a reference is missing', async () => {
    await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '1') }] });
    await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '2') }] });
    await store.artifacts.setAlias('raw.csv:v0', 'reference');
    expect((await store.artifacts.resolve('raw.csv:reference')).version).toBe('v0');
    expect((await store.artifacts.resolve('raw.csv:v0')).aliases).toEqual(['reference']);
    const error = await store.artifacts.resolve('raw.csv:v7').catch((e) => e);
    expect(error).toBeInstanceOf(ArtifactNotFoundError);
    expect(error.toLine()).toContain('raw.csv:v0, raw.csv:v1, raw.csv:latest, raw.csv:reference');
    await expect(store.artifacts.resolve('nothing:latest')).rejects.toThrow(/does not exist/);
  });

  it('never changes a written version', async () => {
    await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '1') }] });
    const manifest = 'artifacts/proj/raw.csv/versions/v0.json';
    const before = (await store.driver.readDoc(manifest))!.text;
    await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '2') }] });
    expect((await store.driver.readDoc(manifest))!.text).toBe(before);
    expect(await store.driver.createDoc('artifacts/proj/raw.csv/versions/v0.json', '{}')).toBe(false);
  });

  it('refuses a file changed on disk after it was logged, naming both hashes', async () => {
    const { version } = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n1\n') }] });
    await backend.corruptBlob(store, version.files[0].sha256, 'x\n2\n');
    const error = await store.artifacts.materialize(version, dir.path).catch((e) => e);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error.message).toContain(version.files[0].sha256);
    const report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'corrupt', what: 'proj/raw.csv:v0 a.csv' })]);
  });

  // The local driver skips re-hashing files whose stat data are unchanged since they were found intact.
  it.runIf(backend.name === 'fs')('still refuses a file changed in place with its size and mtime restored', async () => {
    const { version } = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n1\n') }] });
    await store.artifacts.materialize(version, dir.path); // stamped intact
    const blob = store.driver.localBlobPath!(version.files[0].sha256)!;
    const { statSync, utimesSync } = await import('node:fs');
    const before = statSync(blob);
    await backend.corruptBlob(store, version.files[0].sha256, 'x\n9\n');
    utimesSync(blob, before.atime, before.mtime);
    expect(statSync(blob).size).toBe(before.size);
    await expect(store.artifacts.materialize(version, dir.path)).rejects.toThrow(CorruptFileError);
  });

  // S3 keeps an object it has (it cannot tell a changed one without reading it back).
  it.runIf(backend.name === 'fs')('repairs a corrupt file when the same content is logged again', async () => {
    const path = file('a.csv', 'x\n1\n');
    const { version } = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path }] });
    await backend.corruptBlob(store, version.files[0].sha256, 'x\n2\n');
    expect((await verifyStore(store)).ok).toBe(false);
    const again = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path }] });
    expect(again.created).toBe(false);
    expect((await verifyStore(store)).ok).toBe(true);
    await expect(store.artifacts.materialize(version, dir.path)).resolves.toBeDefined();
  });

  it('reports a missing blob and a broken alias in verify', async () => {
    const { version } = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '1') }] });
    await store.driver.putDoc('artifacts/proj/raw.csv/aliases/gone.json', '{"version":"v9"}\n');
    await backend.deleteBlob(store, version.files[0].sha256);
    const kinds = (await verifyStore(store)).problems.map((p) => p.kind).sort();
    expect(kinds).toEqual(['broken-alias', 'missing']);
  });

  it('stores nothing when the expected sha256 does not match', async () => {
    const path = file('a.csv', '1');
    await expect(store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path, expectedSha256: '0'.repeat(64) }] })).rejects.toThrow(ChecksumMismatchError);
    expect(await store.artifacts.versionLabels('proj', 'raw.csv')).toEqual([]);
    expect(await backend.blobCount(store)).toBe(0);
    expect(backend.scratchEntries(store)).toEqual([]);
  });

  it.each(['../escape', '/abs/path', 'a\0b', '..'])('rejects the artifact name %j', async (name) => {
    await expect(store.logArtifact({ name, type: 'raw_data', files: [{ path: file('a.csv', '1') }] })).rejects.toThrow(/artifact name/);
    await expect(store.driver.readDoc(`../${name}`)).rejects.toThrow(/outside the store/);
  });

  it('copies a version out with `exportTo`, verifying it', async () => {
    const { version } = await store.logArtifact({ name: 'raw.parquet', type: 'raw_data', files: [{ path: DATA }] });
    const [written] = await store.artifacts.exportTo(version, join(dir.path, 'out'));
    expect((await sha256File(written)).sha256).toBe(version.files[0].sha256);
  });

  it('gives a clear error in a read-only store', async () => {
    const readOnly = await openStore({ location: store.location, env: { ...process.env, MLDP_STORE_READONLY: '1' } });
    const error = await readOnly.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '1') }] }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.toLine()).toMatch(/read-only.*MLDP_STORE/);
  });

  it('stores identical content once across versions and artifacts', async () => {
    await store.logArtifact({ name: 'a.parquet', type: 'raw_data', files: [{ path: DATA }] });
    await store.logArtifact({ name: 'a.parquet', type: 'raw_data', files: [{ path: file('x.csv', '1') }] });
    await store.logArtifact({ name: 'a.parquet', type: 'raw_data', files: [{ path: DATA }] });
    await store.logArtifact({ name: 'b.parquet', type: 'raw_data', files: [{ path: DATA }] });
    expect(await store.artifacts.versionLabels('proj', 'a.parquet')).toEqual(['v0', 'v1', 'v2']);
    expect(await backend.blobCount(store)).toBe(2);
  });

  it('records runs and lineage, and reads them back', async () => {
    const run = await store.runs.start({ step: 'preprocess', params: { min: 1 } });
    const input = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('r.csv', 'a\n1\n') }] });
    const used = await store.useArtifact('raw.csv:latest', { run, scratchDir: dir.path });
    expect(used.version.version).toBe(input.version.version);
    expect((await sha256File(used.files['r.csv'])).sha256).toBe(input.version.files[0].sha256);
    const output = await store.logArtifact({ name: 'clean.csv', type: 'clean', files: [{ path: file('c.csv', 'a\n1\n2\n') }] }, run);
    await run.finish();
    expect(output.version.createdBy).toBe(run.id);
    expect(await store.runs.get(run.id)).toMatchObject({ status: 'finished', inputs: ['raw.csv:v0'], outputs: ['clean.csv:v0'] });
    expect((await store.runs.list()).map((r) => r.id)).toEqual([run.id]);
    expect((await verifyStore(store)).ok).toBe(true);
  });
});
