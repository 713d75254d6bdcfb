#!/usr/bin/env node
// The benchmark: `npm run bench -- --rows N [--repeat R] [--json] [--no-pandas] [--no-parquet] [--no-peers]`.
// Generates (and caches) a songs-like CSV of N rows and a reference of the same size, runs
// download, preprocess, check_data and segregate each as its own process through a fresh store,
// as the orchestrator does, and prints wall time, peak RSS, MB/s and start time per step. Beside
// it: preprocess done by nodejs-polars and DuckDB (the bench workspace's optional dependencies,
// skipped with a note where they are not installed), alternating with mldp's R times; the
// original pandas pipeline (bench/reference_pipeline.py) on the same files when Debian's python3
// has pandas; and preprocess of the same rows from a Parquet file (--no-parquet skips it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../packages/store/dist/index.js';
import { PIPELINE_STEPS } from '../packages/runtime/dist/index.js';
import { songsFile, songsParquet } from './generate.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'no-pandas': { type: 'boolean', default: false },
    'no-parquet': { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 10) {
  process.stderr.write(`error: --rows must be a whole number >= 10, got ${values.rows}\n`);
  process.exit(2);
}
const seed = Number(values.seed);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  process.stderr.write(`error: --repeat must be a whole number >= 1, got ${values.repeat}\n`);
  process.exit(2);
}
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

const probe = join(root, 'bench/start-probe.mjs');

