import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HOST, sleep } from '@mldp/runtime';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { RunNotFoundError } from './errors.js';
import { repairStore } from './repair.js';
import { type RunRecord, newRunId } from './runs.js';
import { type Store, openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';
import { verifyStore } from './verify.js';

const DIST = join(import.meta.dirname, '../dist/index.js');

describe.each(BACKENDS)('runs on the $name driver', (backend) => {
  let store: Store;
  let location: string;
  beforeEach(async () => {
    location = await backend.fresh();
    store = await openStore({ location, project: 'ml' });
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

  it('takes a finished run up again in this process, and ends it again', async () => {
    const run = await store.runs.start({ kind: 'pipeline', step: 'pipeline' });
    await run.finish();
    const again = await store.runs.open(run.id);
    await again.reopen();
    expect(await store.runs.get(run.id)).toMatchObject({ status: 'running', endedAt: null, error: null, process: { host: HOST, pid: process.pid } });
    await again.fail('segregate failed');
    expect(await store.runs.get(run.id)).toMatchObject({ status: 'failed', error: 'segregate failed', endedAt: expect.any(String) });
  });

  it('names a missing run', async () => {
    await expect(store.runs.get('20200101-000000000-abcdef')).rejects.toThrow(RunNotFoundError);
    await expect(store.runs.get('../../etc')).rejects.toThrow(/does not exist/);
  });

  it('records the process and keeps a heartbeat while running, and no beat lands after the end', async () => {
    const run = await store.runs.start({ step: 'preprocess', heartbeatMs: 40 });
    const first = await store.runs.get(run.id);
    expect(first.process).toMatchObject({ host: HOST, pid: process.pid });
    await sleep(400);
    const later = await store.runs.get(run.id);
    expect(Date.parse(later.heartbeatAt!)).toBeGreaterThan(Date.parse(first.heartbeatAt!));
    expect(later.status).toBe('running');
    await run.finish();
    await sleep(200);
    expect((await store.runs.get(run.id)).status).toBe('finished');
  });

  it('shows a run whose process was killed as crashed; verify reports it and repair records it', async () => {
    const script = `import { openStore } from ${JSON.stringify(DIST)};
      const store = await openStore({ location: process.argv[1], project: 'ml' });
      const run = await store.runs.start({ step: 'preprocess' });
      process.stdout.write(run.id + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, location], { stdio: ['ignore', 'pipe', 'inherit'] });
    const id = await new Promise<string>((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk).trim())));
    expect((await store.runs.get(id)).status).toBe('running');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const seen = await store.runs.get(id);
    expect(seen).toMatchObject({ status: 'crashed', error: expect.stringMatching(/its process \(pid \d+ on .*\) ended without finishing the run/) });
    expect((await store.runs.list()).find((r) => r.id === id)?.status).toBe('crashed');
    const report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'crashed-run', what: `run ${id} (preprocess)`, repairable: true })]);
    const repaired = await repairStore(store);
    expect(repaired.actions).toEqual([expect.objectContaining({ kind: 'marked-crashed', what: `run ${id} (preprocess)` })]);
    expect(repaired.after.ok).toBe(true);
    const recorded = JSON.parse((await store.driver.readDoc(`runs/${id}.json`))!.text) as RunRecord;
    expect(recorded).toMatchObject({ status: 'crashed', endedAt: recorded.heartbeatAt });
  });

  it.each([
    ['another host, heartbeat 5 minutes ago', { host: 'elsewhere.example', pid: 1 }, 300_000, 'crashed'],
    ['another host, heartbeat just now', { host: 'elsewhere.example', pid: 1 }, 0, 'running'],
    ['this host, its pid reused by another process', { host: HOST, pid: process.pid, start: 'another-boot:1' }, 0, 'crashed'],
    ['this host, this very process', undefined, 0, 'running'],
  ])('judges a running record of %s', async (_case, owner, age, status) => {
    const run = await store.runs.start({ step: 'download' });
    const beat = new Date(Date.now() - age).toISOString();
    const id = newRunId();
    await store.driver.putDoc(`runs/${id}.json`, JSON.stringify({ ...run.record, id, ...(owner ? { process: owner } : {}), startedAt: beat, heartbeatAt: beat }));
    await run.finish();
    expect((await store.runs.get(id)).status).toBe(status);
  });
});
