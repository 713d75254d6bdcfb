import type { RunRecord } from '@mldp/store';
import { artifactDetails } from './artifact-details.js';
import { classSpec, histogramSpec, renderChart, splitSpec, sweepSpec } from './charts.js';
import { flattenObject, formatBytes, formatNumber, formatValue } from './format.js';
import { escapeAttribute as attr, escapeText as text } from './html-kit.js';
import { lineageOf, lineageSvg } from './lineage.js';
import { metricSeries, metricSpec } from './metrics-over-runs.js';
import type { CheckReportData, ReportModel, SweepSummary } from './model.js';
import { PAGE_STYLE } from './page-assets.js';
import { pageScript } from './page-script.js';
import { runsSection } from './runs-section.js';
import { metricsOf } from './runs-table.js';

/** Full check sections (with plots) for at most this many pipeline runs, newest first. */
const MAX_CHECK_SECTIONS = 5;

export async function renderReport(model: ReportModel): Promise<string> {
  const graph = lineageOf(model);
  const sections = [
    runsSection(model),
    await metricsSection(model),
    `<section id="lineage" aria-labelledby="lineage-h"><h2 id="lineage-h">Lineage</h2><p>From the source to the splits. Select an artifact to see its details and data, and to highlight what it came from and what was made from it.</p><div class="scroll">${lineageSvg(graph)}</div><div id="details" class="details" aria-live="polite"><p id="details-empty">Select an artifact in the graph or the table below.</p>${artifactDetails(model)}</div></section>`,
    await checksSection(model),
    await splitsSection(model),
    await sweepsSection(model),
    artifactsSection(model),
    compareSection(model),
  ];
  const data = { runs: model.pipelines.map(({ run, steps }) => compareData(run, steps)) };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mldp report: ${text(model.project)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>mldp report: ${text(model.project)}</h1><p>Store ${text(model.generatedFrom)}; ${plural(model.pipelines.length, 'run')}.</p>
<nav aria-label="Sections"><a href="#runs">Runs</a><a href="#metrics">Metrics</a><a href="#lineage">Lineage</a><a href="#checks">Checks</a><a href="#splits">Splits</a><a href="#sweeps">Sweeps</a><a href="#artifacts">Artifacts</a><a href="#compare">Compare</a></nav></header>
<main>
${sections.join('\n')}
</main>
<script type="application/json" id="mldp-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}

/** Any metric over the runs, chosen from a list: each chart is drawn when the report is built, one shown at a time. */
async function metricsSection(model: ReportModel): Promise<string> {
  const all = metricSeries(model.pipelines);
  if (all.length === 0) return '<section id="metrics" aria-labelledby="metrics-h"><h2 id="metrics-h">Metrics across runs</h2><p>No metrics yet.</p></section>';
  const options = all.map((m) => `<option value="${attr(m.key)}">${text(m.label)}</option>`).join('');
  const charts: string[] = [];
  for (const series of all) charts.push(`<figure data-metric="${attr(series.key)}">${await renderChart(metricSpec(series), `${series.label} over the runs`)}</figure>`);
  return `<section id="metrics" aria-labelledby="metrics-h"><h2 id="metrics-h">Metrics across runs</h2><p><label>Metric <select id="metric-choice">${options}</select></label> (oldest run on the left)</p>${charts.join('')}</section>`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

async function checksSection(model: ReportModel): Promise<string> {
  const parts: string[] = [];
  // Cached pipeline runs share one check report: it is drawn once.
  const shown = new Map<string, string>();
  const withChecks = model.pipelines.filter(({ run }) => model.checks[run.id]);
  for (const [index, { run }] of withChecks.entries()) {
    const report = model.checks[run.id];
    if (index >= MAX_CHECK_SECTIONS) {
      parts.push(`<p>${text(run.id)}: ${report.passed ? 'passed' : 'FAILED'} (${text(report.artifact)}).</p>`);
      continue;
    }
    const shownIn = shown.get(report.artifact);
    if (shownIn) {
      parts.push(`<p>Run ${text(run.id)} reused the checks of run ${text(shownIn)} (${text(report.artifact)}, ${report.passed ? 'passed' : 'FAILED'}).</p>`);
      continue;
    }
    shown.set(report.artifact, run.id);
    parts.push(checkReport(run.id, report, await checkPlots(report)));
  }
  return `<section id="checks" aria-labelledby="checks-h"><h2 id="checks-h">Data checks</h2>${parts.join('\n') || '<p>No data checks yet.</p>'}</section>`;
}

function checkReport(runId: string, report: CheckReportData, plots: string): string {
  const tests = report.tests.map((t) => `<tr class="${t.passed ? 'passed' : 'failed'}"><th scope="row">${text(t.name)}</th><td><span class="badge ${t.passed ? 'finished' : 'failed'}">${t.passed ? 'PASSED' : 'FAILED'}</span></td><td>${text(t.message)}</td></tr>`);
  return `<article class="check" data-run="${attr(runId)}" aria-labelledby="check-${attr(runId)}"><h3 id="check-${attr(runId)}">${report.passed ? 'Passed' : 'Failed'}: ${text(report.sample)} against ${text(report.reference)} (run ${text(runId)})</h3>
<div class="scroll"><table><thead><tr><th scope="col">Test</th><th scope="col">Result</th><th scope="col">Details</th></tr></thead><tbody>${tests.join('')}</tbody></table></div>
<div class="plots">${plots}</div></article>`;
}

/** One plot per KS column (failing columns first, marked) and per categorical column. */
async function checkPlots(report: CheckReportData): Promise<string> {
  const ks = [...report.ks].sort((a, b) => Number(a.passed) - Number(b.passed));
  const plots: string[] = [];
  for (const r of ks) {
    const figures = r.statistic === null ? text(r.message ?? '') : `D=${formatNumber(r.statistic)}, p=${formatNumber(r.pvalue!)} ${r.passed ? '&gt;' : '&le;'} alpha'=${formatNumber(report.alphaPrime)}`;
    const chart = r.histogram ? await renderChart(histogramSpec(r.column, r.histogram, !r.passed), `${r.column}: reference and sample distributions`) : '';
    plots.push(`<figure class="ks ${r.passed ? 'passed' : 'failed'}" data-column="${attr(r.column)}">${chart}<figcaption>${r.passed ? '' : '<strong class="flag">FAILED</strong> '}${text(r.column)}: ${figures}</figcaption></figure>`);
  }
  for (const c of report.categorical) {
    const chart = await renderChart(classSpec(c.column, c.reference, c.sample), `${c.column}: class frequencies of reference and sample`);
    plots.push(`<figure class="categorical ${c.passed ? 'passed' : 'failed'}" data-column="${attr(c.column)}">${chart}<figcaption>${c.passed ? '' : '<strong class="flag">FAILED</strong> '}${text(c.column)}: chi2=${formatNumber(c.statistic)}, dof=${c.dof}, p=${formatNumber(c.pvalue)} vs alpha=${formatNumber(c.alpha)}</figcaption></figure>`);
  }
  return plots.join('\n');
}

async function splitsSection(model: ReportModel): Promise<string> {
  for (const { steps } of model.pipelines) {
    const segregate = steps.find((s) => s.step === 'segregate' && s.status === 'finished');
    if (!segregate) continue;
    const splits: Record<string, Record<string, number>> = {};
    for (const output of segregate.outputs) {
      const [name, version] = output.split(':');
      const manifest = model.artifacts.find((a) => a.name === name)?.versions.find((v) => v.version === version);
      const perClass = manifest?.metadata.per_class as Record<string, number> | undefined;
      const split = manifest?.metadata.split as string | undefined;
      if (perClass && split) splits[split] = perClass;
    }
    if (Object.keys(splits).length === 0) continue;
    const labels = [...new Set(Object.values(splits).flatMap(Object.keys))].sort();
    const names = ['train', 'val', 'test'].filter((s) => splits[s]);
    const rows = labels.map((l) => `<tr><th scope="row">${text(l)}</th>${names.map((s) => `<td class="num">${splits[s][l] ?? 0}</td>`).join('')}</tr>`);
    const chart = await renderChart(splitSpec(splits), 'rows per class in the train, validation and test splits');
    return `<section id="splits" aria-labelledby="splits-h"><h2 id="splits-h">Splits</h2><p>From ${text(segregate.outputs.join(', '))} (run ${text(segregate.id)}).</p><figure>${chart}</figure><div class="scroll"><table><thead><tr><th scope="col">Class</th>${names.map((s) => `<th scope="col">${s}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
  }
  return '<section id="splits" aria-labelledby="splits-h"><h2 id="splits-h">Splits</h2><p>No splits yet.</p></section>';
}

/** Full sweep sections (table and charts) for at most this many sweeps, newest first. */
const MAX_SWEEP_SECTIONS = 5;

/** Each sweep: a sortable table of its jobs (swept values, status, key metrics) and the chosen metric against each swept parameter. */
async function sweepsSection(model: ReportModel): Promise<string> {
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
  return `<article class="sweep" aria-labelledby="sweep-${attr(sweep.id)}"><h3 id="sweep-${attr(sweep.id)}">Sweep ${text(sweep.id)}: ${sweep.jobs.length} jobs</h3>
<p>Overrides: <code>${text(sweep.overrides.join(' '))}</code>. Select a column title to sort by it.</p>
<div class="scroll"><table class="sortable"><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
<div class="plots">${charts.join('')}</div>${missing}</article>`;
}

function artifactsSection(model: ReportModel): string {
  const rows = model.artifacts.flatMap((a) =>
    a.versions.map((v) => {
      const aliases = Object.entries(a.aliases).filter(([, version]) => version === v.version).map(([alias]) => alias);
      const size = v.files.reduce((sum, f) => sum + f.size, 0);
      return `<tr><th scope="row"><button type="button" class="link" data-artifact="${attr(`${v.name}:${v.version}`)}">${text(`${v.name}:${v.version}`)}</button></th><td>${text(v.type)}</td><td>${text(aliases.join(', '))}</td><td class="num">${formatBytes(size)}</td><td><code>${v.digest.slice(0, 12)}</code></td><td>${text(v.createdBy ?? '-')}</td></tr>`;
    }),
  );
  return `<section id="artifacts" aria-labelledby="artifacts-h"><h2 id="artifacts-h">Artifacts</h2><div class="scroll"><table><thead><tr><th scope="col">Version</th><th scope="col">Type</th><th scope="col">Aliases</th><th scope="col">Size</th><th scope="col">Digest</th><th scope="col">Made by run</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div></section>`;
}

function compareSection(model: ReportModel): string {
  const options = model.pipelines.map(({ run }) => `<option value="${attr(run.id)}">${text(`${run.id} (${run.group}, ${run.status})`)}</option>`).join('');
  return `<section id="compare" aria-labelledby="compare-h"><h2 id="compare-h">Compare runs</h2>
<p><label>First run <select id="compare-a">${options}</select></label> <label>Second run <select id="compare-b">${options}</select></label></p>
<div id="compare-result" class="scroll" aria-live="polite"></div></section>`;
}

/** The run comparison's values, formatted here as everywhere else in the report. */
function compareData(run: RunRecord, steps: RunRecord[]): Record<string, unknown> {
  const metrics = Object.fromEntries(Object.entries(metricsOf(steps)).map(([k, v]) => [k, formatNumber(v)]));
  const config = run.config ?? Object.fromEntries(steps.map((s) => [s.step, s.params]));
  const params = Object.fromEntries(Object.entries(flattenObject(config)).map(([k, v]) => [k, formatValue(v)]));
  return { id: run.id, status: run.status, params, metrics };
}
