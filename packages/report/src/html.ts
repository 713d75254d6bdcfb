import type { RunRecord } from '@mldp/store';
import { artifactDetails } from './artifact-details.js';
import { renderChart, splitSpec } from './charts.js';
import { checksSection } from './checks-section.js';
import { flattenObject, formatBytes, formatNumber, formatValue } from './format.js';
import { escapeAttribute as attr, escapeText as text } from './html-kit.js';
import { lineageGraphOf, lineageSvg } from './lineage.js';
import { metricSeries, metricSpec } from './metrics-over-runs.js';
import type { ReportModel } from './model.js';
import { PAGE_STYLE } from './page-assets.js';
import { pageScript } from './page-script.js';
import { runsSection } from './runs-section.js';
import { sweepsSection } from './sweeps-section.js';
import { metricsOf } from './runs-table.js';

export async function renderReport(model: ReportModel): Promise<string> {
  const graph = lineageGraphOf(model);
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
