import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyStore } from './copy.js';
import { sha256File } from './hashing.js';
import { type Store, openStore } from './store.js';
import { BACKENDS, S3_MISSING } from './test-support/backends.js';
import { tempDir } from '@mldp/testkit';
import { verifyStore } from './verify.js';

const [FS, S3] = BACKENDS;

describe.skipIf(S3_MISSING)('copying between stores', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());
  afterAll(() => FS.cleanup());

  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  /** raw -> clean (by a run that used raw), plus an unrelated artifact. */
  const pipelineIn = async (store: Store) => {
    const raw = await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: file('raw.csv', 'a\n1\n1\n') }] });
    const run = await store.runs.start({ step: 'preprocess' });
    await store.useArtifact('raw.csv:latest', { run, scratchDir: dir.path });
    const clean = await store.logArtifact({ name: 'clean.csv', type: 'clean', files: [{ path: file('clean.csv', 'a\n1\n') }] }, run);
    await run.finish();
    await store.artifacts.setAlias('clean.csv:v0', 'best');
    await store.logArtifact({ name: 'other.csv', type: 'x', files: [{ path: file('other.csv', 'b\n') }] });
    await store.derived.put(clean.version.files[0].sha256, 'table-counts-v1', Buffer.from('counted'), dir.path);
    return { raw, clean, run };
  };

  it.each([
    ['local to S3', FS, S3],
    ['S3 to local', S3, FS],
  ])('copies a version with its lineage %s, and a second copy transfers nothing', async (_, from, to) => {
    const source = await openStore({ location: await from.fresh() });
    const target = await openStore({ location: await to.fresh() });
    const { clean, run } = await pipelineIn(source);
    const first = await copyStore(source, target, ['clean.csv:best']);
    expect(first.copied.sort()).toEqual([`${source.project}/clean.csv:v0`, `${source.project}/raw.csv:v0`]);
    expect(first).toMatchObject({ runs: 1, blobsSent: 2, bytesSent: 10, derivedSent: 1 });
    expect((await target.derived.get(clean.version.files[0].sha256, 'table-counts-v1'))?.toString()).toBe('counted');
    expect(first.aliases).toContain(`${source.project}/clean.csv:best -> v0`);
    const copied = await target.artifacts.resolve('clean.csv:best');
    expect(copied.files).toEqual(clean.version.files);
    expect(copied.createdBy).toBe(run.id);
    expect((await target.runs.get(run.id)).inputs).toEqual(['raw.csv:v0']);
    await expect(target.artifacts.resolve('other.csv')).rejects.toThrow(/does not exist/);
    const files = await target.artifacts.materialize(copied, dir.path);
    expect((await sha256File(files['clean.csv'])).sha256).toBe(clean.version.files[0].sha256);
    expect((await verifyStore(target)).ok).toBe(true);

    const again = await copyStore(source, target, ['clean.csv:best']);
    expect(again).toMatchObject({ copied: [], runs: 0, blobsSent: 0, bytesSent: 0, derivedSent: 0, aliases: [] });
    expect(again.present.sort()).toEqual([`${source.project}/clean.csv:v0`, `${source.project}/raw.csv:v0`]);
  });

  it('copies everything without refs, advances latest, and keeps the target\'s own aliases', async () => {
    const source = await openStore({ location: await FS.fresh() });
    const target = await openStore({ location: await S3.fresh() });
    await pipelineIn(source);
    await copyStore(source, target, []);
    await source.logArtifact({ name: 'clean.csv', type: 'clean', files: [{ path: file('clean.csv', 'a\n2\n') }] });
    await target.artifacts.setAlias('clean.csv:v0', 'prod');
    await source.artifacts.setAlias('clean.csv:v1', 'prod');
    const result = await copyStore(source, target, []);
    expect(result.copied).toEqual([`${source.project}/clean.csv:v1`]);
    expect((await target.artifacts.resolve('clean.csv:latest')).version).toBe('v1');
    expect(result.keptAliases).toEqual([`${source.project}/clean.csv:prod (v0 there, v1 here)`]);
    expect((await target.artifacts.list()).map((a) => `${a.name}:${a.versions.join(',')}`)).toEqual(['clean.csv:v0,v1', 'other.csv:v0', 'raw.csv:v0']);
  });

  it('refuses to overwrite a different version of the same label', async () => {
    const source = await openStore({ location: await FS.fresh() });
    const target = await openStore({ location: await S3.fresh() });
    await source.logArtifact({ name: 'x.csv', type: 't', files: [{ path: file('x.csv', 'source') }] });
    await target.logArtifact({ name: 'x.csv', type: 't', files: [{ path: file('x.csv', 'target') }] });
    const error = await copyStore(source, target, ['x.csv']).catch((e) => e);
    expect(error.toLine()).toMatch(/^\w+\/x\.csv:v0 exists in s3:\/\/.* with other content .*; the two stores logged that name independently/);
  });
});
