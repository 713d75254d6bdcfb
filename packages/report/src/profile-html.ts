import { formatNumber } from './format.js';
import { escapeAttribute as attr, escapeText as text } from './html-kit.js';
import type { ColumnProfile } from './profile.js';

/** A table artifact's data profile: a row per column with its statistics and its distribution. */
export function profileTableHtml(ref: string, profile: ColumnProfile[]): string {
  const heads = ['column', 'type', 'nulls', 'distinct', 'min', 'max', 'mean', 'std', 'distribution'].map((h) => `<th scope="col">${h}</th>`).join('');
  const number = (value: number | undefined) => `<td class="num">${value === undefined ? '' : formatNumber(value)}</td>`;
  const rows = profile.map((c) => `<tr data-column="${attr(c.name)}"><th scope="row">${text(c.name)}</th><td>${text(c.type)}</td>${number(c.nulls)}${number(c.distinct)}${number(c.min)}${number(c.max)}${number(c.mean)}${number(c.std)}<td>${distribution(c)}</td></tr>`);
  return `<div class="scroll"><table class="profile" data-artifact="${attr(ref)}"><caption>Data profile: ${profile[0]?.rows ?? 0} rows, ${profile.length} columns</caption><thead><tr>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function distribution(column: ColumnProfile): string {
  if (column.histogram) return histogramSvg(column.name, column.histogram);
  if (column.top) return topValues(column.top);
  return '';
}

const WIDTH = 120;
const HEIGHT = 28;

/**
 * A column's histogram as a small inline SVG, one per table cell as W&B Tables draws them: a
 * few hundred bytes of rectangles, where a Vega chart would be some 13 KB per column.
 */
export function histogramSvg(column: string, { edges, counts }: { edges: number[]; counts: number[] }): string {
  const most = Math.max(...counts) || 1;
  const bar = WIDTH / counts.length;
  const bars = counts.map((count, i) => {
    const h = count === 0 ? 0 : Math.max(1, Math.round((count / most) * HEIGHT));
    return `<rect x="${(i * bar).toFixed(1)}" y="${HEIGHT - h}" width="${Math.max(1, bar - 1).toFixed(1)}" height="${h}"><title>${formatNumber(edges[i])} to ${formatNumber(edges[i + 1])}: ${count} rows</title></rect>`;
  });
  const label = `histogram of ${column}: ${formatNumber(edges[0])} to ${formatNumber(edges[edges.length - 1])} in ${counts.length} bins`;
  return `<svg class="histogram" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${attr(label)}"><title>${text(label)}</title>${bars.join('')}</svg>`;
}

function topValues(top: NonNullable<ColumnProfile['top']>): string {
  const items = top.values.map((v) => `<li><span class="value">${text(v.value)}</span> <span class="count">${v.count}</span></li>`);
  if (top.others > 0) items.push(`<li class="others">others <span class="count">${top.others}</span></li>`);
  return `<ol class="top-values">${items.join('')}</ol>`;
}
