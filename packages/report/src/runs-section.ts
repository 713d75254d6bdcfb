import type { RunRecord } from '@mldp/store';
import { flattenObject, formatSeconds, formatTime, secondsBetween } from './format.js';
import { escapeAttribute as attr, escapeText as text, valueTable } from './html-kit.js';
import type { ReportModel } from './model.js';
import { type RunsColumn, runsTable } from './runs-table.js';

export const PAGE_SIZES = [10, 20, 50, 100];

/** Whether a pipeline reused a step's earlier run (a cache hit) instead of running it. */
export function isCached(pipeline: RunRecord, step: RunRecord): boolean {
  return pipeline.id !== step.id && Object.values((pipeline.info.reused as Record<string, string>) ?? {}).includes(step.id);
}

/** The runs table with its filters and pager, and each run's details, shown when its row is selected. */
export function runsSection(model: ReportModel): string {
  const { columns, rows } = runsTable(model.pipelines, isCached);
  const options = (values: string[]) => values.map((v) => `<option value="${attr(v)}">${text(v)}</option>`).join('');
  const distinct = (values: string[]) => [...new Set(values)].sort();
  const filters = `<form class="filters" id="runs-filters" role="search" onsubmit="return false">
<label>Status <select name="status"><option value="">all</option>${options(distinct(rows.map((r) => r.status)))}</select></label>
<label>Group <select name="group"><option value="">all</option>${options(distinct(rows.map((r) => r.group)))}</select></label>
<label>Step <select name="step"><option value="">all</option>${options(distinct(rows.flatMap((r) => r.steps)))}</select></label>
<label>Search <input type="search" name="query" placeholder="run, parameter, value..."></label>
<label>Rows per page <select name="size">${PAGE_SIZES.map((n) => `<option${n === 20 ? ' selected' : ''}>${n}</option>`).join('')}</select></label></form>`;
  const head = columns.map((c, i) => `<th scope="col" class="${c.kind}" data-label="${attr(c.label)}"><button type="button" class="sort" data-column="${i}">${text(c.label)}</button></th>`).join('');
  const body = rows.map((row) => {
    const cells = row.cells.map((cell, i) => {
      const column = columns[i];
      const value = `data-value="${attr(cell.sort)}" data-label="${attr(column.label)}"`;
      if (column.key === 'id') return `<th scope="row" ${value}><button type="button" class="link open-run" data-run="${attr(row.id)}">${text(cell.text)}</button></th>`;
      if (column.key === 'status') return `<td ${value}><span class="badge ${attr(cell.text)}">${text(cell.text)}</span></td>`;
      if (column.kind === 'param') return `<td ${value} class="param" title="${attr(cell.text)}">${text(cell.text)}</td>`;
      return `<td ${value}${column.kind === 'metric' ? ' class="num"' : ''}>${text(cell.text)}</td>`;
    });
    return `<tr data-run="${attr(row.id)}" data-status="${attr(row.status)}" data-group="${attr(row.group)}" data-steps="${attr(row.steps.join(' '))}">${cells.join('')}</tr>`;
  });
  const details = model.pipelines.map(({ run, steps }) => runDetails(run, steps)).join('\n');
  return `<section id="runs" aria-labelledby="runs-h"><h2 id="runs-h">Runs</h2>
<p>Pipeline runs and step runs made alone, newest first; columns for the parameters that differ between runs and for the key metrics. Select a column title to sort, a run to open it.</p>
${filters}
<div class="scroll"><table class="runs" id="runs-table"><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table></div>
<nav class="pager" aria-label="Pages of runs"><button type="button" id="runs-prev">Previous</button> <span id="runs-page" aria-live="polite"></span> <button type="button" id="runs-next">Next</button></nav>
<div id="run-details">${details}</div></section>`;
}

/** Columns of the table, for tests and the README: the parameters and metrics shown. */
export function runsColumns(model: ReportModel): RunsColumn[] {
  return runsTable(model.pipelines, isCached).columns;
}

function runDetails(run: RunRecord, steps: RunRecord[]): string {
  const failed = steps.find((s) => s.status === 'failed' || s.status === 'crashed');
  const stepRows = steps.map((s) => {
    const seconds = secondsBetween(s.startedAt, s.endedAt);
    return `<tr><th scope="row">${text(s.step)}</th><td>${text(s.id)}</td><td><span class="badge ${attr(s.status)}">${text(s.status)}</span>${isCached(run, s) ? ' cached' : ''}</td><td class="num">${seconds === undefined ? '-' : formatSeconds(seconds)}</td><td>${text(s.inputs.join(', ') || '-')}</td><td>${text(s.outputs.join(', ') || '-')}</td></tr>`;
  });
  const params: Record<string, unknown> = {};
  for (const s of steps) params[s.step] = s.params;
  const metrics = Object.fromEntries(steps.filter((s) => Object.keys(s.metrics).length > 0).map((s) => [s.step, Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, v]))]));
  const seconds = secondsBetween(run.startedAt, run.endedAt);
  return `<article class="run-detail" data-run="${attr(run.id)}" hidden aria-labelledby="run-${attr(run.id)}">
<h3 id="run-${attr(run.id)}">${run.kind === 'pipeline' ? 'Pipeline run' : `${text(run.step)} run alone`} ${text(run.id)}</h3>
<p><span class="badge ${attr(run.status)}">${text(run.status)}</span> group ${text(run.group)}, started ${text(formatTime(run.startedAt))} UTC${seconds === undefined ? '' : `, took ${formatSeconds(seconds)}`}${typeof run.info.command === 'string' ? `; <code>${text(run.info.command)}</code>` : ''}</p>
${failed ? `<p class="error">${text(failed.step)} ${text(failed.status)}: ${text(failed.error ?? '')}</p>${run.info.resume ? `<p>Resume with <code>${text(String(run.info.resume))}</code></p>` : ''}` : ''}
<h4>Steps</h4><div class="scroll"><table><thead><tr><th scope="col">Step</th><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Inputs</th><th scope="col">Outputs</th></tr></thead><tbody>${stepRows.join('')}</tbody></table></div>
<h4>Parameters</h4><div class="scroll">${valueTable(params, { className: 'params' })}</div>
<h4>Metrics</h4><div class="scroll">${Object.keys(metrics).length ? valueTable(metrics, { className: 'metrics' }) : '<p>None.</p>'}</div>
${run.config ? `<details><summary>Resolved config</summary><div class="scroll">${valueTable(flattenObject(run.config), { className: 'config' })}</div></details>` : ''}</article>`;
}

