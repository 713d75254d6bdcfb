// The everyday CLI as real processes on a real store in a temp folder: --version on every bin,
// config errors all at once, --json summaries, and the small messages (plurals, empty filters).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const CONFIG = join(ROOT, 'config.yaml');

describe('--version', () => {
  const bins = [
    ['mldp', MLDP, join(ROOT, 'apps/pipeline/package.json')],
    ...['download', 'preprocess', 'check-data', 'segregate'].map((step) => [`mldp-${step}`, join(ROOT, `packages/${step}/bin/mldp-${step}.js`), join(ROOT, `packages/${step}/package.json`)]),
  ];
  it('lists every bin of the workspace', () => {
    const declared = readdirSync(join(ROOT, 'packages'))
      .concat('../apps/pipeline')
      .flatMap((dir) => Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')).bin ?? {}));
    expect(declared.sort()).toEqual(bins.map(([name]) => name).sort());
  });
  it.each(bins)('%s --version prints its package version and exits 0', async (_name, bin, packageJson) => {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
    for (const args of [['--version'], ['--store', '/nonexistent/never', '--version']]) {
      const result = await runNode(bin, args, { cwd: ROOT });
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });
});

describe('config errors', () => {
  let dir: ReturnType<typeof tempDir>;
  const mldp = (...args: string[]) => runNode(MLDP, [...args, '--config', CONFIG], { env: { MLDP_STORE: join(dir.path, 'store') }, cwd: dir.path });
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  it('asks "did you mean" for a misspelt key, and suggests +key only when no key is close', async () => {
    const typo = await mldp('run', 'data.tset_size=0.2');
    expect(typo.stderr).toBe('error: cannot override data.tset_size: the config has no such key (did you mean data.test_size?); write data.test_size=0.2\n');
    expect(typo.code).toBe(2);
    const added = await mldp('config', 'data.shuffle=true');
    expect(added.stderr).toBe('error: cannot override data.shuffle: the config has no such key; to add it, write +data.shuffle=true\n');
    // A key of the schema that config.yaml leaves out is a key too.
    expect((await mldp('config', 'download.retires=3')).stderr).toContain('(did you mean download.retries?)');
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('shows every problem of the overrides at once, a line each, the first five and how many more', async () => {
    const result = await mldp('run', 'data.tset_size=0.2', 'dta.stratify=x', 'data.x=[1', '~data.stratfy', 'main.random_sed=1', 'data.ks_alpha=7', 'preprocess.text_feture=a');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `error: the overrides and ${CONFIG} have 7 problems:`,
      '  cannot override data.tset_size: the config has no such key (did you mean data.test_size?); write data.test_size=0.2',
      '  cannot apply "dta.stratify=x": dta does not exist (did you mean data.stratify?); write data.stratify=x',
      '  override "data.x=[1" is not valid at column 10: expected "," or "]", found the end; see "Overrides" in the README for the grammar',
      '  cannot delete data.stratfy: the config has no such key (did you mean data.stratify?); write ~data.stratify',
      '  cannot override main.random_sed: the config has no such key (did you mean main.random_seed?); write main.random_seed=1',
      '  and 2 more',
    ]);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('shows every problem of a config file at once', async () => {
    const config = join(dir.path, 'config.yaml');
    writeFileSync(config, readFileSync(CONFIG, 'utf8').replace(/^  test_size: .*$/m, '  tset_size: 0.2').replace(/^  ks_alpha: .*$/m, '  ks_alpha: 2').replace(/^  random_seed: .*$/m, '  random_seed: -1'));
    const result = await runNode(MLDP, ['run', '--config', config], { env: { MLDP_STORE: join(dir.path, 'store') }, cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `error: ${config} has 3 problems (see "Configuration" in the README):`,
      expect.stringMatching(/^  unknown key data.tset_size \(did you mean data.test_size\?\); allowed here: file_url, /),
      '  main.random_seed = -1 is not allowed: it must be a whole number in [0, 4294967295]',
      '  data.ks_alpha = 2 is not allowed: it must be a number in (0, 1)',
    ]);
    expect(readdirSync(dir.path)).toEqual(['config.yaml']);
  });
});
