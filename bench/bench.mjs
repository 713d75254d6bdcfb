#!/usr/bin/env node
// The benchmark: `npm run bench -- --rows N [--json] [--no-pandas] [--no-parquet]`. Generates (and caches) a
// songs-like CSV of N rows and a reference of the same size, runs download, preprocess,
// check_data and segregate each as its own process through a fresh store, as the orchestrator
// does, and prints wall time, peak RSS and MB/s per step; beside it, the original pandas pipeline
// (../shared/bench/reference_pipeline.py) on the same files when python3 has pandas, and
// preprocess of the same rows from a Parquet file (--no-parquet skips it; it is built in memory).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../packages/store/dist/index.js';
import { songsFile, songsParquet } from './generate.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean', default: false }, 'no-pandas': { type: 'boolean', default: false }, 'no-parquet': { type: 'boolean', default: false } },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 10) {
  process.stderr.write(`error: --rows must be a whole number >= 10, got ${values.rows}\n`);
  process.exit(2);
}
const seed = Number(values.seed);
const log = (line) => values.json || process.stderr.write(`${line}\n`);
const cache = join(root, 'bench/.cache');

log(`bench: generating ${rows.toLocaleString('en-US')} rows (cached in bench/.cache) ...`);
const sample = await songsFile(cache, rows, seed, join(root, 'data/genres_mod1.csv'));
const reference = await songsFile(cache, rows, seed + 1000, join(root, 'data/genres_mod1.csv'));
const sizeMb = statSync(sample).size / 1e6;
const store = mkdtempSync(join(tmpdir(), 'mldp-bench-'));
// The project as the orchestrator names it to each step (else a step reads config.yaml for it).
const env = { ...process.env, MLDP_STORE: store, MLDP_PROJECT: 'bench', CI: 'true' };
const bins = {
  download: join(root, 'packages/download/bin/mldp-download.js'),
  preprocess: join(root, 'packages/preprocess/bin/mldp-preprocess.js'),
  check_data: join(root, 'packages/check-data/bin/mldp-check-data.js'),
  segregate: join(root, 'packages/segregate/bin/mldp-segregate.js'),
};
const hasTime = existsSync('/usr/bin/time');

/** Runs one step as its own process; returns wall seconds, peak RSS in MB and the exit code. */
function measure(step, args) {
  const command = hasTime ? ['/usr/bin/time', '-f', 'MLDP_BENCH %e %M', process.execPath, bins[step], ...args] : [process.execPath, bins[step], ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const line = /MLDP_BENCH ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 && !(step === 'check_data' && result.status === 1)) {
    throw new Error(`${step} failed (exit ${result.status}): ${result.stderr}`);
  }
  return { step, wall_s: wall, peak_rss_mb: line ? Number(line[2]) / 1024 : null, exit_code: result.status };
}

