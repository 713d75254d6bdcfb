import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactNotFoundError, ChecksumMismatchError, CorruptFileError, StoreError } from './errors.js';
import { sha256File } from './hashing.js';
import { type Store, openStore } from './store.js';
import { tempDir } from './testing.js';
import { verifyStore } from './verify.js';

const DATA = join(import.meta.dirname, '../../../data/genres_mod1.parquet');

describe('artifacts', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store'), project: 'proj' });
  });
  afterEach(() => dir.remove());

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
    const manifest = join(store.location, 'artifacts/proj/raw.csv/versions/v0.json');
    const before = readFileSync(manifest, 'utf8');
    await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '2') }] });
    expect(readFileSync(manifest, 'utf8')).toBe(before);
    expect(await store.driver.createDoc('artifacts/proj/raw.csv/versions/v0.json', '{}')).toBe(false);
  });

  it('refuses a file changed on disk after it was logged, naming both hashes', async () => {
    const { version } = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', 'x\n1\n') }] });
    const blob = store.driver.localBlobPath!(version.files[0].sha256)!;
    chmodSync(blob, 0o644);
    writeFileSync(blob, 'x\n2\n');
    const error = await store.artifacts.materialize(version, dir.path).catch((e) => e);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error.message).toContain(version.files[0].sha256);
    const report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'corrupt', what: 'proj/raw.csv:v0 a.csv' })]);
  });

  it('reports a missing blob and a broken alias in verify', async () => {
    const { version } = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '1') }] });
    await store.driver.putDoc('artifacts/proj/raw.csv/aliases/gone.json', '{"version":"v9"}\n');
    const { rmSync } = await import('node:fs');
    rmSync(store.driver.localBlobPath!(version.files[0].sha256)!);
    const kinds = (await verifyStore(store)).problems.map((p) => p.kind).sort();
    expect(kinds).toEqual(['broken-alias', 'missing']);
  });

  it('stores nothing when the expected sha256 does not match', async () => {
    const path = file('a.csv', '1');
    await expect(store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path, expectedSha256: '0'.repeat(64) }] })).rejects.toThrow(ChecksumMismatchError);
    expect(await store.artifacts.versionLabels('proj', 'raw.csv')).toEqual([]);
    expect(existsSync(join(store.location, 'blobs'))).toBe(false);
    expect(readdirSync(join(store.location, 'tmp'))).toEqual([]);
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
    const readOnly = await openStore({ location: store.location, env: { MLDP_STORE_READONLY: '1' } });
    const error = await readOnly.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('a.csv', '1') }] }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.toLine()).toMatch(/read-only.*MLDP_STORE/);
  });
});
