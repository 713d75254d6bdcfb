/// <reference lib="dom" />
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const CHECK_DATA = join(ROOT, 'packages/check-data/bin/mldp-check-data.js');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test-output/report');

interface Run { id: string; step: string; status: string; group: string; parent: string | null }

/**
 * The report of real runs, opened from file:// in Debian's Chromium: a passing pipeline, a sweep
 * of eight seeds in another group, a run failing on drift, and check-data run alone.
 */
describe.skipIf(missingRequirement({ for: 'the report in a browser', programs: [CHROMIUM] }))('the HTML report in a browser', () => {
  const dir = tempDir();
  const env = { MLDP_STORE: join(dir.path, 'store') };
  let browser: Browser;
  let reportPath: string;
  let runs: Run[] = [];
  const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 180_000 });
  const open = async (width = 1280): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(reportPath).href);
    return { page, errors };
  };
  const visibleRuns = (page: Page) => page.locator('#runs-table tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run')));

  beforeAll(async () => {
    expect((await mldp('run')).code).toBe(0);
    expect((await mldp('run', '-m', '--jobs', '2', 'main.experiment_name=seeds', 'main.random_seed=range(1,9)')).code).toBe(0);
    const drifted = join(dir.path, 'drifted.csv');
    const [header, ...rows] = readFileSync(join(ROOT, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
    expect((await mldp('run', `data.file_url=${drifted}`)).code).toBe(1);
    // A step bin run alone: its run and its check report belong in the report too.
    const alone = await runNode(CHECK_DATA, ['--reference-artifact', 'preprocessed_data.csv:v0', '--sample-artifact', 'preprocessed_data.csv:v0', '--report-name', 'alone_report'], { env, cwd: ROOT, timeoutMs: 60_000 });
    expect(alone.code).toBe(0);
    const built = await mldp('report', '--out', join(dir.path, 'report'), '--json');
    reportPath = JSON.parse(built.stdout).path;
    runs = JSON.parse((await mldp('runs', 'list', '--json')).stdout);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    dir.remove();
  });

  it('lists every pipeline run and the step run made alone, with the parameters that differ and key metrics as columns, in one self-contained file', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    expect(statSync(reportPath).size).toBeLessThan(3 * 1024 * 1024);
    expect(readFileSync(reportPath, 'utf8')).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
    const { page, errors } = await open();
    const rows = runs.filter((r) => r.step === 'pipeline' || r.parent === null).map((r) => r.id);
    expect(rows).toHaveLength(11);
    await page.selectOption('#runs-filters select[name="size"]', '50');
    expect(await visibleRuns(page)).toEqual(rows);
    const headers = await page.locator('#runs-table thead th').allTextContents();
    expect(headers.slice(0, 6)).toEqual(['Run', 'Status', 'Group', 'Steps', 'Started (UTC)', 'Duration']);
    // Parameters that differ, by the config's keys: the overrides, the seed, the group, the source,
    // and the report name the check run made alone was given; the same everywhere: not shown.
    expect(headers[6]).toBe('overrides');
    expect(headers.slice(7, 11).sort()).toEqual(['check_data.report_name', 'data.file_url', 'main.experiment_name', 'main.random_seed']);
    expect(headers).toEqual(expect.arrayContaining(['download.size_bytes', 'preprocess.rows_out', 'segregate.rows_train']));
    expect(headers).not.toContain('data.test_size');
    expect(headers.some((h) => h.endsWith('.checks'))).toBe(false);
    expect(headers.some((h) => /ks_|chi2_/.test(h))).toBe(false);
    // Counts and sizes exactly: the drifted CSV's size as written.
    const sizeColumn = headers.indexOf('download.size_bytes');
    const drifted = runs.find((r) => r.step === 'pipeline' && r.status === 'failed')!;
    const size = statSync(join(dir.path, 'drifted.csv')).size;
    expect(await page.locator(`#runs-table tr[data-run="${drifted.id}"]`).evaluate((tr, i) => (tr as HTMLTableRowElement).cells[i].textContent, sizeColumn)).toBe(String(size));
    // The check run made alone is a row, and its checks are in the checks section.
    const alone = runs.find((r) => r.step === 'check_data' && r.parent === null)!;
    expect(await page.locator(`#runs-table tr[data-run="${alone.id}"]`).getAttribute('data-steps')).toBe('check_data');
    expect(await page.locator(`#checks article.check[data-run="${alone.id}"] h3`).textContent()).toMatch(/^Passed: preprocessed_data\.csv:v0 against preprocessed_data\.csv:v0/);
    expect(await page.locator('#checks').textContent()).not.toContain('No data checks yet');
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-1280.png'), fullPage: false });
    expect(errors).toEqual([]);
  });

  it('sorts by any column, both ways, and opens the run that is clicked', async () => {
    const { page, errors } = await open();
    await page.selectOption('#runs-filters select[name="size"]', '50');
    const headers = await page.locator('#runs-table thead th').allTextContents();
    const column = headers.indexOf('main.random_seed');
    const seeds = () => page.locator('#runs-table tbody tr:not([hidden])').evaluateAll((rows, i) => rows.map((r) => (r as HTMLTableRowElement).cells[i].textContent), column);
    await page.locator('#runs-table thead button', { hasText: 'main.random_seed' }).click();
    // Numbers by value (112233 last, not after "1"), and the row without the parameter last.
    expect(await seeds()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '112233', '112233', '']);
    expect(await page.locator('#runs-table th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    await page.locator('#runs-table thead button', { hasText: 'main.random_seed' }).click();
    expect(await seeds()).toEqual(['112233', '112233', '8', '7', '6', '5', '4', '3', '2', '1', '']);
    await page.locator('#runs-table thead button', { hasText: 'Status' }).click();
    expect((await page.locator('#runs-table tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).slice(0, 2)).toEqual(['failed', 'finished']);
    // A click opens the run: its steps, parameters as a table, metrics.
    const seed3 = runs.find((r) => r.step === 'segregate' && r.group === 'seeds')!;
    const pipeline = runs.find((r) => r.id === seed3.parent)!;
    await page.locator(`#runs-table tr[data-run="${pipeline.id}"] td`).first().click();
    const detail = page.locator(`#run-details .run-detail[data-run="${pipeline.id}"]`);
    expect(await detail.isVisible()).toBe(true);
    expect(await page.locator('#run-details .run-detail:not([hidden])').count()).toBe(1);
    expect(await detail.locator('table.params th', { hasText: 'random_seed' }).count()).toBe(1);
    expect(await detail.textContent()).not.toMatch(/\{"/);
    await detail.screenshot({ path: join(SCREENSHOTS, 'run-detail.png') });
    expect(errors).toEqual([]);
  });

  it('filters on status, group and step, searches text, and pages', async () => {
    const { page, errors } = await open();
    const form = '#runs-filters';
    expect(await visibleRuns(page)).toHaveLength(11);
    await page.selectOption(`${form} select[name="size"]`, '10');
    expect(await visibleRuns(page)).toHaveLength(10);
    expect(await page.locator('#runs-page').textContent()).toBe('runs 1-10 of 11 (page 1 of 2)');
    await page.locator('#runs-next').click();
    expect(await visibleRuns(page)).toHaveLength(1);
    expect(await page.locator('#runs-next').isDisabled()).toBe(true);
    await page.selectOption(`${form} select[name="status"]`, 'failed');
    expect(await visibleRuns(page)).toEqual(runs.filter((r) => r.step === 'pipeline' && r.status === 'failed').map((r) => r.id));
    await page.selectOption(`${form} select[name="status"]`, '');
    await page.selectOption(`${form} select[name="group"]`, 'seeds');
    expect(await visibleRuns(page)).toEqual(runs.filter((r) => r.step === 'pipeline' && r.group === 'seeds').map((r) => r.id).slice(0, 10));
    expect(await page.locator('#runs-page').textContent()).toBe('runs 1-8 of 8 (page 1 of 1)');
    await page.selectOption(`${form} select[name="group"]`, '');
    await page.selectOption(`${form} select[name="step"]`, 'segregate');
    expect(await visibleRuns(page)).toHaveLength(9);
    await page.selectOption(`${form} select[name="step"]`, '');
    await page.fill(`${form} input[name="query"]`, 'drifted.csv');
    expect(await visibleRuns(page)).toEqual(runs.filter((r) => r.step === 'pipeline' && r.status === 'failed').map((r) => r.id));
    await page.fill(`${form} input[name="query"]`, 'no such text');
    expect(await visibleRuns(page)).toEqual([]);
    expect(await page.locator('#runs-page').textContent()).toBe('no run matches the filters');
    expect(errors).toEqual([]);
  });

  it('lays the lineage out in layers and highlights the path upstream and downstream of a selected node', async () => {
    const { page, errors } = await open();
    const box = (id: string) => page.locator(`svg.lineage .node[data-node="${id}"]`).evaluate((g) => (g as SVGGElement).getBBox && g.getAttribute('transform'));
    // Left to right: source, raw, preprocessed, then the checks and splits.
    const x = async (id: string) => Number(/translate\(([\d.]+)/.exec((await box(id))!)![1]);
    expect(await x('data/genres_mod1.parquet')).toBeLessThan(await x('raw_data.parquet:v0'));
    expect(await x('raw_data.parquet:v0')).toBeLessThan(await x('preprocessed_data.csv:v0'));
    expect(await x('preprocessed_data.csv:v0')).toBeLessThan(await x('data_train.csv:v0'));
    await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v1"]').click();
    const onPath = await page.locator('svg.lineage .node.on-path').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')).sort());
    // The drifted file's path: its source upstream, its failed check downstream; not the other runs' versions.
    expect(onPath).toEqual(['check_data_report:v1', 'preprocessed_data.csv:v1', 'raw_data.parquet:v1', expect.stringMatching(/drifted\.csv$/)].sort());
    const edges = await page.locator('svg.lineage path.edge.on-path').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}`));
    expect(edges).toHaveLength(3);
    expect(edges).toContain('preprocessed_data.csv:v1 -> check_data_report:v1');
    expect(await page.locator('svg.lineage .node.selected').getAttribute('data-node')).toBe('preprocessed_data.csv:v1');
    // Selecting the reference: downstream it fed every check and split of the runs that read it.
    await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v0"]').click();
    const downstream = await page.locator('svg.lineage .node.on-path').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
    expect(downstream).toEqual(expect.arrayContaining(['data/genres_mod1.parquet', 'raw_data.parquet:v0', 'check_data_report:v1', 'alone_report:v0', 'data_train.csv:v8']));
    expect(downstream).not.toContain('raw_data.parquet:v1');
    await page.locator('#lineage').screenshot({ path: join(SCREENSHOTS, 'lineage-path.png') });
    expect(errors).toEqual([]);
  });

  it("shows a table artifact's data profile from the statistics preprocess recorded", async () => {
    const { page, errors } = await open();
    const manifest = JSON.parse((await mldp('artifacts', 'show', 'preprocessed_data.csv:v0', '--json')).stdout);
    await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v0"]').click();
    const detail = page.locator('#details .artifact-detail[data-artifact="preprocessed_data.csv:v0"]');
    expect(await detail.isVisible()).toBe(true);
    const profile = detail.locator('table.profile');
    expect(await profile.locator('caption').textContent()).toBe(`Data profile: 21044 rows, ${manifest.metadata.columns.length} columns`);
    for (const column of manifest.metadata.columns as Array<{ name: string; type: string; nulls: number; min?: number; max?: number }>) {
      const cells = await profile.locator(`tr[data-column="${column.name}"] > *`).allTextContents();
      expect(cells.slice(0, 3), column.name).toEqual([column.name, column.type, String(column.nulls)]);
      if (column.min !== undefined) expect(Number(cells[4]), column.name).toBe(column.min);
      if (column.max !== undefined) expect(Number(cells[5]), column.name).toBe(column.max);
    }
    // Numbers get a histogram of 20 bins whose counts sum to the rows; labels their top values.
    const tempo = await profile.locator('tr[data-column="tempo"] svg.histogram rect title').allTextContents();
    expect(tempo).toHaveLength(20);
    expect(tempo.reduce((sum, t) => sum + Number(/: (\d+) rows$/.exec(t)![1]), 0)).toBe(21044);
    const genres = await profile.locator('tr[data-column="genre"] ol.top-values li').allTextContents();
    expect(genres[0]).toMatch(/^Underground Rap \d+$/);
    expect(genres.at(-1)).toMatch(/^others \d+$/);
    const counted = genres.reduce((sum, g) => sum + Number(/(\d+)$/.exec(g)![1]), 0);
    expect(counted).toBe(21044);
    // Metadata as tables, sizes exact: per_class of a split is a table, not JSON.
    await page.locator('svg.lineage .node[data-node="data_train.csv:v0"]').click();
    const split = page.locator('#details .artifact-detail[data-artifact="data_train.csv:v0"]');
    expect(await split.locator('table.metadata table.nested th', { hasText: 'Dark Trap' }).count()).toBe(1);
    expect(await split.textContent()).not.toMatch(/[{}]/);
    const train = JSON.parse((await mldp('artifacts', 'show', 'data_train.csv:v0', '--json')).stdout);
    expect(await split.textContent()).toContain(`${train.files[0].size} B`);
    await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v0"]').click();
    await profile.screenshot({ path: join(SCREENSHOTS, 'data-profile.png') });
    expect(errors).toEqual([]);
  });

  it("charts any metric over the runs, each column's KS D first", async () => {
    const { page, errors } = await open();
    expect(await page.locator('#metric-choice').inputValue()).toBe('check_data.ks_*_statistic');
    expect(await page.locator('#metrics figure:not([hidden])').count()).toBe(1);
    expect(await page.locator('#metrics figure:not([hidden]) svg').getAttribute('aria-label')).toBe("check_data: each column's KS D over the runs");
    await page.selectOption('#metric-choice', 'segregate.rows_train');
    expect(await page.locator('#metrics figure:not([hidden])').getAttribute('data-metric')).toBe('segregate.rows_train');
    expect(errors).toEqual([]);
  });

  it('keeps the page from scrolling sideways at 390 px, and the charts at their own size at 1280 px', async () => {
    const { page, errors } = await open(390);
    await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v0"]').click();
    await page.locator('#runs-table tbody tr').first().click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The runs table reflows into cards: no cell is wider than the screen.
    expect(await page.locator('#runs-table').evaluate((t) => t.getBoundingClientRect().width)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-390.png'), fullPage: true });
    const wide = await open(1280);
    // The split chart is drawn at its own width, so its text is the size of the other charts' text.
    const sizes = await wide.page.locator('figure svg[role="img"]').evaluateAll((svgs) => svgs.filter((s) => s.getBoundingClientRect().width > 0).map((s) => s.getBoundingClientRect().width / Number(s.getAttribute('width'))));
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.filter((scale) => Math.abs(scale - 1) > 0.01)).toEqual([]);
    await wide.page.screenshot({ path: join(SCREENSHOTS, 'report-1280.png'), fullPage: true });
    expect([...errors, ...wide.errors]).toEqual([]);
  });

  it('is accessible: headings, table headers and titled plots', async () => {
    const { page } = await open();
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('h2').allTextContents()).toEqual(['Runs', 'Metrics across runs', 'Lineage', 'Data checks', 'Splits', 'Sweeps', 'Artifacts', 'Compare runs']);
    expect(await page.locator('svg[role="img"]:not(:has(title))').count()).toBe(0);
    expect(await page.locator('table th[scope]').count()).toBeGreaterThan(20);
  });

  it('serves the report on 127.0.0.1 with --serve', async () => {
    const child = spawn(process.execPath, [MLDP, 'report', '--serve'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      for (let i = 0; i < 600 && !/serving the report at (\S+)/.test(stdout); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /serving the report at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
      expect(url).toBeDefined();
      const response = await fetch(url!);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/<h1>mldp report: ml_data_pipeline<\/h1>/);
      expect((await fetch(`${url}../etc/passwd`)).status).toBe(404);
    } finally {
      child.kill();
    }
  });
});