try {
  // The baseline, unmeasured: the reference file preprocessed and aliased as `reference`.
  log('bench: preparing the reference ...');
  measure('download', ['--file-url', reference, '--artifact-name', 'reference_raw.csv']);
  measure('preprocess', ['--input-artifact', 'reference_raw.csv:latest', '--artifact-name', 'preprocessed_data.csv']);
  await (await openStore({ location: store, env })).artifacts.setAlias('preprocessed_data.csv:v0', 'reference');

  const steps = [
    measure('download', ['--file-url', sample, '--artifact-name', 'raw_data.csv']),
    measure('preprocess', ['--input-artifact', 'raw_data.csv:latest', '--artifact-name', 'preprocessed_data.csv']),
    measure('check_data', ['--reference-artifact', 'preprocessed_data.csv:reference', '--sample-artifact', 'preprocessed_data.csv:latest']),
    measure('segregate', ['--input-artifact', 'preprocessed_data.csv:latest', '--test-size', '0.3', '--random-seed', '112233', '--stratify', 'genre']),
  ].map((s) => ({ ...s, mb_per_s: sizeMb / s.wall_s }));
  // The same rows from a Parquet file: only preprocess reads the raw table.
  const parquet = values['no-parquet'] ? null : await songsParquet(sample);
  if (parquet) log('bench: the same rows as Parquet ...');
  const parquetSteps = !parquet ? null : [
    measure('download', ['--file-url', parquet, '--artifact-name', 'raw_data.parquet']),
    measure('preprocess', ['--input-artifact', 'raw_data.parquet:latest', '--artifact-name', 'preprocessed_parquet.csv']),
  ].map((s) => ({ ...s, mb_per_s: statSync(parquet).size / 1e6 / s.wall_s }));
  const pandas = values['no-pandas'] ? null : runPandas();
  const mldpTotal = steps.filter((s) => s.step !== 'download').reduce((sum, s) => sum + s.wall_s, 0);
  const figures = {
    rows,
    input_mb: sizeMb,
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    mldp: { steps, preprocess_check_segregate_s: mldpTotal, peak_rss_mb: Math.max(...steps.map((s) => s.peak_rss_mb ?? 0)) },
    parquet: parquet ? { input_mb: statSync(parquet).size / 1e6, steps: parquetSteps } : null,
    pandas,
    speedup: pandas ? pandas.total_s / mldpTotal : null,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else printTable(figures);
} finally {
  rmSync(store, { recursive: true, force: true });
}

function runPandas() {
  const script = resolve(root, '../shared/bench/reference_pipeline.py');
  const python = '/usr/bin/python3';
  if (!existsSync(script) || spawnSync(python, ['-c', 'import pandas, scipy, sklearn']).status !== 0) {
    log('bench: pandas pipeline skipped (needs ../shared/bench and python3-pandas python3-scipy python3-sklearn)');
    return null;
  }
  log('bench: running the pandas pipeline on the same files ...');
  const work = mkdtempSync(join(tmpdir(), 'mldp-bench-pandas-'));
  try {
    execFileSync(python, [script, '--input', reference, '--workdir', join(work, 'ref'), '--steps', 'preprocess', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = execFileSync(python, [script, '--input', sample, '--reference', join(work, 'ref/processed_data.csv'), '--workdir', join(work, 'run'), '--seed', '112233', '--keep-going', '--quiet'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = JSON.parse(out.trim().split('\n').pop());
    const step = (name) => report.steps[name]?.wall_s ?? 0;
    return { preprocess_s: step('preprocess'), check_data_s: step('checkdata'), segregate_s: step('segregate'), total_s: step('preprocess') + step('checkdata') + step('segregate'), peak_rss_mb: report.peak_rss_mb };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function printTable(f) {
  const pad = (text, width) => String(text).padStart(width);
  const lines = [`mldp benchmark: ${f.rows.toLocaleString('en-US')} rows, ${f.input_mb.toFixed(1)} MB CSV, ${f.machine.cores} cores, Node ${f.machine.node}`, ''];
  lines.push(`${'step'.padEnd(12)}${pad('wall s', 9)}${pad('peak MB', 10)}${pad('MB/s', 8)}${f.pandas ? `${pad('pandas s', 10)}` : ''}`);
  const pandasOf = { preprocess: f.pandas?.preprocess_s, check_data: f.pandas?.check_data_s, segregate: f.pandas?.segregate_s };
  for (const s of f.mldp.steps) {
    lines.push(`${s.step.padEnd(12)}${pad(s.wall_s.toFixed(2), 9)}${pad(s.peak_rss_mb?.toFixed(0) ?? '-', 10)}${pad(s.mb_per_s.toFixed(0), 8)}${f.pandas ? pad(pandasOf[s.step]?.toFixed(2) ?? '-', 10) : ''}${s.exit_code === 1 ? '  (checks failed)' : ''}`);
  }
  lines.push(`${'total*'.padEnd(12)}${pad(f.mldp.preprocess_check_segregate_s.toFixed(2), 9)}${pad(f.mldp.peak_rss_mb.toFixed(0), 10)}${pad('', 8)}${f.pandas ? pad(f.pandas.total_s.toFixed(2), 10) : ''}`);
  lines.push('', '* preprocess + check_data + segregate (download excluded), peak = the largest step');
  const pq = f.parquet?.steps.find((s) => s.step === 'preprocess');
  const csv = f.mldp.steps.find((s) => s.step === 'preprocess');
  if (pq) {
    lines.push(`Parquet input (${f.parquet.input_mb.toFixed(1)} MB, same rows): preprocess ${pq.wall_s.toFixed(2)} s, peak ${pq.peak_rss_mb?.toFixed(0) ?? '-'} MB (${(pq.wall_s / csv.wall_s).toFixed(2)}x the CSV case)`);
    // The steps after preprocess read its CSV output, the same from either input.
    const total = f.mldp.preprocess_check_segregate_s - csv.wall_s + pq.wall_s;
    lines.push(`  the pipeline from Parquet input: ${total.toFixed(2)} s (${(total / f.mldp.preprocess_check_segregate_s).toFixed(2)}x the CSV pipeline)`);
  }
  if (f.pandas) lines.push(`pandas peak RSS ${f.pandas.peak_rss_mb.toFixed(0)} MB (one process); mldp is ${f.speedup.toFixed(2)}x the speed of pandas`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
