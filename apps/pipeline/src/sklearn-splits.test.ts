import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
// Made by scripts/gen-split-fixtures.py: scikit-learn's splits of the bundled data, as pandas writes them.
const SKLEARN = JSON.parse(readFileSync(join(ROOT, 'packages/segregate/src/fixtures/sklearn-bundled.json'), 'utf8')) as {
  preprocessed_sha256: string;
  cases: Array<{ test_size: number; val_size: number; seed: number; stratify: string | null; sha256: Record<string, string>; rows: Record<string, number> }>;
};

const dir = tempDir();
afterAll(() => dir.remove());
const env = { MLDP_STORE: join(dir.path, 'store') };
const mldp = (...args: string[]) => runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 120_000 });

it.each(SKLEARN.cases.map((c) => [c.test_size, c.val_size, c.seed, c.stratify, c]))(
  'the bundled data at test_size %d, val_size %d, seed %d, stratify %s: splits byte-identical to scikit-learn\'s',
  async (_, __, ___, ____, expected) => {
    const run = await mldp('run', `data.test_size=${expected.test_size}`, `data.val_size=${expected.val_size}`, `main.random_seed=${expected.seed}`, `data.stratify=${expected.stratify ?? 'null'}`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const show = async (ref: string) => JSON.parse((await mldp('artifacts', 'show', ref, '--json')).stdout);
    expect((await show('preprocessed_data.csv:latest')).files[0].sha256).toBe(SKLEARN.preprocessed_sha256);
    for (const [split, sha256] of Object.entries(expected.sha256)) {
      const artifact = await show(`data_${split}.csv:latest`);
      expect(artifact.files[0].sha256, split).toBe(sha256);
      expect(artifact.metadata.rows, split).toBe(expected.rows[split]);
    }
  },
);
