import { plural } from '@mldp/runtime';
import { renderChart, sweepSpec } from './charts.js';
import { formatNumber } from './format.js';
import { escapeAttribute as attr, escapeText as text } from './html-kit.js';
import type { ReportModel, SweepSummary } from './model.js';

/** Full sweep sections (table and charts) for at most this many sweeps, newest first. */
const MAX_SWEEP_SECTIONS = 5;

/** Each sweep: a sortable table of its jobs (swept values, status, key metrics) and the chosen metric against each swept parameter. */
export async function sweepsSection(model: ReportModel): Promise<string> {
  const parts: string[] = [];
  for (const sweep of model.sweeps.slice(0, MAX_SWEEP_SECTIONS)) parts.push(await sweepArticle(sweep, model.sweepMetric));
  return `<section id="sweeps" aria-labelledby="sweeps-h"><h2 id="sweeps-h">Sweeps</h2>${parts.join('\n') || '<p>No sweeps yet (<code>mldp run --multirun</code>).</p>'}</section>`;
}

async function sweepArticle(sweep: SweepSummary, chosen: string | undefined): Promise<string> {
  const metricNames = [...new Set(sweep.jobs.flatMap((job) => Object.keys(job.metrics)))].filter((name) => !/\.(ks|chi2)_/.test(name));
  const lastStep = ['segregate', 'check_data', 'preprocess', 'download'].find((step) => metricNames.some((name) => name.startsWith(`${step}.`)));
  const keyMetrics = metricNames.filter((name) => lastStep && name.startsWith(`${lastStep}.`)).slice(0, 6);
  const metric = chosen ?? keyMetrics[0];
  const columns = [...(chosen && !keyMetrics.includes(chosen) ? [chosen] : []), ...keyMetrics];
  const sortable = (label: string) => `<th scope="col"><button type="button" class="link" data-sort>${text(label)}</button></th>`;
  const cell = (value: string | number | null | undefined) => `<td data-value="${attr(value === null || value === undefined ? '' : String(value))}">${text(value === null || value === undefined ? '-' : typeof value === 'number' ? formatNumber(value) : value)}</td>`;
  const header = ['job', ...sweep.swept, 'status', 'seconds', ...columns].map(sortable).join('');
  const rows = sweep.jobs.map((job) => `<tr class="${job.status}">${cell(job.num)}${sweep.swept.map((key) => cell(job.values[key])).join('')}<td data-value="${attr(job.status)}"><span class="badge ${job.status}">${job.status}</span></td>${cell(job.seconds)}${columns.map((name) => cell(job.metrics[name])).join('')}</tr>`);
  const charts: string[] = [];
  if (metric) {
    for (const parameter of sweep.swept) {
      const points = sweep.jobs.filter((job) => job.metrics[metric] !== undefined && job.values[parameter] !== undefined).map((job) => ({ value: job.values[parameter], metric: job.metrics[metric], job: job.num }));
      if (points.length === 0) continue;
      charts.push(`<figure>${await renderChart(sweepSpec(parameter, metric, points), `${metric} against ${parameter}`)}</figure>`);
    }
  }
  const missing = metric && charts.length === 0 ? `<p>No job of this sweep has the metric ${text(metric)}.</p>` : '';
  return `<article class="sweep" aria-labelledby="sweep-${attr(sweep.id)}"><h3 id="sweep-${attr(sweep.id)}">Sweep ${text(sweep.id)}: ${plural(sweep.jobs.length, 'job')}</h3>
<p>Overrides: <code>${text(sweep.overrides.join(' '))}</code>. Select a column title to sort by it.</p>
<div class="scroll"><table class="sortable"><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
<div class="plots">${charts.join('')}</div>${missing}</article>`;
}
