import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Store, openStore } from './store.js';
import { Sweeps, newSweepId } from './sweeps.js';
import { BACKENDS } from './test-support/backends.js';

describe.each(BACKENDS)('sweep records on the $name driver', (backend) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ location: await backend.fresh(), project: 'ml' });
  });
  afterAll(() => backend.cleanup());

  const jobs = [
    { num: 0, overrides: ['a=1'] },
    { num: 1, overrides: ['a=2'] },
  ];

  it('records a sweep with its jobs pending, saves changes and job logs, and lists the project\'s sweeps newest first', async () => {
    const sweeps = new Sweeps(store);
    const first = await sweeps.create({ overrides: ['a=1,2'], configFile: '/c.yaml' }, jobs);
    expect(first.id).toMatch(/^\d{8}-\d{9}-[0-9a-f]{8}$/);
    expect(first.jobs).toEqual(jobs.map((job) => ({ ...job, status: 'pending', run: null, startedAt: null, endedAt: null, seconds: null, exitCode: null, error: null, attempts: 0 })));
    first.jobs[0].status = 'finished';
    await sweeps.save(first);
    await sweeps.saveLog(first.id, 0, 'pipeline X finished\n');
    expect((await sweeps.get(first.id)).jobs[0].status).toBe('finished');
    expect(await sweeps.log(first.id, 0)).toBe('pipeline X finished\n');
    expect(await sweeps.log(first.id, 1)).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await sweeps.create({ overrides: ['b=1,2'], configFile: '/c.yaml' }, jobs);
    expect((await sweeps.list()).map((s) => s.id)).toEqual([second.id, first.id]);
    const other = await openStore({ location: store.location, project: 'other' });
    expect(await new Sweeps(other).list()).toEqual([]);
    await expect(sweeps.get('20260101-000000000-00000000')).rejects.toThrow(/sweep "20260101-000000000-00000000" does not exist/);
  });

  it('draws another id when one is taken, so sweeps started in the same millisecond on many machines keep their own', async () => {
    const taken = newSweepId();
    const ids = [taken, taken, taken, newSweepId(), newSweepId()];
    let i = 0;
    const sweeps = new Sweeps(store, () => ids[i++]);
    const created = [];
    for (let n = 0; n < 3; n++) created.push(await sweeps.create({ overrides: [], configFile: '/c.yaml' }, jobs));
    expect(created.map((s) => s.id)).toEqual([taken, ids[3], ids[4]]);
    // Concurrent creators with colliding ids each end up with one of their own.
    const same = newSweepId();
    const racing = await Promise.all(Array.from({ length: 6 }, () => {
      let first = true;
      return new Sweeps(store, () => (first ? ((first = false), same) : newSweepId())).create({ overrides: [], configFile: '/c.yaml' }, jobs);
    }));
    expect(new Set(racing.map((s) => s.id)).size).toBe(6);
    expect(racing.filter((s) => s.id === same)).toHaveLength(1);
  });
});
