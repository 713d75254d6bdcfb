#!/usr/bin/env node
// Proves that the published packages work outside this monorepo: packs the runtime, store and
// table libraries and every step with `npm pack`, installs the tarballs into empty folders outside
// the workspace (no access to its node_modules), and runs the bins there against a fresh store.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packages = ['runtime', 'store', 'table', 'download', 'preprocess', 'check-data', 'segregate'];
const work = mkdtempSync(join(tmpdir(), 'mldp-verify-packages-'));
const quiet = process.env.CI ? ['--silent'] : [];

function run(command, args, options = {}) {
  process.stdout.write(`$ ${[command, ...args].join(' ')}\n`);
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
}

function check(condition, message) {
  if (!condition) {
    process.stderr.write(`verify:packages FAILED: ${message}\n`);
    process.exit(1);
  }
  process.stdout.write(`ok: ${message}\n`);
}

try {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const name of packages) run('npm', ['pack', ...quiet, '--workspace', `packages/${name}`, '--pack-destination', tarballs], { cwd: root });
  const tgz = Object.fromEntries(readdirSync(tarballs).map((file) => [file.replace(/^mldp-(.*)-\d+\.\d+\.\d+\.tgz$/, '$1'), join(tarballs, file)]));
  check(packages.every((name) => tgz[name]), `packed ${packages.length} packages: ${readdirSync(tarballs).join(', ')}`);

  // 1. All steps, installed from tarballs, run in sequence through the bins.
  const project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', ...quiet, ...packages.map((name) => tgz[name])], { cwd: project });
  copyFileSync(join(root, 'data/genres_mod1.parquet'), join(project, 'songs.parquet'));
  const env = { ...process.env, MLDP_STORE: join(project, 'store'), NODE_PATH: '' };
  const bin = (name, ...args) => run(join(project, 'node_modules/.bin', name), args, { cwd: project, env });
  bin('mldp-download', '--file-url', 'songs.parquet', '--artifact-name', 'raw_data.parquet', '--artifact-type', 'raw_data');
  bin('mldp-preprocess', '--input-artifact', 'raw_data.parquet:latest', '--artifact-name', 'preprocessed_data.csv', '--artifact-type', 'preprocessed_data');
  bin('mldp-check-data', '--reference-artifact', 'preprocessed_data.csv:reference', '--sample-artifact', 'preprocessed_data.csv:latest', '--ks-alpha', '0.05');
  bin('mldp-segregate', '--input-artifact', 'preprocessed_data.csv:latest', '--artifact-prefix', 'data', '--test-size', '0.3', '--val-size', '0.3', '--random-seed', '112233', '--stratify', 'genre');
  const listing = run(process.execPath, ['--input-type=module', '-e', `
    import { openStore } from '@mldp/store';
    const store = await openStore();
    const names = (await store.artifacts.list()).map((a) => a.name + ':' + a.versions.join(','));
    console.log(JSON.stringify(names));`], { cwd: project, env });
  const names = JSON.parse(listing);
  const expected = ['check_data_report:v0', 'data_test.csv:v0', 'data_train.csv:v0', 'data_val.csv:v0', 'preprocessed_data.csv:v0', 'raw_data.parquet:v0'];
  check(JSON.stringify(names) === JSON.stringify(expected), `every artifact exists outside the workspace: ${names.join(' ')}`);
  // Each bin runs from its bundle (scripts/bundle/): it still names its own package's version, and
  // the store it made names the store library's.
  const versionOf = (name) => JSON.parse(readFileSync(join(project, 'node_modules/@mldp', name, 'package.json'), 'utf8')).version;
  for (const step of ['download', 'preprocess', 'check-data', 'segregate']) {
    const printed = bin(`mldp-${step}`, '--version').trim();
    check(printed === versionOf(step), `mldp-${step} --version prints @mldp/${step}'s version: ${printed}`);
  }
  const marker = JSON.parse(readFileSync(join(project, 'store/mldp-store.json'), 'utf8'));
  check(marker.created_by === `@mldp/store ${versionOf('store')}`, `the store marker names the store library: ${marker.created_by}`);
  // The AWS SDK is an optional peer of @mldp/store: without it an s3:// store is one clear line.
  let s3Error = '';
  try {
    run(join(project, 'node_modules/.bin/mldp-download'), ['--store', 's3://bucket/prefix', '--file-url', 'songs.parquet', '--artifact-name', 'x.parquet'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    s3Error = `${error.status} ${error.stderr}`;
  }
  check(/^2 error: s3:\/\/ stores need the AWS SDK, which is not installed; run "npm install @aws-sdk\/client-s3 @aws-sdk\/lib-storage"/.test(s3Error), `without the AWS SDK, an s3:// store says what to install: ${s3Error.trim()}`);

  // 2. One step alone: preprocess without the orchestrator or the other steps, on an artifact
  //    that a tiny program logged through the store library, used both as a bin and as a library.
  const alone = join(work, 'alone');
  mkdirSync(alone);
  writeFileSync(join(alone, 'package.json'), JSON.stringify({ name: 'alone', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', ...quiet, tgz.runtime, tgz.store, tgz.table, tgz.preprocess], { cwd: alone });
  const installed = readdirSync(join(alone, 'node_modules/@mldp')).sort();
  check(JSON.stringify(installed) === '["preprocess","runtime","store","table"]', `only runtime, store, table and preprocess are installed: ${installed.join(', ')}`);
  writeFileSync(join(alone, 'songs.csv'), 'title,song_name,genre\nA,B,Rap\nA,B,Rap\n,C,Emo\n');
  writeFileSync(join(alone, 'log.mjs'), `
    import { openStore } from '@mldp/store';
    const store = await openStore({ location: 'store' });
    const { version } = await store.logArtifact({ name: 'songs.csv', type: 'raw_data', files: [{ path: 'songs.csv' }] });
    console.log(version.name + ':' + version.version);`);
  run(process.execPath, ['log.mjs'], { cwd: alone });
  run(join(alone, 'node_modules/.bin/mldp-preprocess'), ['--store', 'store', '--input-artifact', 'songs.csv:v0', '--artifact-name', 'clean.csv'], { cwd: alone });
  writeFileSync(join(alone, 'library.mjs'), `
    import { openStore } from '@mldp/store';
    import { preprocess } from '@mldp/preprocess';
    const store = await openStore({ location: 'store' });
    const result = await preprocess({ inputArtifact: 'songs.csv:latest', artifactName: 'clean2.csv', artifactType: 'preprocessed_data' }, store);
    console.log(JSON.stringify({ rowsOut: result.rowsOut, artifact: result.artifact.name + ':' + result.artifact.version }));`);
  const fromLibrary = JSON.parse(run(process.execPath, ['library.mjs'], { cwd: alone }));
  check(fromLibrary.rowsOut === 2 && fromLibrary.artifact === 'clean2.csv:v0', `preprocess works alone, as a bin and as a library: ${JSON.stringify(fromLibrary)}`);

  // 3. The table library needs the runtime only, not the store.
  const tableAlone = join(work, 'table-alone');
  mkdirSync(tableAlone);
  writeFileSync(join(tableAlone, 'package.json'), JSON.stringify({ name: 'table-alone', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', ...quiet, tgz.runtime, tgz.table], { cwd: tableAlone });
  const tableDeps = readdirSync(join(tableAlone, 'node_modules/@mldp')).sort();
  check(JSON.stringify(tableDeps) === '["runtime","table"]', `the table library installs with the runtime alone: ${tableDeps.join(', ')}`);
  const exported = run(process.execPath, ['--input-type=module', '-e', "import * as table from '@mldp/table'; console.log(Object.keys(table).length)"], { cwd: tableAlone });
  check(Number(exported) > 0, `the table library loads without the store (${exported.trim()} exports)`);
  process.stdout.write('verify:packages passed\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
