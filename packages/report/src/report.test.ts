import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sweeps, openStore } from '@mldp/store';
import { tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReport } from './build.js';
import { histogramSpec, renderChart } from './charts.js';
import { lineageGraphOf } from './lineage.js';
import { loadModel } from './model.js';

describe('report', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  /** A two-step pipeline recorded through the store library, as the orchestrator records one. */
  async function recordPipeline(project = 'p', cell = '<x>') {
    const store = await openStore({ location: join(dir.path, 'store'), project });
    const pipeline = await store.runs.start({ kind: 'pipeline', step: 'pipeline', group: 'dev', config: { data: { file_url: 'songs.csv' } } });
    const download = await store.runs.start({ step: 'download', parent: pipeline.id, params: { file_url: 'songs.csv' } });
    writeFileSync(join(dir.path, 'songs.csv'), `a,b\n1,${cell}\n`);
    await store.logArtifact({ name: 'raw.csv', type: 'raw_data', files: [{ path: join(dir.path, 'songs.csv') }] }, download);
    await download.finish();
    const clean = await store.runs.start({ step: 'preprocess', parent: pipeline.id });
    await clean.useArtifact('raw.csv:v0');
    await store.logArtifact({ name: 'clean.csv', type: 'preprocessed_data', files: [{ path: join(dir.path, 'songs.csv') }], metadata: { rows_out: 1 } }, clean);
    await clean.finish();
    await pipeline.addChild(download.id);
    await pipeline.addChild(clean.id);
    await pipeline.finish();
    return store;
  }

  it('traces the lineage from the source through each step', async () => {
    const model = await loadModel(await recordPipeline());
    expect(model.pipelines).toHaveLength(1);
    expect(model.pipelines[0].steps.map((s) => s.step)).toEqual(['download', 'preprocess']);
    const graph = lineageGraphOf(model);
    expect(graph.nodes.map((n) => [n.id, n.type, n.layer])).toEqual([
      ['songs.csv', 'source', 0],
      ['raw.csv:v0', 'raw_data', 1],
      ['clean.csv:v0', 'preprocessed_data', 2],
    ]);
    expect(graph.edges).toEqual([
      { from: 'songs.csv', to: 'raw.csv:v0', step: 'download' },
      { from: 'raw.csv:v0', to: 'clean.csv:v0', step: 'preprocess' },
    ]);
  });

  it("shows only its project's runs, and lineage nodes open that project's artifacts", async () => {
    // Two projects in one store, with the same artifact names and labels but other content.
    const other = await recordPipeline('q', 'other');
    const store = await recordPipeline('p');
    const model = await loadModel(store);
    expect(model.pipelines.map(({ run }) => run.project)).toEqual(['p']);
    expect(model.pipelines[0].steps.map((s) => s.project)).toEqual(['p', 'p']);
    const raw = model.artifacts.find((a) => a.name === 'raw.csv')!.versions[0];
    expect(raw.digest).toBe((await store.artifacts.resolve('raw.csv:v0')).digest);
    expect(raw.digest).not.toBe((await other.artifacts.resolve('raw.csv:v0')).digest);
    const html = readFileSync((await buildReport(store, join(dir.path, 'out'))).path, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="mldp-data">(.*?)<\/script>/s.exec(html)![1]);
    const [qPipeline] = await other.runs.list({ kind: 'pipeline' });
    expect(html).not.toContain(qPipeline.id);
    // Every node of the graph that is an artifact opens the details of this project's version.
    const nodes = [...html.matchAll(/data-node="([^"]+)" data-type="([^"]+)"/g)].filter(([, , type]) => type !== 'source').map(([, id]) => id);
    expect(nodes.sort()).toEqual(['clean.csv:v0', 'raw.csv:v0']);
    const details = (id: string) => new RegExp(`<article class="artifact-detail" data-artifact="${id}" hidden>(.*?)</article>`, 's').exec(html)?.[1] ?? '';
    for (const id of nodes) expect(details(id)).toContain((await store.artifacts.resolve(id)).digest);
    expect(html).not.toContain((await other.artifacts.resolve('raw.csv:v0')).digest);
    expect(JSON.stringify(data)).not.toContain(qPipeline.id);
  });

  it('shows a step run made alone as a row of its own, with its check report, and counts it apart from the pipelines', async () => {
    const store = await recordPipeline();
    const alone = await store.runs.start({ step: 'check_data', params: { ks_alpha: 0.05 } });
    const report = { passed: true, alpha: 0.05, alphaPrime: 0.005, sample: 'clean.csv:v0', reference: 'clean.csv:v0', tests: [{ name: 'test_x', passed: true, message: 'ok' }], ks: [], categorical: [] };
    writeFileSync(join(dir.path, 'report.json'), JSON.stringify(report));
    await alone.useArtifact('clean.csv:v0');
    await store.logArtifact({ name: 'check_report', type: 'data_check', files: [{ path: join(dir.path, 'report.json') }] }, alone);
    await alone.finish();
    const model = await loadModel(store);
    expect(model.pipelines.map(({ run, steps }) => [run.step, steps.map((s) => s.id)])).toEqual([['check_data', [alone.id]], ['pipeline', expect.any(Array)]]);
    expect(model.checks[alone.id]).toMatchObject({ artifact: 'check_report:v0', passed: true });
    expect((await loadModel(store, { run: alone.id })).pipelines).toHaveLength(1);
    const built = await buildReport(store, join(dir.path, 'out'));
    expect([built.pipelines, built.runs]).toEqual([1, 2]);
    const html = readFileSync(built.path, 'utf8');
    expect(html).toContain(`<article class="check" data-run="${alone.id}"`);
    expect(html).not.toContain('No data checks yet');
  });

  it('writes a report of an empty store that says what is missing', async () => {
    const store = await openStore({ location: join(dir.path, 'store'), project: 'p' });
    const built = await buildReport(store, join(dir.path, 'out'));
    expect([built.pipelines, built.runs]).toEqual([0, 0]);
    const html = readFileSync(built.path, 'utf8');
    for (const empty of ['No metrics yet.', 'No artifacts yet.', 'No data checks yet.', 'No splits yet.']) expect(html).toContain(empty);
    expect(html).toMatch(/<tbody><\/tbody><\/table><\/div>\n<nav class="pager"/);
  });

  it('reports one run, or names a run that does not exist', async () => {
    const store = await recordPipeline();
    const [pipeline] = await store.runs.list({ kind: 'pipeline' });
    expect((await loadModel(store, { run: pipeline.id })).pipelines).toHaveLength(1);
    expect((await loadModel(store, { group: 'other' })).pipelines).toHaveLength(0);
    await expect(loadModel(store, { run: '20200101-000000000-abcdef' })).rejects.toThrow(/run "20200101-000000000-abcdef" does not exist/);
  });

  it('writes one self-contained HTML file with escaped content', async () => {
    const built = await buildReport(await recordPipeline(), join(dir.path, 'out'));
    const html = readFileSync(built.path, 'utf8');
    expect(built.pipelines).toBe(1);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-node="raw.csv:v0"');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).not.toContain('<x>');
  });

  it('shows a sweep: its jobs with the swept values, status and key metrics, sortable, and a metric against each swept parameter', async () => {
    const store = await openStore({ location: join(dir.path, 'store'), project: 'p' });
    const overrides = [
      ['data.test_size=0.2', 'data.val_size=0.1', 'main.random_seed=1'],
      ['data.test_size=0.2', 'data.val_size=0.2', 'main.random_seed=1'],
      ['data.test_size=0.3', 'data.val_size=0.1', 'main.random_seed=1'],
    ];
    const sweep = await new Sweeps(store).create({ overrides: ['data.test_size=0.2,0.3', 'data.val_size=0.1,0.2', 'main.random_seed=1'], configFile: 'config.yaml' }, overrides.map((o, num) => ({ num, overrides: o })));
    for (const [i, job] of sweep.jobs.entries()) {
      if (i === 2) {
        job.status = 'failed';
        continue;
      }
      const pipeline = await store.runs.start({ kind: 'pipeline', step: 'pipeline' });
      const segregate = await store.runs.start({ step: 'segregate', parent: pipeline.id });
      await segregate.logMetrics({ rows_test: 100 + 10 * i, rows_train: 900 - 10 * i });
      await segregate.finish();
      await pipeline.addChild(segregate.id);
      await pipeline.finish();
      Object.assign(job, { status: 'finished', run: pipeline.id, seconds: 2.5 + i });
    }
    await new Sweeps(store).save(sweep);

    const model = await loadModel(store);
    expect(model.sweeps).toHaveLength(1);
    expect(model.sweeps[0].swept).toEqual(['data.test_size', 'data.val_size']);
    expect(model.sweeps[0].jobs.map((j) => [j.status, j.metrics['segregate.rows_test']])).toEqual([['finished', 100], ['finished', 110], ['failed', undefined]]);

    const html = readFileSync((await buildReport(store, join(dir.path, 'out'), { sweepMetric: 'segregate.rows_train' })).path, 'utf8');
    const section = html.slice(html.indexOf('<section id="sweeps"'), html.indexOf('</section>', html.indexOf('<section id="sweeps"')));
    expect(section).toContain(`Sweep ${sweep.id}: 3 jobs`);
    const headers = [...section.matchAll(/<button type="button" class="link" data-sort>([^<]+)<\/button>/g)].map((m) => m[1]);
    expect(headers).toEqual(['job', 'data.test_size', 'data.val_size', 'status', 'seconds', 'segregate.rows_test', 'segregate.rows_train']);
    expect(section).toContain('<td data-value="0.3">0.3</td>');
    expect(section).toContain('<span class="badge failed">failed</span>');
    expect(section).toContain('<td data-value="890">890</td>');
    expect(section).toMatch(/<svg[^>]* aria-label="segregate.rows_train against data.test_size">/);
    expect(section).toMatch(/<svg[^>]* aria-label="segregate.rows_train against data.val_size">/);
    expect(html).toContain("table.sortable button[data-sort]");
  });

  it('renders a plot to SVG with a title for screen readers', async () => {
    const svg = await renderChart(histogramSpec('tempo', { edges: [0, 1, 2], reference: [3, 1], sample: [1, 3] }, true), 'tempo & co');
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-label="tempo &amp; co"><title>tempo &amp; co<\/title>/);
    expect(svg).toContain('</svg>');
  });
});
