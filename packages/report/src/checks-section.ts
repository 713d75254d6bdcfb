import { classSpec, histogramSpec, renderChart } from './charts.js';
import { formatNumber } from './format.js';
import { escapeAttribute as attr, escapeText as text } from './html-kit.js';
import type { CheckReportData, ReportModel } from './model.js';

/** Full check sections (with plots) for at most this many pipeline runs, newest first. */
const MAX_CHECK_SECTIONS = 5;

/** Each pipeline's (or lone check run's) data checks: tests, and a plot per column. */
export async function checksSection(model: ReportModel): Promise<string> {
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
