import type * as vl from 'vega-lite';
import type { RunRecord } from '@mldp/store';
import { formatTime } from './format.js';
import { isPerColumnMetric, metricsOf } from './runs-table.js';

/** A metric, or a family of per-column metrics (each column's KS D), with its values over the runs. */
export interface MetricSeries {
  key: string;
  label: string;
  points: Array<{ run: string; startedAt: string; series: string; value: number }>;
}

/** `ks_danceability_statistic` -> family `ks_*_statistic`, column `danceability`. */
function familyOf(name: string): { family: string; column: string } | undefined {
  const match = /^(ks|chi2)_(.+)_(statistic|pvalue)$/.exec(name);
  return match ? { family: `${match[1]}_*_${match[3]}`, column: match[2] } : undefined;
}

const FAMILY_LABELS: Record<string, string> = {
  'ks_*_statistic': "each column's KS D",
  'ks_*_pvalue': "each column's KS p-value",
  'chi2_*_statistic': "each class column's chi-square statistic",
  'chi2_*_pvalue': "each class column's chi-square p-value",
};

/**
 * Every metric of the runs as a series over time (oldest run first): the per-column metrics of
 * a step as one family with a line per column, the others one by one.
 */
export function metricSeries(entries: Array<{ run: RunRecord; steps: RunRecord[] }>): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  const oldestFirst = [...entries].sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt) || a.run.id.localeCompare(b.run.id));
  for (const { run, steps } of oldestFirst) {
    for (const [key, value] of Object.entries(metricsOf(steps))) {
      const [step, name] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
      const family = isPerColumnMetric(name) ? familyOf(name) : undefined;
      const id = family ? `${step}.${family.family}` : key;
      if (!series.has(id)) series.set(id, { key: id, label: family ? `${step}: ${FAMILY_LABELS[family.family]}` : key, points: [] });
      series.get(id)!.points.push({ run: run.id, startedAt: run.startedAt, series: family ? family.column : name, value });
    }
  }
  // Families first (drift over time is what they show), then the metrics by name.
  const rank = (key: string) => {
    const family = Object.keys(FAMILY_LABELS).findIndex((f) => key.endsWith(`.${f}`));
    return family < 0 ? Infinity : family;
  };
  return [...series.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** A metric over the runs: a line per series, a point per run, the run in the tooltip. */
export function metricSpec(series: MetricSeries): vl.TopLevelSpec {
  return {
    width: 520,
    height: 220,
    title: series.label,
    data: { values: series.points.map((p) => ({ ...p, started: formatTime(p.startedAt) })) },
    mark: { type: 'line', point: true },
    encoding: {
      // One step per run, in the order they started: runs minutes and days apart stay readable.
      x: { field: 'started', type: 'ordinal', sort: 'ascending', title: 'run started (UTC)', axis: { labelAngle: -40, labelOverlap: true } },
      y: { field: 'value', type: 'quantitative', title: series.key.includes('*') ? series.label.replace(/^[^:]+: each (class )?column's /, '') : series.key, scale: { zero: false } },
      ...(series.key.includes('*') ? { color: { field: 'series', type: 'nominal', title: 'column' } } : {}),
      tooltip: [{ field: 'run', title: 'run' }, { field: 'series', title: 'column' }, { field: 'value', title: 'value', format: '.6~g' }],
    },
  };
}
