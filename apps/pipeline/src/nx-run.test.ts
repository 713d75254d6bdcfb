import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');

/** Nx's environment for a test: its output style is the workspace's .env's, whatever the shell says. */
function nxEnv(store: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MLDP_STORE: store, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', MLDP_DEBUG: '' };
  delete env.NX_DEFAULT_OUTPUT_STYLE;
  return env;
}

/** The pipeline runs of a store, oldest first. */
async function pipelineRuns(store: string): Promise<{ id: string; status: string; children: string[]; params: { execute_steps: string[] } }[]> {
  const listed = await runNode(MLDP, ['runs', 'list', '--step', 'pipeline', '--json', '--store', store], { cwd: ROOT });
  return JSON.parse(listed.stdout).reverse();
}

/** `nx run-many -t run` when a data check fails: exit 1 (not 130, Ctrl-C's code) and a resume command for every step left. */
describe('the pipeline through Nx', () => {
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

  it('shows the pipeline and records one pipeline run of all four steps, by default', async () => {
    const before = await pipelineRuns(store);
    // No --output-style: the workspace's .env makes Nx show every task's output.
    const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'run', '--', 'data.test_size=0.25'], { cwd: ROOT, env: nxEnv(store), encoding: 'utf8', timeout: 240_000 });
    expect(nx.status, nx.stdout + nx.stderr).toBe(0);
    const runs = await pipelineRuns(store);
    expect(runs).toHaveLength(before.length + 1);
    const pipeline = runs[runs.length - 1];
    expect(pipeline).toMatchObject({ status: 'finished', params: { execute_steps: ['download', 'preprocess', 'check_data', 'segregate'] } });
    expect(nx.stdout).toContain(`pipeline ${pipeline.id} (ml_data_pipeline/dev): download -> preprocess -> check_data -> segregate\n`);
    for (const [i, step] of ['download', 'preprocess', 'check_data'].entries()) expect(nx.stdout).toMatch(new RegExp(`^step ${i + 1}/4: ${step}: cached `, 'm'));
    expect(nx.stdout).toMatch(new RegExp(`^step 4/4: segregate done in [0-9.]+s \\(run ${pipeline.children[0]}\\)$`, 'm'));
    expect(nx.stdout).toMatch(new RegExp(`^pipeline ${pipeline.id} finished in `, 'm'));
    expect(nx.stdout).not.toMatch(/were not shown/);
    // The cached steps are reused runs, the segregate run a child; the split read the reused preprocess output.
    const shown = JSON.parse((await runNode(MLDP, ['runs', 'show', pipeline.id, '--json', '--store', store], { cwd: ROOT })).stdout);
    expect(Object.keys(shown.info.reused)).toEqual(['download', 'preprocess', 'check_data']);
    const split = JSON.parse((await runNode(MLDP, ['runs', 'show', pipeline.children[0], '--json', '--store', store], { cwd: ROOT })).stdout);
    expect(split).toMatchObject({ step: 'segregate', parent: pipeline.id, inputs: ['preprocessed_data.csv:v0'] });
  }, 240_000);

  it('exits 1 on a failing step and names every remaining step in the resume command, keeping the store', async () => {
    const before = await pipelineRuns(store);
    const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'run', '--output-style=static', '--skip-nx-cache', '--', `data.file_url=${drifted}`], { cwd: ROOT, env: nxEnv(store), encoding: 'utf8', timeout: 240_000 });
    expect(nx.status, nx.stdout + nx.stderr).toBe(1);
    expect(nx.stdout).toMatch(/step 3\/4: check_data FAILED/);
    expect(nx.stdout).toContain(`resume from this step with: npx mldp run --store ${store} data.file_url=${drifted} main.execute_steps=[check_data,segregate]`);
    expect(nx.stdout).not.toMatch(/step 4\/4: segregate/);
    const runs = await pipelineRuns(store);
    expect(runs).toHaveLength(before.length + 1);
    const pipeline = runs[runs.length - 1];
    expect(pipeline.status).toBe('failed');
    expect(pipeline.children).toHaveLength(3);
  }, 240_000);
});
