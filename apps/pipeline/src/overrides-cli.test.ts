// Overrides through `mldp config` and `mldp run` as real processes: what reaches the config, and
// the one-line errors with exit code 2.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const CONFIG = join(ROOT, 'config.yaml');

describe('overrides on the mldp command line', () => {
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  const mldp = (...args: string[]) => runNode(MLDP, [...args, '--config', CONFIG], { env, cwd: dir.path, timeoutMs: 60_000 });

  beforeEach(() => {
    dir = tempDir();
    env = { MLDP_STORE: join(dir.path, 'store'), MLDP_PROJECT: '' };
  });
  afterEach(() => dir.remove());

  it('types the values of mldp config as Hydra does', async () => {
    const result = await mldp('config', '--json', "data.stratify='#genre'", "data.test_size=float('0.25')", 'data.ks_alpha=1e-2', 'main.execute_steps=download,preprocess', 'checks.ranges={tempo:[1,300]}');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const config = JSON.parse(result.stdout);
    expect(config.data).toMatchObject({ stratify: '#genre', test_size: 0.25, ks_alpha: 0.01 });
    expect(config.main.execute_steps).toEqual(['download', 'preprocess']);
    expect(config.checks.ranges.tempo).toEqual([1, 300]);
    expect(config.checks.ranges.key).toEqual([0, 11]);
  });

  it('reads a renamed key by its former name, in the file or an override, with one deprecation line', async () => {
    const formerFile = join(dir.path, 'former.yaml');
    writeFileSync(formerFile, readFileSync(CONFIG, 'utf8').replace('artifact_prefix: data', 'artifact_root: old'));
    const fromFile = await runNode(MLDP, ['config', '--json', '--config', formerFile], { env, cwd: dir.path, timeoutMs: 60_000 });
    expect(fromFile.stderr).toBe(`mldp: ${formerFile}: segregate.artifact_root is deprecated: use segregate.artifact_prefix (it means the same)\n`);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).segregate).toMatchObject({ artifact_prefix: 'old' });
    expect(JSON.parse(fromFile.stdout).segregate).not.toHaveProperty('artifact_root');
    const fromOverride = await mldp('config', '--json', 'segregate.artifact_root=splits');
    expect(fromOverride.stderr).toBe('mldp: override: segregate.artifact_root is deprecated: use segregate.artifact_prefix (it means the same)\n');
    expect(JSON.parse(fromOverride.stdout).segregate).toMatchObject({ artifact_prefix: 'splits' });
    const current = await mldp('config', '--json', 'segregate.artifact_prefix=splits');
    expect(current.stderr).toBe('');
    expect(JSON.parse(current.stdout).segregate).toMatchObject({ artifact_prefix: 'splits' });
  });

  it.each([
    [['config', 'data.test_size=[1,2'], /^error: override "data.test_size=\[1,2" is not valid at column 20: expected "," or "\]", found the end; see "Overrides" in the README for the grammar\n$/],
    [['config', 'data.stratify=a!b'], /^error: override "data.stratify=a!b" has an unexpected "!" at column 16; quote the value/],
    [['config', 'data.test_size=int(abc)'], /^error: override "data.test_size=int\(abc\)" at column 16: ValueError while evaluating 'int\(abc\)': invalid literal for int\(\) with base 10: 'abc'/],
    [['config', '~__proto__.toString'], /^error: override "~__proto__.toString" uses "__proto__" as a key/],
    [['config', '~data.stratify=artist'], /^error: cannot delete data.stratify: its value is "genre", not "artist"/],
    [['config', 'data.test_size=0.2,0.3'], /^error: override "data.test_size=0.2,0.3" is a sweep; sweeps need --multirun \(-m\)/],
    [['run', 'data.test_size=choice(0.2,0.3)'], /^error: override "data.test_size=choice\(0.2,0.3\)" is a sweep; sweeps need --multirun \(-m\)/],
  ])('refuses %j on one line with exit code 2, before anything runs', async (args, message) => {
    const result = await mldp(...args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(readdirSync(dir.path)).toEqual([]);
  });
});
