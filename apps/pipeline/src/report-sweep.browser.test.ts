/// <reference lib="dom" />
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from '@mldp/report';
import { Sweeps, openStore } from '@mldp/store';
import { missingRequirement, tempDir } from '@mldp/testkit';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

/** The sweep section of the report, in Debian's Chromium: sorting by a column, and the charts. */
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(missingRequirement({ for: "the report's sweep section in a browser", programs: [CHROMIUM] }))("the report's sweep section in a browser", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('sorts the jobs by the column clicked, both ways, and draws the metric against each swept parameter', async () => {
    const store = await openStore({ location: join(dir.path, 'store'), project: 'p' });
    const sizes = ['0.3', '0.1', '0.2'];
    const sweep = await new Sweeps(store).create({ overrides: ['data.test_size=0.3,0.1,0.2', 'main.random_seed=1,2'], configFile: 'config.yaml' }, sizes.flatMap((size, i) => ['1', '2'].map((seed, j) => ({ num: i * 2 + j, overrides: [`data.test_size=${size}`, `main.random_seed=${seed}`] }))));
    for (const job of sweep.jobs) {
      const pipeline = await store.runs.start({ kind: 'pipeline', step: 'pipeline' });
      const segregate = await store.runs.start({ step: 'segregate', parent: pipeline.id });
      await segregate.logMetrics({ rows_test: Math.round(Number(job.overrides[0].split('=')[1]) * 1000) + job.num });
      await segregate.finish();
      await pipeline.addChild(segregate.id);
      await pipeline.finish();
      Object.assign(job, { status: 'finished', run: pipeline.id, seconds: 10 - job.num });
    }
    await new Sweeps(store).save(sweep);
    const report = await buildReport(store, join(dir.path, 'report'));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(report.path).href);
      const column = (index: number) => page.locator('#sweeps table.sortable tbody tr').evaluateAll((rows, i) => rows.map((r) => (r as HTMLTableRowElement).cells[i].textContent), index);
      expect(await column(0)).toEqual(['0', '1', '2', '3', '4', '5']);
      await page.locator('#sweeps').getByRole('button', { name: 'segregate.rows_test' }).click();
      expect(await column(5)).toEqual(['102', '103', '204', '205', '300', '301']);
      expect(await page.locator('#sweeps th[aria-sort]').textContent()).toBe('segregate.rows_test');
      await page.locator('#sweeps').getByRole('button', { name: 'segregate.rows_test' }).click();
      expect(await column(5)).toEqual(['301', '300', '205', '204', '103', '102']);
      await page.locator('#sweeps').getByRole('button', { name: 'data.test_size' }).click();
      expect(await column(1)).toEqual(['0.1', '0.1', '0.2', '0.2', '0.3', '0.3']);
      expect(await page.locator('#sweeps svg[aria-label="segregate.rows_test against data.test_size"]').count()).toBe(1);
      expect(await page.locator('#sweeps svg[aria-label="segregate.rows_test against main.random_seed"]').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
