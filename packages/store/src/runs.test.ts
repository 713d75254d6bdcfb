import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { RunNotFoundError } from './errors.js';
import { type Store, openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';

describe.each(BACKENDS)('runs on the $name driver', (backend) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ location: await backend.fresh(), project: 'ml' });
  });
  afterAll(() => backend.cleanup());

  it('records params, metrics, inputs, outputs, status, times and the log', async () => {
    const run = await store.runs.start({ step: 'preprocess', group: 'dev', params: { artifact_name: 'x.csv' } });
    expect((await store.runs.get(run.id)).status).toBe('running');
    await run.useArtifact('raw.parquet:v0');
    await run.produced('x.csv:v0');
    await run.logMetrics({ rows_in: 10, bad: Number.NaN });
    run.appendLog('hello');
    await run.finish();
    const record = await store.runs.get(run.id);
    expect(record).toMatchObject({
      id: run.id,
      project: 'ml',
      group: 'dev',
      step: 'preprocess',
      status: 'finished',
      params: { artifact_name: 'x.csv' },
      metrics: { rows_in: 10 },
      inputs: ['raw.parquet:v0'],
      outputs: ['x.csv:v0'],
      error: null,
    });
    expect(Date.parse(record.endedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
    expect(await store.runs.log(run.id)).toBe('hello\n');
  });

  it('keeps the error of a failed run and lists runs newest first', async () => {
    const first = await store.runs.start({ step: 'download' });
    await first.fail('boom');
    const second = await store.runs.start({ step: 'preprocess' });
    await second.finish();
    const list = await store.runs.list();
    expect(list.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(list[1]).toMatchObject({ status: 'failed', error: 'boom' });
    expect((await store.runs.list({ step: 'download' })).map((r) => r.id)).toEqual([first.id]);
  });

  it('names a missing run', async () => {
    await expect(store.runs.get('20200101-000000000-abcdef')).rejects.toThrow(RunNotFoundError);
    await expect(store.runs.get('../../etc')).rejects.toThrow(/does not exist/);
  });
});