/** Runs a command, under /usr/bin/time where it exists; returns wall seconds, peak RSS in MB, the exit code and stderr. */
function timed(command, args, extraEnv = {}, cwd = root) {
  const full = hasTime ? ['/usr/bin/time', '-f', 'MLDP_BENCH %e %M %U %S', command, ...args] : [command, ...args];
  const spawnedAt = performance.timeOrigin + performance.now();
  const started = process.hrtime.bigint();
  const result = spawnSync(full[0], full.slice(1), { env: { ...env, ...extraEnv }, cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const line = /MLDP_BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr ?? '');
  const start = /MLDP_BENCH_START ([\d.]+)/.exec(result.stderr ?? '');
  // CPU seconds (user + system) vary less with the machine's load than wall time does.
  return { wall_s: wall, cpu_s: line ? Number(line[3]) + Number(line[4]) : null, peak_rss_mb: line ? Number(line[2]) / 1024 : null, exit_code: result.status, stderr: result.stderr ?? '', start_ms: start ? Number(start[1]) - spawnedAt : null };
}

/** Runs one step as its own process; `input` is the file it reads outside the store, if any. */
function measure(step, args, input) {
  const { stderr, ...result } = timed(process.execPath, ['--import', probe, bins[step], ...args], input ? { MLDP_BENCH_INPUT: input } : {});
  if (result.exit_code !== 0 && !(step === 'check_data' && result.exit_code === 1)) {
    throw new Error(`${step} failed (exit ${result.exit_code}): ${stderr}`);
  }
  return { step, ...result };
}

/** The peers that do preprocess's work: each runs where its package is installed. */
const PEERS = [
  { name: 'nodejs-polars', module: 'nodejs-polars', script: 'peers/polars.mjs' },
  { name: 'DuckDB', module: '@duckdb/node-api', script: 'peers/duckdb.mjs' },
];

function availablePeers() {
  if (values['no-peers']) return [];
  return PEERS.filter((peer) => {
    const loads = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(peer.module)})`], { cwd: join(root, 'bench'), encoding: 'utf8' });
    if (loads.status !== 0) log(`bench: ${peer.name} skipped (${peer.module} is not installed or does not load here: it is an optional dependency of bench/package.json)`);
    return loads.status === 0;
  });
}

function runPeer(peer, input) {
  const output = join(store, `peer-${peer.script.replace(/\W/g, '_')}.csv`);
  const { stderr, ...result } = timed(process.execPath, [peer.script, input, output], {}, join(root, 'bench'));
  rmSync(output, { force: true });
  if (result.exit_code !== 0) throw new Error(`${peer.name} failed (exit ${result.exit_code}): ${stderr}`);
  return { peer: peer.name, ...result };
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** The median run of each (by wall time), with every run's figures beside it. */
function summarize(runs) {
  const walls = runs.map((r) => r.wall_s);
  const middle = median(walls);
  const closest = runs.reduce((best, r) => (Math.abs(r.wall_s - middle) < Math.abs(best.wall_s - middle) ? r : best));
  return { ...closest, wall_s: middle, cpu_s: median(runs.map((r) => r.cpu_s ?? 0)), peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb ?? 0)), runs: runs.map((r) => ({ wall_s: r.wall_s, cpu_s: r.cpu_s, peak_rss_mb: r.peak_rss_mb })) };
}

try {
  // The baseline, unmeasured: the reference file preprocessed and aliased as `reference`.
  log('bench: preparing the reference ...');
  measure('download', ['--file-url', reference, '--artifact-name', 'reference_raw.csv']);
  measure('preprocess', ['--input-artifact', 'reference_raw.csv:latest', '--artifact-name', 'preprocessed_data.csv']);
  await (await openStore({ location: store, env })).artifacts.setAlias('preprocessed_data.csv:v0', 'reference');

  const peers = availablePeers();
  const rounds = { download: [], preprocess: [], check_data: [], segregate: [], ...Object.fromEntries(peers.map((p) => [p.name, []])) };
  // Alternating rounds, so that the machine's load falls on each alike.
  for (let round = 0; round < repeat; round++) {
    if (repeat > 1) log(`bench: round ${round + 1} of ${repeat} ...`);
    rounds.download.push(measure('download', ['--file-url', sample, '--artifact-name', 'raw_data.csv'], sample));
    rounds.preprocess.push(measure('preprocess', ['--input-artifact', 'raw_data.csv:latest', '--artifact-name', 'preprocessed_data.csv']));
    for (const peer of peers) rounds[peer.name].push(runPeer(peer, sample));
    rounds.check_data.push(measure('check_data', ['--reference-artifact', 'preprocessed_data.csv:reference', '--sample-artifact', 'preprocessed_data.csv:latest']));
    rounds.segregate.push(measure('segregate', ['--input-artifact', 'preprocessed_data.csv:latest', '--test-size', '0.3', '--random-seed', '112233', '--stratify', 'genre']));
  }
  // The floor of a step's start: node itself, started the same way, touching the store at once.
  const nodeStart = median(Array.from({ length: Math.max(3, repeat) }, () => timed(process.execPath, ['--import', probe, '-e', 'require("node:fs").statSync(process.env.MLDP_STORE)']).start_ms ?? 0));
  const steps = PIPELINE_STEPS.map((step) => ({ ...summarize(rounds[step]), mb_per_s: sizeMb / median(rounds[step].map((r) => r.wall_s)) }));
  const peerFigures = peers.map((peer) => summarize(rounds[peer.name]));
  // The same rows from a Parquet file: only preprocess reads the raw table.
  const parquet = values['no-parquet'] ? null : await songsParquet(sample);
  if (parquet) log('bench: the same rows as Parquet ...');
  const parquetSteps = !parquet ? null : [
    measure('download', ['--file-url', parquet, '--artifact-name', 'raw_data.parquet'], parquet),
    summarize(Array.from({ length: repeat }, () => measure('preprocess', ['--input-artifact', 'raw_data.parquet:latest', '--artifact-name', 'preprocessed_parquet.csv']))),
  ].map((s) => ({ ...s, mb_per_s: statSync(parquet).size / 1e6 / s.wall_s }));
  const pandas = values['no-pandas'] ? null : runPandas();
  const mldpTotal = steps.filter((s) => s.step !== 'download').reduce((sum, s) => sum + s.wall_s, 0);
  const figures = {
    rows,
    repeat,
    input_mb: sizeMb,
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    node_start_ms: nodeStart,
    mldp: { steps, preprocess_check_segregate_s: mldpTotal, peak_rss_mb: Math.max(...steps.map((s) => s.peak_rss_mb ?? 0)) },
    peers: peerFigures,
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
  const script = join(root, 'bench/reference_pipeline.py');
  const python = '/usr/bin/python3';
  if (!existsSync(script) || spawnSync(python, ['-c', 'import pandas, scipy, sklearn']).status !== 0) {
    log('bench: pandas pipeline skipped (needs /usr/bin/python3 with Debian\'s python3-pandas python3-scipy python3-sklearn)');
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
    return { preprocess_s: step('preprocess'), preprocess_peak_rss_mb: report.steps.preprocess?.maxrss_mb_after ?? null, check_data_s: step('checkdata'), segregate_s: step('segregate'), total_s: step('preprocess') + step('checkdata') + step('segregate'), peak_rss_mb: report.peak_rss_mb };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function printTable(f) {
  const pad = (text, width) => String(text).padStart(width);
  const fixed = (n, digits) => (n === null || n === undefined ? '-' : n.toFixed(digits));
  const lines = [`mldp benchmark: ${f.rows.toLocaleString('en-US')} rows, ${f.input_mb.toFixed(1)} MB CSV, ${f.machine.cores} cores, Node ${f.machine.node}${f.repeat > 1 ? `, median of ${f.repeat} alternating runs` : ''}`, ''];
  lines.push(`${'step'.padEnd(12)}${pad('wall s', 9)}${pad('cpu s', 8)}${pad('peak MB', 10)}${pad('MB/s', 8)}${pad('start ms', 10)}${f.pandas ? `${pad('pandas s', 10)}` : ''}`);
  const pandasOf = { preprocess: f.pandas?.preprocess_s, check_data: f.pandas?.check_data_s, segregate: f.pandas?.segregate_s };
  for (const s of f.mldp.steps) {
    lines.push(`${s.step.padEnd(12)}${pad(s.wall_s.toFixed(2), 9)}${pad(fixed(s.cpu_s, 2), 8)}${pad(fixed(s.peak_rss_mb, 0), 10)}${pad(s.mb_per_s.toFixed(0), 8)}${pad(fixed(s.start_ms, 0), 10)}${f.pandas ? pad(fixed(pandasOf[s.step], 2), 10) : ''}${s.exit_code === 1 ? '  (checks failed)' : ''}`);
  }
  const cpuTotal = f.mldp.steps.filter((s) => s.step !== 'download').reduce((sum, s) => sum + (s.cpu_s ?? 0), 0);
  lines.push(`${'total*'.padEnd(12)}${pad(f.mldp.preprocess_check_segregate_s.toFixed(2), 9)}${pad(cpuTotal.toFixed(2), 8)}${pad(f.mldp.peak_rss_mb.toFixed(0), 10)}${pad('', 18)}${f.pandas ? pad(f.pandas.total_s.toFixed(2), 10) : ''}`);
  lines.push('', '* preprocess + check_data + segregate (download excluded), peak = the largest step;', `  start = spawn to the first file of the store or input touched (node alone, doing only that: ${f.node_start_ms.toFixed(0)} ms)`);
  const csv = f.mldp.steps.find((s) => s.step === 'preprocess');
  if (f.peers.length > 0 || f.pandas) {
    lines.push('', 'preprocess side by side (read, drop duplicates keeping the first, text feature, write CSV):');
    const row = (name, wall, cpu, peak) =>
      lines.push(`  ${name.padEnd(16)}${pad(wall.toFixed(2), 7)} s${pad(fixed(cpu, 2), 7)} cpu s${pad(fixed(peak, 0), 7)} MB${name === 'mldp' ? '' : `   mldp takes ${(csv.wall_s / wall).toFixed(2)}x its time${cpu ? `, ${(csv.cpu_s / cpu).toFixed(2)}x its cpu` : ''}${peak ? `, ${(csv.peak_rss_mb / peak).toFixed(2)}x its memory` : ''}`}`);
    row('mldp', csv.wall_s, csv.cpu_s, csv.peak_rss_mb);
    for (const peer of f.peers) row(peer.peer, peer.wall_s, peer.cpu_s, peer.peak_rss_mb);
    if (f.pandas) row('pandas', f.pandas.preprocess_s, null, f.pandas.preprocess_peak_rss_mb);
  }
  const pq = f.parquet?.steps.find((s) => s.step === 'preprocess');
  if (pq) {
    lines.push('', `Parquet input (${f.parquet.input_mb.toFixed(1)} MB, same rows): preprocess ${pq.wall_s.toFixed(2)} s, peak ${fixed(pq.peak_rss_mb, 0)} MB (${(pq.wall_s / csv.wall_s).toFixed(2)}x the CSV case)`);
    // The steps after preprocess read its CSV output, the same from either input.
    const total = f.mldp.preprocess_check_segregate_s - csv.wall_s + pq.wall_s;
    lines.push(`  the pipeline from Parquet input: ${total.toFixed(2)} s (${(total / f.mldp.preprocess_check_segregate_s).toFixed(2)}x the CSV pipeline)`);
  }
  if (f.pandas) lines.push('', `pandas pipeline (one process): ${f.pandas.total_s.toFixed(2)} s, peak RSS ${f.pandas.peak_rss_mb.toFixed(0)} MB; mldp is ${f.speedup.toFixed(2)}x the speed of pandas`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
