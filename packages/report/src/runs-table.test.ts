import type { RunRecord } from '@mldp/store';
import { describe, expect, it } from 'vitest';
import { valueTable } from './html-kit.js';
import { layoutLineage } from './lineage.js';
import { metricSeries } from './metrics-over-runs.js';
import { runsTable } from './runs-table.js';

function record(fields: Partial<RunRecord>): RunRecord {
  return { id: 'x', kind: 'step', project: 'p', group: 'dev', step: 'segregate', parent: null, params: {}, metrics: {}, status: 'finished', startedAt: '2026-12-01T10:00:00.000Z', endedAt: '2026-12-01T10:00:02.500Z', error: null, inputs: [], outputs: [], children: [], config: null, info: {}, ...fields } as RunRecord;
}

describe('runsTable', () => {
  const entry = (id: string, seed: number, rows: number, extra: Partial<RunRecord> = {}) => {
    const run = record({ id, kind: 'pipeline', step: 'pipeline', params: { overrides: [`main.random_seed=${seed}`] }, ...extra });
    const step = record({ id: `${id}-s`, parent: id, params: { random_seed: seed, test_size: 0.3 }, metrics: { rows_train: rows, ks_tempo_statistic: 0.1 } });
    return { run, steps: [step] };
  };

  it('has a column per parameter that differs and per key metric, and none for per-column metrics', () => {
    const { columns, rows } = runsTable([entry('b', 112233, 2384191), entry('a', 7, 10)], () => false);
    expect(columns.map((c) => c.key)).toEqual(['id', 'status', 'group', 'steps', 'started', 'duration', 'overrides', 'segregate.random_seed', 'segregate.rows_train']);
    expect(rows[0].cells.map((c) => c.text)).toEqual(['b', 'finished', 'dev', '1 step', '2026-12-01 10:00:00', '2.5 s', 'main.random_seed=112233', '112233', '2384191']);
    expect(rows[0].cells[8].sort).toBe('2384191');
    expect(rows[1].steps).toEqual(['segregate']);
  });

  it('leaves a cell empty where a row has no such parameter, and marks cached steps', () => {
    const alone = { run: record({ id: 'c', step: 'check_data', params: { ks_alpha: 0.05 } }), steps: [] as RunRecord[] };
    alone.steps.push(alone.run);
    const { columns, rows } = runsTable([entry('b', 1, 5), entry('a', 2, 6), alone], (run, step) => run.id === 'a' && step.id === 'a-s');
    const seed = columns.findIndex((c) => c.key === 'segregate.random_seed');
    expect(rows[2].cells[seed]).toEqual({ text: '', sort: '' });
    expect(rows[1].cells[3].text).toBe('1 step, 1 cached');
    expect(rows[2].cells[3].text).toBe('check_data');
    expect(columns.some((c) => c.key === 'check_data.ks_alpha')).toBe(false);
  });
});

describe('runsTable of pipelines with their config', () => {
  it('has a column per config key that differs, by the keys overrides use, and none for the same values', () => {
    const pipeline = (id: string, seed: number, url: string) => {
      const run = record({ id, kind: 'pipeline', step: 'pipeline', params: { overrides: [] }, config: { main: { random_seed: seed, experiment_name: 'dev' }, data: { file_url: url, test_size: 0.3 }, checks: { ranges: { tempo: [50, 250] } } } });
      return { run, steps: [record({ id: `${id}-s`, parent: id, params: { checks: `/tmp/run-${id}/checks.json` } })] };
    };
    const { columns, rows } = runsTable([pipeline('b', 7, 'songs.csv'), pipeline('a', 112233, 'songs.csv'), pipeline('c', 7, 'other.csv')], () => false);
    expect(columns.filter((c) => c.kind === 'param').map((c) => c.key)).toEqual(['main.random_seed', 'data.file_url']);
    expect(rows[1].cells.slice(6, 8).map((c) => c.text)).toEqual(['112233', 'songs.csv']);
  });
});

describe('metricSeries', () => {
  it("puts each column's KS D in one series over the runs, oldest first, and the other metrics one by one", () => {
    const at = (id: string, time: string, d: number) => {
      const run = record({ id, step: 'check_data', startedAt: time, metrics: { ks_tempo_statistic: d, ks_energy_statistic: d / 2, tests_failed: 0 } });
      return { run, steps: [run] };
    };
    const series = metricSeries([at('new', '2026-12-02T00:00:00Z', 0.2), at('old', '2026-12-01T00:00:00Z', 0.1)]);
    expect(series.map((s) => s.key)).toEqual(['check_data.ks_*_statistic', 'check_data.tests_failed']);
    expect(series[0].points.map((p) => [p.run, p.series, p.value])).toEqual([['old', 'tempo', 0.1], ['old', 'energy', 0.05], ['new', 'tempo', 0.2], ['new', 'energy', 0.1]]);
  });
});

describe('valueTable', () => {
  it('shows nested records such as per_class as tables, never as JSON', () => {
    const html = valueTable({ rows: 10311, per_class: { 'Dark Trap': 1116, '<Emo>': 404 }, columns: [{ name: 'a', nulls: 0 }] });
    expect(html.replace(/<[^>]*>/g, ' ')).not.toMatch(/[{}"]/);
    expect(html).toContain('<th scope="row">Dark Trap</th><td>1116</td>');
    expect(html).toContain('&lt;Emo&gt;');
    expect(html).toContain('<th scope="col">name</th><th scope="col">nulls</th>');
  });
});

describe('layoutLineage', () => {
  it('lays nodes out left to right by layer, the same way every time, without overlaps', () => {
    const nodes = ['src', 'raw', 'clean', 'train', 'test', 'check'].map((id, i) => ({ id, kind: 'artifact' as const, type: 't', layer: [0, 1, 2, 3, 3, 3][i] }));
    const edges = [['src', 'raw'], ['raw', 'clean'], ['clean', 'train'], ['clean', 'test'], ['clean', 'check']].map(([from, to]) => ({ from, to, step: 's' }));
    const first = layoutLineage({ nodes, edges });
    expect(layoutLineage({ nodes: [...nodes].reverse(), edges })).toEqual(first);
    const x = Object.fromEntries(first.nodes.map((n) => [n.id, n.x]));
    expect(x.src).toBeLessThan(x.raw);
    expect(x.raw).toBeLessThan(x.clean);
    expect(x.clean).toBeLessThan(x.train);
    const ys = first.nodes.filter((n) => n.layer === 3).map((n) => n.y).sort((a, b) => a - b);
    expect(ys[1] - ys[0]).toBeGreaterThanOrEqual(34);
    expect(ys[2] - ys[1]).toBeGreaterThanOrEqual(34);
    for (const e of first.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });
});
