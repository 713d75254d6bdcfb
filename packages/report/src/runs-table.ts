import { PIPELINE_STEPS } from '@mldp/runtime';
import type { RunRecord } from '@mldp/store';
import { flattenObject, formatNumber, formatSeconds, formatTime, formatValue, secondsBetween } from './format.js';

/** A column of the runs table: the run's own facts, a parameter, or a metric (`step.name`). */
export interface RunsColumn {
  key: string;
  label: string;
  kind: 'run' | 'param' | 'metric';
}

export interface RunsCell {
  text: string;
  /** What the column sorts by: a number as its digits, else the text; '' for none. */
  sort: string;
}

export interface RunsRow {
  id: string;
  status: string;
  group: string;
  steps: string[];
  cells: RunsCell[];
}

/** Metrics of one column each (KS and chi-square per data column) go to the metrics chart, not the table. */
export function isPerColumnMetric(name: string): boolean {
  return /^(ks|chi2)_/.test(name);
}

/**
 * A row's parameters: for a pipeline its overrides and its resolved config by the keys the
 * overrides use (`data.test_size`, `main.random_seed`), as W&B shows a run's config; for a step
 * run made alone (or a pipeline recorded without its config), what each step received, as
 * `step.param` (`check_data.ks_alpha`, the config's key for it).
 */
export function paramsOf(run: RunRecord, steps: RunRecord[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (run.kind === 'pipeline' && Array.isArray(run.params.overrides)) params.overrides = run.params.overrides;
  if (run.kind === 'pipeline' && run.config) return Object.assign(params, flattenObject(run.config));
  for (const step of steps) for (const [name, value] of Object.entries(step.params)) params[`${step.step}.${name}`] = value;
  return params;
}

/** Every metric of a row's steps, as `step.metric`. */
export function metricsOf(steps: RunRecord[]): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const step of steps) for (const [name, value] of Object.entries(step.metrics)) metrics[`${step.step}.${name}`] = value;
  return metrics;
}

const RUN_COLUMNS: RunsColumn[] = [
  { key: 'id', label: 'Run', kind: 'run' },
  { key: 'status', label: 'Status', kind: 'run' },
  { key: 'group', label: 'Group', kind: 'run' },
  { key: 'steps', label: 'Steps', kind: 'run' },
  { key: 'started', label: 'Started (UTC)', kind: 'run' },
  { key: 'duration', label: 'Duration', kind: 'run' },
];

/**
 * The runs table as W&B draws it: the run's facts, then a column per parameter whose values
 * differ between the rows (the ones that explain a difference; overrides always, when given),
 * then a column per key metric (every metric but the per-column ones).
 */
export function runsTable(entries: Array<{ run: RunRecord; steps: RunRecord[] }>, isCached: (run: RunRecord, step: RunRecord) => boolean): { columns: RunsColumn[]; rows: RunsRow[] } {
  const params = entries.map(({ run, steps }) => paramsOf(run, steps));
  const metrics = entries.map(({ steps }) => metricsOf(steps));
  const paramKeys = [...new Set(params.flatMap(Object.keys))].filter((key) => {
    const values = new Set(params.filter((p) => key in p).map((p) => JSON.stringify(p[key])));
    return key === 'overrides' ? params.some((p) => Array.isArray(p.overrides) && p.overrides.length > 0) : values.size > 1;
  });
  const metricKeys = [...new Set(metrics.flatMap(Object.keys))].filter((key) => !isPerColumnMetric(key.slice(key.indexOf('.') + 1)));
  // Overrides first, then in the config's order; a stable sort keeps each section's own order.
  paramKeys.sort((a, b) => stepRank(a) - stepRank(b));
  metricKeys.sort((a, b) => stepRank(a) - stepRank(b));
  const columns: RunsColumn[] = [
    ...RUN_COLUMNS,
    ...paramKeys.map((key): RunsColumn => ({ key, label: key, kind: 'param' })),
    ...metricKeys.map((key): RunsColumn => ({ key, label: key, kind: 'metric' })),
  ];
  const rows = entries.map(({ run, steps }, i): RunsRow => {
    const seconds = secondsBetween(run.startedAt, run.endedAt);
    // A pipeline's steps in short (its details list them); a step run made alone is that step.
    const cached = steps.filter((s) => isCached(run, s)).length;
    const stepText = run.kind === 'pipeline' ? `${steps.length} step${steps.length === 1 ? '' : 's'}${cached ? `, ${cached} cached` : ''}` : run.step;
    const cells: RunsCell[] = [
      { text: run.id, sort: run.id },
      { text: run.status, sort: run.status },
      { text: run.group, sort: run.group },
      { text: stepText, sort: stepText },
      { text: formatTime(run.startedAt), sort: run.startedAt },
      { text: seconds === undefined ? '-' : formatSeconds(seconds), sort: seconds === undefined ? '' : String(seconds) },
      ...paramKeys.map((key): RunsCell => (key in params[i] ? valueCell(params[i][key]) : { text: '', sort: '' })),
      ...metricKeys.map((key): RunsCell => (key in metrics[i] ? { text: formatNumber(metrics[i][key]), sort: String(metrics[i][key]) } : { text: '', sort: '' })),
    ];
    return { id: run.id, status: run.status, group: run.group, steps: steps.map((s) => s.step), cells };
  });
  return { columns, rows };
}

/** Config sections and steps in pipeline order: main and data first, as the config file has them. */
const SECTION_ORDER = ['main', 'data', ...PIPELINE_STEPS, 'checks'];

function stepRank(key: string): number {
  if (key === 'overrides') return -1;
  const index = SECTION_ORDER.indexOf(key.slice(0, key.indexOf('.')));
  return index < 0 ? SECTION_ORDER.length : index;
}

function valueCell(value: unknown): RunsCell {
  const text = formatValue(value);
  return { text, sort: typeof value === 'number' ? String(value) : text };
}
