#!/usr/bin/env node
// `npm run bench:sweep -- [--rows N] [--jobs N] [--json]`: an 8-job sweep over segregate's
// parameters (test_size x val_size x random_seed, 2x2x2) on a generated songs-like CSV of N rows
// (default 1M), timed three ways, each on a fresh store:
//   sweep     `mldp run --multirun --jobs N ...`: upstream steps once, 8 segregates in parallel;
//   separate  the 8 jobs as 8 `mldp run`s one after another, as by hand (the cache reuses upstream);
//   ideal     upstream once, then 8 bare `mldp-segregate` processes N at a time: no orchestration.
// It prints the wall times and the ratios sweep/ideal and separate/sweep.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { songsFile } from './generate.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, jobs: { type: 'string' }, json: { type: 'boolean', default: false } } });
const rows = Number(values.rows);
const parallel = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
if (!Number.isInteger(rows) || rows < 10 || !Number.isInteger(parallel) || parallel < 1) {
  process.stderr.write('error: --rows must be a whole number >= 10 and --jobs >= 1\n');
  process.exit(2);
}
const log = (line) => values.json || process.stderr.write(`${line}\n`);
const MLDP = join(root, 'apps/pipeline/bin/mldp.js');
const SEGREGATE = join(root, 'packages/segregate/bin/mldp-segregate.js');

log(`bench:sweep: generating ${rows.toLocaleString('en-US')} rows (cached in bench/.cache) ...`);
const sample = await songsFile(join(root, 'bench/.cache'), rows, 1, join(root, 'data/genres_mod1.csv'));
const common = [`data.file_url=${sample}`, 'main.experiment_name=bench_sweep'];
const swept = ['data.test_size=0.2,0.25', 'data.val_size=0.1,0.15', 'main.random_seed=1,2'];

function freshStore() {
  const dir = mkdtempSync(join(tmpdir(), 'mldp-bench-sweep-'));
  return { dir, env: { ...process.env, MLDP_STORE: join(dir, 'store'), CI: 'true' } };
}

function run(script, args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolvePromise(output) : reject(new Error(`${script} ${args.join(' ')} failed (exit ${code}):\n${output}`))));
  });
}

async function timed(label, body) {
  const { dir, env } = freshStore();
  try {
    log(`bench:sweep: ${label} ...`);
    const started = process.hrtime.bigint();
    await body(env);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const jobs = JSON.parse(spawnSync(process.execPath, [MLDP, 'run', '-m', '--dry-run', '--json', ...common, ...swept], { cwd: root, encoding: 'utf8' }).stdout);

const sweep = await timed(`the sweep (${jobs.length} jobs, ${parallel} at a time)`, (env) => run(MLDP, ['run', '-m', '--jobs', String(parallel), ...common, ...swept], env));

const separate = await timed(`${jobs.length} separate pipeline runs`, async (env) => {
  for (const job of jobs) await run(MLDP, ['run', ...job.overrides], env);
});

const ideal = await timed(`the ideal: upstream once, then ${jobs.length} segregates ${parallel} at a time`, async (env) => {
  await run(MLDP, ['run', ...common, 'main.execute_steps=[download,preprocess,check_data]'], env);
  const queue = jobs.map((job) => Object.fromEntries(job.overrides.map((o) => o.split('='))));
  const worker = async () => {
    for (let values = queue.shift(); values; values = queue.shift()) {
      await run(SEGREGATE, ['--input-artifact', 'preprocessed_data.csv:latest', '--artifact-prefix', 'data', '--artifact-type', 'segregated_data', '--test-size', values['data.test_size'], '--val-size', values['data.val_size'], '--random-seed', values['main.random_seed'], '--stratify', 'genre'], { ...env, MLDP_PROJECT: 'ml_data_pipeline' });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
});

const result = { rows, jobs: jobs.length, parallel, seconds: { sweep, separate, ideal }, ratios: { sweep_over_ideal: sweep / ideal, separate_over_sweep: separate / sweep } };
if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  process.stdout.write(`${jobs.length}-job sweep over segregate's parameters, ${rows.toLocaleString('en-US')} rows, ${parallel} at a time:\n`);
  process.stdout.write(`  sweep     ${sweep.toFixed(1)} s\n  separate  ${separate.toFixed(1)} s\n  ideal     ${ideal.toFixed(1)} s\n`);
  process.stdout.write(`  sweep / ideal = ${result.ratios.sweep_over_ideal.toFixed(2)}, separate / sweep = ${result.ratios.separate_over_sweep.toFixed(2)}\n`);
}
