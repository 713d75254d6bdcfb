import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sha256File } from '@mldp/store';
import { missingRequirement, runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../../..');
const MLDP = join(import.meta.dirname, '../../bin/mldp.js');
const DOWNLOAD = join(ROOT, 'packages/download/bin/mldp-download.js');

/** A fresh store location per test; S3 ones live on the Ceph cluster of tests/global-setup.ts. */
const STORES = {
  fs: (dir: string) => join(dir, 'store'),
  s3: () => `s3://mldp-e2e/t-${randomBytes(6).toString('hex')}`,
};

/** The end-to-end tests of `mldp`, against a fresh store of one driver per test. */
export function endToEndSuite(driver: keyof typeof STORES): void {
  const fresh = STORES[driver];
  const missing = driver === 's3' ? missingRequirement({ for: 'the end-to-end tests on the S3 driver', s3: true }) : undefined;
  describe.skipIf(missing)(`mldp pipeline, end to end, on the ${driver} driver`, () => {
    let dir: ReturnType<typeof tempDir>;
    let env: Record<string, string>;
    const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 120_000 });
    const json = async (...args: string[]) => {
      const result = await mldp(...args, '--json');
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout);
    };

    beforeEach(async () => {
      dir = tempDir();
      env = { MLDP_STORE: fresh(dir.path) };
      if (driver === 's3') expect((await mldp('store', 'init')).stdout).toBe(`initialised ${env.MLDP_STORE}\n`);
    });
    afterEach(() => dir.remove());

    it('downloads the configured file into raw_data.parquet:v0, once', async () => {
      const first = await mldp('run', 'main.execute_steps=download');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/step 1\/1: download done in/);
      const shown = await json('artifacts', 'show', 'raw_data.parquet:latest');
      expect(shown).toMatchObject({ name: 'raw_data.parquet', version: 'v0', aliases: ['latest'], type: 'raw_data' });
      expect(Object.keys(shown).sort()).toEqual(['aliases', 'createdAt', 'createdBy', 'description', 'digest', 'files', 'metadata', 'name', 'project', 'type', 'version']);
      expect(shown.files).toEqual([{ path: 'genres_mod1.parquet', size: 912625, sha256: (await sha256File(join(ROOT, 'data/genres_mod1.parquet'))).sha256 }]);
      expect((await mldp('run', 'main.execute_steps=download')).code).toBe(0);
      const list = await json('artifacts', 'list');
      expect(list).toEqual([expect.objectContaining({ name: 'raw_data.parquet', versions: ['v0'] })]);
    });

    it('keeps all eight versions of eight concurrent mldp-download runs, and verify finds them intact', async () => {
      const files = Array.from({ length: 8 }, (_, i) => {
        const path = join(dir.path, `part${i}.csv`);
        writeFileSync(path, `a,b\n${i},${'x'.repeat(1000 * (i + 1))}\n`);
        return path;
      });
      const results = await Promise.all(files.map((path) => runNode(DOWNLOAD, ['--file-url', path, '--artifact-name', 'parts.csv'], { env })));
      expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
      // Bins run alone write to the project mldp lists: main.project_name of the workspace's config.
      const [parts] = await json('artifacts', 'list');
      expect(parts.versions).toHaveLength(8);
      const verify = await mldp('store', 'verify');
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/^ok: 8 versions, 8 files checked/m);
    });

    it('runs the whole pipeline, records runs and lineage, and gates segregate on the checks', async () => {
      const run = await mldp('run');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/step 4\/4: segregate done in/);
      for (const name of ['raw_data.parquet', 'preprocessed_data.csv', 'check_data_report', 'data_train.csv', 'data_test.csv', 'data_val.csv']) {
        expect((await json('artifacts', 'show', `${name}:latest`)).version).toBe('v0');
      }
      // The default config's splits are byte for byte scikit-learn's (scripts/gen-split-fixtures.py).
      const sklearn = JSON.parse(readFileSync(join(ROOT, 'packages/segregate/src/fixtures/sklearn-bundled.json'), 'utf8'));
      const byDefault = sklearn.cases.find((c: { seed: number; val_size: number }) => c.seed === 112233 && c.val_size === 0.3);
      expect((await json('artifacts', 'show', 'preprocessed_data.csv:latest')).files[0].sha256).toBe(sklearn.preprocessed_sha256);
      for (const split of ['train', 'test', 'val']) {
        expect((await json('artifacts', 'show', `data_${split}.csv:latest`)).files[0].sha256, split).toBe(byDefault.sha256[split]);
      }
      const runs = await json('runs', 'list');
      expect(runs.map((r: { step: string }) => r.step)).toEqual(['segregate', 'check_data', 'preprocess', 'download', 'pipeline']);
      for (const r of runs) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'step', 'status', 'params', 'metrics', 'inputs', 'outputs', 'group', 'startedAt', 'endedAt']));
      const segregateRun = runs[0];
      expect(segregateRun).toMatchObject({ status: 'finished', group: 'dev', inputs: ['preprocessed_data.csv:v0'], outputs: ['data_train.csv:v0', 'data_test.csv:v0', 'data_val.csv:v0'] });
      expect(segregateRun.params).toMatchObject({ random_seed: 112233, test_size: 0.3, val_size: 0.3, stratify: 'genre' });
      const pipeline = await json('runs', 'show', runs[4].id);
      expect(pipeline.children).toEqual(runs.slice(0, 4).map((r: { id: string }) => r.id).reverse());
      expect(pipeline.config.data.file_url).toBe('data/genres_mod1.parquet');
      const lineage = await mldp('artifacts', 'lineage', 'data_train.csv:latest');
      expect(lineage.stdout).toMatch(/data_train.csv:v0 \[segregated_data\] <- segregate run[\s\S]*preprocessed_data.csv:v0[\s\S]*raw_data.parquet:v0 \[raw_data\] <- download run[\s\S]*<- data\/genres_mod1.parquet/);

      const mod2 = await mldp('run', 'data.file_url=data/genres_mod2.parquet');
      expect(mod2.code).toBe(0);
      expect(mod2.stdout).toMatch(/preprocessed_data.csv:v1 against reference preprocessed_data.csv:v0/);

      const drifted = join(dir.path, 'drifted.csv');
      const [header, ...rows] = readFileSync(join(ROOT, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
      writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
      const drift = await mldp('run', `data.file_url=${drifted}`);
      expect(drift.code).toBe(1);
      expect(drift.stdout).toMatch(/step 3\/4: check_data FAILED/);
      // The store came from MLDP_STORE, so the resume command names it: it works from any shell.
      expect(drift.stdout).toContain(`resume from this step with: npx mldp run --store ${env.MLDP_STORE} data.file_url=${drifted} main.execute_steps=[check_data,segregate]`);
      expect(drift.stdout).not.toMatch(/step 4\/4/);
      expect(drift.stderr).toBe('error: data checks failed: test_kolmogorov_smirnov; see the report artifact check_data_report:v2\n');
      expect((await json('artifacts', 'show', 'check_data_report:latest')).metadata).toMatchObject({ passed: false, failed: ['test_kolmogorov_smirnov'] });
      expect((await json('artifacts', 'show', 'data_train.csv:latest')).version).toBe('v1');
      const [failedPipeline] = await json('runs', 'list', '--step', 'pipeline');
      expect(failedPipeline).toMatchObject({ status: 'failed', error: expect.stringMatching(/^check_data failed: data checks failed/) });

      const out = join(dir.path, 'out');
      expect((await mldp('artifacts', 'get', 'data_test.csv:v0', '--out', out)).code).toBe(0);
      expect(readdirSync(out)).toEqual(['data_test.csv']);
      expect((await mldp('artifacts', 'alias', 'preprocessed_data.csv:v1', 'reference')).stdout).toBe('preprocessed_data.csv:reference -> v1\n');
    }, 180_000);

    it.runIf(driver === 'fs')('exits 2 with one line for a bad override or config, and names what exists for a missing artifact', async () => {
      const step = await mldp('run', 'main.execute_steps=[download,train]');
      expect(step.code).toBe(2);
      expect(step.stderr).toMatch(/^error: .*config.yaml: main.execute_steps.1 = "train" is not allowed; use one of: download, preprocess, check_data, segregate/);
      expect(step.stderr.trim().split('\n')).toHaveLength(1);
      const missing = await mldp('run', '--config', join(dir.path, 'nope.yaml'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/nope.yaml: it does not exist/);
      expect((await mldp('run', 'main.execute_steps=download')).code).toBe(0);
      const notFound = await mldp('artifacts', 'show', 'raw_data.parquet:v5');
      expect(notFound.code).toBe(1);
      expect(notFound.stderr).toBe('error: artifact "ml_data_pipeline/raw_data.parquet:v5" does not exist; available: raw_data.parquet:v0, raw_data.parquet:latest\n');
      const unparsable = await mldp('artifacts', 'show', 'raw data:v0');
      expect(unparsable.code).toBe(2);
      // A bad argument stops the command before it runs: a usage line, not a crash in the command.
      for (const args of [['artifacts', 'get', 'raw_data.parquet:v0'], ['artifacts', 'get', 'raw_data.parquet:v0', '--dir', dir.path]]) {
        const usage = await mldp(...args);
        expect(usage.code).toBe(2);
        expect(usage.stderr).toMatch(/^error: mldp: (Missing required argument: out|Unknown argument: dir); see "mldp --help"\n$/);
      }
      // --verbose and MLDP_DEBUG=1 add the stack, for bug reports.
      expect((await mldp('artifacts', 'show', 'raw_data.parquet:v5', '--verbose')).stderr).toMatch(/^error: .*\nArtifactNotFoundError: .*\n\s+at /);
      expect((await runNode(MLDP, ['artifacts', 'show', 'raw_data.parquet:v5'], { env: { ...env, MLDP_DEBUG: '1' }, cwd: ROOT })).stderr).toMatch(/\n\s+at /);
    });

    it.runIf(driver === 'fs')('names the problem when the store cannot be written', async () => {
      const file = join(dir.path, 'a-file');
      writeFileSync(file, '');
      const notAFolder = await runNode(MLDP, ['run', 'main.execute_steps=download'], { env: { MLDP_STORE: join(file, 'store') }, cwd: ROOT });
      expect(notAFolder.code).toBe(1);
      expect(notAFolder.stderr).toMatch(/^error: cannot create the folder .*a-file\/store\S*: ENOTDIR; a file stands where a folder is expected/);
      const readOnly = await runNode(MLDP, ['run', 'main.execute_steps=download'], { env: { ...env, MLDP_STORE_READONLY: '1' }, cwd: ROOT });
      expect(readOnly.code).toBe(1);
      expect(readOnly.stderr).toMatch(/^error: cannot .* the store at .* is read-only; unset MLDP_STORE_READONLY/);
    });

    it('on Ctrl-C stops the step, marks its run failed and leaves the store consistent', async () => {
      let downloading: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (downloading = resolve));
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-length': 1_000_000 });
        res.write('a,b\n');
        downloading();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.csv`;
        const child = spawn(process.execPath, [MLDP, 'run', `data.file_url=${url}`, 'main.execute_steps=[download]'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        // Interrupt mid-transfer: the step has started its run and is receiving the file (with an
        // S3 store the step takes longer to get there than with a local one).
        await started;
        while (!stdout.includes('step 1/1: download')) await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise((resolve) => setTimeout(resolve, 200));
        child.kill('SIGINT');
        expect(await exited).toBe(130);
        const runs = await json('runs', 'list');
        expect(runs.map((r: { step: string; status: string }) => [r.step, r.status])).toEqual([
          ['download', 'failed'],
          ['pipeline', 'failed'],
        ]);
        expect(runs[0].error).toMatch(/interrupted by SIGINT/);
        const verify = await mldp('store', 'verify');
        expect(verify.code).toBe(0);
        if (driver === 'fs') expect(readdirSync(join(env.MLDP_STORE, 'tmp'))).toEqual([]);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });

    it('runs two pipelines at once against one store, losing nothing', async () => {
      const [a, b] = await Promise.all([mldp('run', 'main.execute_steps=[download,preprocess]'), mldp('run', 'main.execute_steps=[download,preprocess]', 'preprocess.artifact_name=other.csv')]);
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
      const names = (await json('artifacts', 'list')).map((x: { name: string; versions: string[] }) => x.name);
      expect(names).toEqual(['other.csv', 'preprocessed_data.csv', 'raw_data.parquet']);
      expect((await json('runs', 'list', '--step', 'pipeline')).map((r: { status: string }) => r.status)).toEqual(['finished', 'finished']);
      const verify = await mldp('store', 'verify');
      expect(verify.stdout).toMatch(/^ok: /m);
    }, 120_000);

    it('runs the pipeline through Nx with the store from MLDP_STORE', async () => {
      const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'run', '--output-style=static', '--skip-nx-cache'], {
        cwd: ROOT,
        env: { ...process.env, ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true', MLDP_DEBUG: '' },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(nx.status, nx.stderr + nx.stdout).toBe(0);
      expect((await json('artifacts', 'list')).map((x: { name: string }) => x.name)).toEqual(['check_data_report', 'data_test.csv', 'data_train.csv', 'data_val.csv', 'preprocessed_data.csv', 'raw_data.parquet']);
    }, 240_000);
  });
}
