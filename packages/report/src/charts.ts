import * as vega from 'vega';
import * as vl from 'vega-lite';
import { escapeAttribute, escapeText } from './html-kit.js';

/**
 * Plots are Vega-Lite specs rendered to SVG by Vega's headless SVG renderer when the report is
 * built: no DOM and no canvas needed, about 70 ms and 13 KB per plot here. (Observable Plot
 * needs a server-side DOM such as jsdom for the same result.) The SVG gets a <title> for
 * screen readers.
 */
export async function renderChart(spec: vl.TopLevelSpec, title: string): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile({ ...spec, config: CHART_CONFIG } as vl.TopLevelSpec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  // The SVG keeps its own width (CSS lets it shrink, never grow), so its text stays the page's size.
  return svg.replace(/^<svg([^>]*)>/, (_, attributes: string) => `<svg${attributes} role="img" aria-label="${escapeAttribute(title)}"><title>${escapeText(title)}</title>`);
}

/** Every chart in the page's font and sizes (the page's body text is 15 px, table text 14 px). */
const CHART_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13, fontWeight: 'bold' },
} as const;

const WIDTH = 320;

/** Reference and sample as overlaid step histograms on common bins. */
export function histogramSpec(column: string, histogram: { edges: number[]; reference: number[]; sample: number[] }, failed: boolean): vl.TopLevelSpec {
  const values = (['reference', 'sample'] as const).flatMap((dataset) =>
    histogram[dataset].map((count, i) => {
      const total = histogram[dataset].reduce((a, b) => a + b, 0) || 1;
      return { dataset, start: histogram.edges[i], end: histogram.edges[i + 1], share: count / total };
    }),
  );
  return {
    width: WIDTH,
    height: 140,
    title: { text: column, color: failed ? '#b00020' : '#222' },
    data: { values },
    mark: { type: 'bar', opacity: 0.45, binSpacing: 0 },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: column },
      x2: { field: 'end' },
      y: { field: 'share', type: 'quantitative', stack: null, title: 'share of rows' },
      color: { field: 'dataset', type: 'nominal', scale: { domain: ['reference', 'sample'], range: ['#4c78a8', '#f58518'] }, title: null },
    },
  };
}

/** Class shares of reference and sample side by side. */
export function classSpec(column: string, reference: Record<string, number>, sample: Record<string, number>): vl.TopLevelSpec {
  const share = (counts: Record<string, number>) => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
    return Object.entries(counts).map(([label, count]) => ({ label, share: count / total }));
  };
  const values = [...share(reference).map((v) => ({ ...v, dataset: 'reference' })), ...share(sample).map((v) => ({ ...v, dataset: 'sample' }))];
  return {
    width: WIDTH,
    height: { step: 9 },
    title: `${column}: class frequencies`,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', title: null },
      yOffset: { field: 'dataset' },
      x: { field: 'share', type: 'quantitative', title: 'share of rows' },
      color: { field: 'dataset', type: 'nominal', scale: { domain: ['reference', 'sample'], range: ['#4c78a8', '#f58518'] }, title: null },
    },
  };
}

/** Rows per class in each split, side by side. */
export function splitSpec(splits: Record<string, Record<string, number>>): vl.TopLevelSpec {
  const values = Object.entries(splits).flatMap(([split, counts]) => Object.entries(counts).map(([label, rows]) => ({ split, label, rows })));
  return {
    width: WIDTH,
    height: { step: 8 },
    title: 'rows per class in each split',
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', title: null },
      yOffset: { field: 'split' },
      x: { field: 'rows', type: 'quantitative', title: 'rows' },
      color: { field: 'split', type: 'nominal', scale: { domain: ['train', 'val', 'test'], range: ['#54a24b', '#eeca3b', '#e45756'] }, title: null },
    },
  };
}

/** A metric of a sweep's jobs against one swept parameter: numbers on a numeric axis, anything else in order. */
export function sweepSpec(parameter: string, metric: string, points: Array<{ value: string; metric: number; job: number }>): vl.TopLevelSpec {
  const numeric = points.every((p) => p.value.trim() !== '' && Number.isFinite(Number(p.value)));
  return {
    width: WIDTH,
    height: 160,
    title: `${metric} against ${parameter}`,
    data: { values: points.map((p) => ({ ...p, x: numeric ? Number(p.value) : p.value })) },
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      x: { field: 'x', type: numeric ? 'quantitative' : 'ordinal', title: parameter, scale: numeric ? { zero: false } : undefined },
      y: { field: 'metric', type: 'quantitative', title: metric, scale: { zero: false } },
      tooltip: [{ field: 'job', title: 'job' }, { field: 'value', title: parameter }, { field: 'metric', title: metric }],
    },
  };
}
