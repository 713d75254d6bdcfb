import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from './runs.js';
import { type Store, openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';

describe.each(BACKENDS)('the step cache on the $name driver', (backend) => {
  let store: Store;
  const files = tempDir();
  afterAll(() => {
    backend.cleanup();
    files.remove();
  });

  /** A finished run of `step` that produced `name` (one file) under `cacheKey`. */
  async function finishedRun(step: string, name: string, cacheKey: string, text = 'x\n1\n'): Promise<RunRecord> {
    const run = await store.runs.start({ step, info: { cache_key: cacheKey } });
    const path = join(files.path, `${name}-${cacheKey}`);
    writeFileSync(path, text);
    await store.logArtifact({ name, type: 'table', files: [{ path, name }] }, run);
    await run.finish();
    return store.runs.get(run.id);
  }

  beforeEach(async () => {
    store = await openStore({ location: await backend.fresh(), project: 'p' });
  });

  it('finds the run put under a key, and records which key produced each output', async () => {
    const run = await finishedRun('preprocess', 'clean.csv', 'k1');
    expect(await store.stepCache.get('preprocess', 'k1')).toBeUndefined();
    await store.stepCache.put('preprocess', 'k1', run);
    expect((await store.stepCache.get('preprocess', 'k1'))?.id).toBe(run.id);
    expect(await store.stepCache.get('segregate', 'k1'), 'another step is another entry').toBeUndefined();
    expect(await store.stepCache.producerOf('p', 'clean.csv:v0')).toBe('k1');
    expect(await store.stepCache.producerOf('p', 'clean.csv:v1')).toBeUndefined();
  });

  it('keeps the layout earlier releases wrote: cache/STEP/KEY.json and cache/producers/PROJECT/NAME/VERSION.json', async () => {
    const run = await finishedRun('download', 'raw.csv', 'k2');
    // As written by the app before the step cache moved into the store.
    await store.driver.putDoc('cache/download/k2.json', `${JSON.stringify({ run: run.id })}\n`);
    await store.driver.putDoc('cache/producers/p/raw.csv/v0.json', `${JSON.stringify({ key: 'k2', run: run.id })}\n`);
    expect((await store.stepCache.get('download', 'k2'))?.id).toBe(run.id);
    expect(await store.stepCache.producerOf('p', 'raw.csv:v0')).toBe('k2');
    await store.stepCache.put('download', 'k3', { ...run, info: { ...run.info, cache_key: 'k3' } });
    expect(JSON.parse((await store.driver.readDoc('cache/download/k3.json'))!.text)).toEqual({ run: run.id });
    expect(JSON.parse((await store.driver.readDoc('cache/producers/p/raw.csv/v0.json'))!.text)).toEqual({ key: 'k3', run: run.id });
  });

  it('misses on an unreadable entry, a run of another key or project, and an output whose file is gone', async () => {
    const run = await finishedRun('segregate', 'split.csv', 'k4');
    await store.driver.putDoc('cache/segregate/k4.json', '{not json');
    expect(await store.stepCache.get('segregate', 'k4')).toBeUndefined();
    await store.stepCache.put('segregate', 'other-key', run);
    expect(await store.stepCache.get('segregate', 'other-key'), 'the run was made under k4').toBeUndefined();
    await store.stepCache.put('segregate', 'k4', run);
    const elsewhere = await openStore({ location: store.location, project: 'q' });
    expect(await elsewhere.stepCache.get('segregate', 'k4')).toBeUndefined();
    expect((await store.stepCache.get('segregate', 'k4'))?.id).toBe(run.id);
    await backend.deleteBlob(store, (await store.artifacts.resolve('split.csv:v0')).files[0].sha256);
    expect(await store.stepCache.get('segregate', 'k4')).toBeUndefined();
  });

  it('restores a cached run: its outputs become latest again', async () => {
    const first = await finishedRun('preprocess', 'clean.csv', 'a', 'x\n1\n');
    await store.stepCache.put('preprocess', 'a', first);
    await finishedRun('preprocess', 'clean.csv', 'b', 'x\n2\n');
    expect((await store.artifacts.resolve('clean.csv:latest')).version).toBe('v1');
    await store.stepCache.restore(first);
    expect((await store.artifacts.resolve('clean.csv:latest')).version).toBe('v0');
    expect(await store.stepCache.producerOf('p', 'clean.csv:v0')).toBe('a');
  });
});
