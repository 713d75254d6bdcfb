import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stableJson } from './cache-key.js';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const STEPS = ['download', 'preprocess', 'check_data', 'segregate'];

describe('step caching', () => {
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 120_000 });
  /** Runs the pipeline and says, for each step, whether it ran or was cached. */
  const pipeline = async (...args: string[]): Promise<Record<string, 'ran' | 'cached'>> => {
    const result = await mldp('run', ...args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const outcome: Record<string, 'ran' | 'cached'> = {};
    for (const step of STEPS) {
      if (new RegExp(`step \\d/\\d: ${step}: cached \\(run \\S+, \\d+s ago\\)`).test(result.stdout)) outcome[step] = 'cached';
      else if (new RegExp(`step \\d/\\d: ${step} done in`).test(result.stdout)) outcome[step] = 'ran';
    }
    return outcome;
  };
  const digests = async () => {
    const list = JSON.parse((await mldp('artifacts', 'list', '--json')).stdout) as Array<{ name: string }>;
    const out: Record<string, string> = {};
    for (const { name } of list) out[name] = JSON.parse((await mldp('artifacts', 'show', `${name}:latest`, '--json')).stdout).digest;
    return out;
  };

  beforeEach(() => {
    dir = tempDir();
    env = { MLDP_STORE: join(dir.path, 'store') };
  });
  afterEach(() => dir.remove());

  it('reruns only what a change affects', async () => {
    const all = { download: 'ran', preprocess: 'ran', check_data: 'ran', segregate: 'ran' };
    const none = { download: 'cached', preprocess: 'cached', check_data: 'cached', segregate: 'cached' };
    expect(await pipeline()).toEqual(all);
    expect(await pipeline()).toEqual(none);
    // One parameter: only segregate.
    expect(await pipeline('data.test_size=0.25')).toEqual({ ...none, segregate: 'ran' });
    // Back to the first config: everything cached, and the first split is latest again.
    expect(await pipeline()).toEqual(none);
    expect(JSON.parse((await mldp('artifacts', 'show', 'data_test.csv:latest', '--json')).stdout).version).toBe('v0');
    // --force and main.force rerun everything; --force=STEP reruns that step.
    expect(await pipeline('--force')).toEqual(all);
    expect(await pipeline('main.force=true')).toEqual(all);
    expect(await pipeline('--force=check_data')).toEqual({ ...none, check_data: 'ran' });
    // Another input file: everything downstream reruns.
    expect(await pipeline('data.file_url=data/genres_mod2.parquet')).toEqual(all);
  }, 240_000);

  it("reruns a step whose code changed, and everything downstream of it; explains the key in runs show", async () => {
    await pipeline();
    const marker = join(ROOT, 'packages/preprocess/dist/zz-cache-test-marker.js');
    try {
      writeFileSync(marker, `// changes the build hash of @mldp/preprocess only (${process.pid})\n`);
      const outcome = await pipeline();
      expect(outcome).toEqual({ download: 'cached', preprocess: 'ran', check_data: 'ran', segregate: 'ran' });
      expect(await pipeline()).toEqual({ download: 'cached', preprocess: 'cached', check_data: 'cached', segregate: 'cached' });
    } finally {
      rmSync(marker, { force: true });
    }
    const [preprocessRun] = JSON.parse((await mldp('runs', 'list', '--step', 'preprocess', '--json')).stdout);
    expect(preprocessRun.info.cache).toMatchObject({ package: '@mldp/preprocess', version: '0.1.0', params: { artifact_name: 'preprocessed_data.csv' } });
    expect(Object.keys(preprocessRun.info.cache.inputs)).toEqual(['raw_data.parquet:v0']);
    const shown = await mldp('runs', 'show', preprocessRun.id);
    expect(shown.stdout).toMatch(/cache key: [0-9a-f]{64}\n  package: @mldp\/preprocess@0.1.0\n  code: [0-9a-f]{64}\n  params: \{.*\}\n  input: raw_data.parquet:v0 [0-9a-f]{64} from [0-9a-f]{64}/);
  }, 120_000);

  it('reruns a step whose output file was deleted from the store', async () => {
    await pipeline();
    const test = JSON.parse((await mldp('artifacts', 'show', 'data_test.csv:latest', '--json')).stdout);
    const sha = test.files[0].sha256 as string;
    rmSync(join(env.MLDP_STORE, 'blobs/sha256', sha.slice(0, 2), sha));
    expect(await pipeline()).toEqual({ download: 'cached', preprocess: 'cached', check_data: 'cached', segregate: 'ran' });
    expect((await mldp('store', 'verify')).code).toBe(0);
  }, 120_000);

  it('never reuses a failed run', async () => {
    await pipeline();
    const drifted = join(dir.path, 'drifted.csv');
    const [header, ...rows] = readFileSync(join(ROOT, 'data/genres_mod1.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(drifted, `${header}\n${rows.map((r) => r.replace(/^[^,]+/, (v) => String(Number(v) * 0.9))).join('\n')}\n`);
    expect((await mldp('run', `data.file_url=${drifted}`)).code).toBe(1);
    const again = await mldp('run', `data.file_url=${drifted}`);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/step 2\/4: preprocess: cached/);
    expect(again.stdout).toMatch(/step 3\/4: check_data FAILED/);
  }, 120_000);

  it('gives equal digests in two fresh stores', async () => {
    await pipeline();
    const first = await digests();
    env = { MLDP_STORE: join(dir.path, 'other') };
    await pipeline();
    expect(await digests()).toEqual(first);
    expect(Object.keys(first)).toHaveLength(6);
  }, 120_000);

  it('makes a conditional request on rerun, and a 304 reuses the latest version', async () => {
    const body = readFileSync(join(ROOT, 'data/genres_mod1.parquet'));
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304);
        return res.end();
      }
      res.writeHead(200, { etag: '"v1"', 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/genres.parquet`;
      expect((await mldp('run', `data.file_url=${url}`, 'main.execute_steps=download')).code).toBe(0);
      const rerun = await mldp('run', `data.file_url=${url}`, 'main.execute_steps=download');
      expect(rerun.stdout).toMatch(/step 1\/1: download: cached \(HTTP 304 Not Modified\) done in/);
      expect(seen).toEqual([undefined, '"v1"']);
      const [latestRun] = JSON.parse((await mldp('runs', 'list', '--step', 'download', '--json')).stdout);
      expect(latestRun.outputs).toEqual(['raw_data.parquet:v0']);
      expect(JSON.parse((await mldp('artifacts', 'list', '--json')).stdout)[0].versions).toEqual(['v0']);
    } finally {
      server.close();
    }
  });
});

describe('stableJson', () => {
  it('sorts keys so equal objects give equal text', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });
});
