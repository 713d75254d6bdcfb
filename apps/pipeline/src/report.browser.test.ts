/// <reference lib="dom" />
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test-output');

/** The report of a real passing run and a real run failing on drift, opened from file:// in Debian's Chromium. */
describe.skipIf(missingRequirement({ for: 'the report in a browser', programs: [CHROMIUM] }))('the HTML report in a browser', () => {
  const dir = tempDir();
  const env = { MLDP_STORE: join(dir.path, 'store') };
  let browser: Browser;
  let reportPath: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 120_000 });
    const passing = await mldp('run');
    expect(passing.code).toBe(0);
    expect(passing.stdout).toMatch(/^report: .*index.html/m);
    const drifted = join(dir.path, 'drifted.csv');
    const [header, ...rows] = readFileSync(join(ROOT, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
    expect((await mldp('run', `data.file_url=${drifted}`)).code).toBe(1);
    const built = await mldp('report', '--out', join(dir.path, 'report'), '--json');
    reportPath = JSON.parse(built.stdout).path;
    runIds.push(...JSON.parse((await mldp('runs', 'list', '--step', 'pipeline', '--json')).stdout).map((r: { id: string }) => r.id));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    dir.remove();
  });

  it('shows runs, lineage, checks with a plot per KS column, and artifact details, without console errors', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    expect(statSync(reportPath).size).toBeLessThan(2 * 1024 * 1024);
    const html = readFileSync(reportPath, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(reportPath).href);

    // Runs: both, latest first, with their status.
    expect(await page.locator('table.runs tbody tr[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run')))).toEqual(runIds);
    expect(await page.locator(`tr[data-run="${runIds[0]}"] .badge`).first().textContent()).toBe('failed');

    // Lineage: from the source file to the splits, and the drifted file to its failed check.
    const nodes = await page.locator('svg.lineage .node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
    expect(nodes).toEqual(expect.arrayContaining(['data/genres_mod1.parquet', 'raw_data.parquet:v0', 'preprocessed_data.csv:v0', 'check_data_report:v0', 'data_train.csv:v0', 'data_val.csv:v0', 'data_test.csv:v0', 'raw_data.parquet:v1', 'preprocessed_data.csv:v1', 'check_data_report:v1']));
    const edges = await page.locator('svg.lineage line.edge').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}`));
    expect(edges).toEqual(expect.arrayContaining([
      'data/genres_mod1.parquet -> raw_data.parquet:v0',
      'raw_data.parquet:v0 -> preprocessed_data.csv:v0',
      'preprocessed_data.csv:v0 -> check_data_report:v0',
      'preprocessed_data.csv:v0 -> data_train.csv:v0',
      'preprocessed_data.csv:v1 -> check_data_report:v1',
      'preprocessed_data.csv:v0 -> check_data_report:v1',
    ]));

    // Checks: every KS column has a plot; only danceability failed, and it comes first, marked.
    const failing = page.locator(`article.check[data-run="${runIds[0]}"]`);
    const columns = await failing.locator('figure.ks').evaluateAll((els) => els.map((e) => [e.getAttribute('data-column'), e.classList.contains('failed'), e.querySelector('svg title')?.textContent ?? '']));
    expect(columns).toHaveLength(10);
    expect(columns[0]).toEqual(['danceability', true, 'danceability: reference and sample distributions']);
    expect(columns.slice(1).every(([, failed, title]) => !failed && title !== '')).toBe(true);
    expect(await failing.locator('figure.ks.failed figcaption').textContent()).toMatch(/^FAILED danceability: D=0\.18\d+, p=0 ≤ alpha'=0\.00511/);
    expect(await failing.locator('figure.categorical svg').count()).toBe(1);
    expect(await page.locator('#splits figure svg').count()).toBe(1);

    // Clicking an artifact shows its details.
    await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v0"]').click();
    const details = await page.locator('#details').textContent();
    expect(details).toMatch(/preprocessed_data\.csv:v0 \(preprocessed_data\)/);
    expect(details).toMatch(/rows_out21044/);
    expect(await page.locator('#details table.columns tr').count()).toBe(18);

    // Comparing the two runs shows their parameter differences.
    expect(await page.locator('#compare-result').textContent()).toMatch(/parameter data\.file_url.*drifted\.csv.*data\/genres_mod1\.parquet/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-390.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('is accessible: headings, table headers and titled plots', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(reportPath).href);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('h2').allTextContents()).toEqual(['Pipeline runs', 'Lineage', 'Data checks', 'Splits', 'Sweeps', 'Artifacts', 'Compare runs']);
    expect(await page.locator('svg[role="img"]:not(:has(title))').count()).toBe(0);
    expect(await page.locator('table th[scope]').count()).toBeGreaterThan(20);
  });

  it('serves the report on 127.0.0.1 with --serve', async () => {
    const child = spawn(process.execPath, [MLDP, 'report', '--serve'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      for (let i = 0; i < 200 && !/serving the report at (\S+)/.test(stdout); i++) await new Promise((resolve) => setTimeout(resolve, 50));
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
