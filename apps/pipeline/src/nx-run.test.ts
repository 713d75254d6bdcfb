import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');

/** `nx run-many -t run` when a data check fails: exit 1 (not 130, Ctrl-C's code) and a resume command for every step left. */
describe('the pipeline through Nx when a step fails', () => {
  const dir = tempDir();
  const store = join(dir.path, 'store');
  const drifted = join(dir.path, 'drifted.csv');
  beforeAll(async () => {
    // A passing run makes the reference; a copy of the data with one column scaled then drifts from it.
    expect((await runNode(MLDP, ['run', '--store', store], { cwd: ROOT, timeoutMs: 120_000 })).code).toBe(0);
    const [header, ...rows] = readFileSync(join(ROOT, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
  }, 120_000);
  afterAll(() => dir.remove());

  it('exits 1 and names every remaining step in the resume command, keeping the store', () => {
    const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'run', '--output-style=static', '--skip-nx-cache', '--', `data.file_url=${drifted}`], {
      cwd: ROOT,
      env: { ...process.env, MLDP_STORE: store, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', MLDP_DEBUG: '' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(nx.status, nx.stdout + nx.stderr).toBe(1);
    expect(nx.stdout).toMatch(/step 1\/1: check_data FAILED/);
    expect(nx.stdout).toContain(`resume from this step with: npx mldp run --store ${store} data.file_url=${drifted} main.execute_steps=[check_data,segregate]`);
    expect(nx.stdout).not.toMatch(/step 1\/1: segregate/);
  }, 240_000);
});
