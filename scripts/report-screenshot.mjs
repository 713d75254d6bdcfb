#!/usr/bin/env node
// Makes the README's screenshots of the report (docs/report.png, docs/report-lineage.png) from
// a real store: a fresh store in a temp folder with a few pipeline runs (other data, other
// splits, a drifted file that fails its checks), a sweep of seeds and check-data run alone,
// drawn by Debian's Chromium. Run after `npm run build`: node scripts/report-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'mldp-report-screenshot-'));
const env = { ...process.env, MLDP_STORE: join(work, 'store') };
const mldp = (...args) => {
  try {
    execFileSync(process.execPath, [join(root, 'apps/pipeline/bin/mldp.js'), ...args], { cwd: root, env, stdio: 'ignore' });
  } catch (error) {
    if (error.status !== 1) throw error; // the drifted run fails its checks on purpose
  }
};

try {
  mldp('run');
  mldp('run', 'data.file_url=data/genres_mod2.parquet');
  mldp('run', 'data.test_size=0.2');
  mldp('run', 'main.experiment_name=prod', 'data.val_size=0.2');
  mldp('run', '-m', '--jobs', '2', 'main.experiment_name=seeds', 'main.random_seed=range(1,5)');
  const drifted = join(work, 'drifted.csv');
  const [header, ...rows] = readFileSync(join(root, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
  writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
  mldp('run', `data.file_url=${drifted}`);
  execFileSync(process.execPath, [join(root, 'packages/check-data/bin/mldp-check-data.js'), '--reference-artifact', 'preprocessed_data.csv:v0', '--sample-artifact', 'preprocessed_data.csv:v1'], { cwd: root, env, stdio: 'ignore' });
  mldp('report', '--out', join(work, 'report'));

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(pathToFileURL(join(work, 'report/index.html')).href);
  await page.screenshot({ path: join(root, 'docs/report.png'), fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 1100 } });
  await page.locator('svg.lineage .node[data-node="preprocessed_data.csv:v1"]').click();
  await page.locator('#lineage > .scroll').screenshot({ path: join(root, 'docs/report-lineage.png') });
  await browser.close();
  for (const name of ['report.png', 'report-lineage.png']) process.stdout.write(`docs/${name}: ${statSync(join(root, 'docs', name)).size} bytes\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
