import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/mldp-check-data.js');

it.each([
  [['--ks-alpha', '0'], 'error: --ks-alpha (data.ks_alpha) "0" is out of range; give a number in (0, 1) (family-wise level of the KS tests)'],
  [['--ks-alpha', 'five'], 'error: --ks-alpha (data.ks_alpha) "five" is not a number; give a number in (0, 1) (family-wise level of the KS tests)'],
  [['--ks-alpha', '0.05', '--ks_alpha', '0.1'], 'error: --ks-alpha is given 2 times ("0.05", "0.1"); give it once'],
])('mldp-check-data refuses %j naming what was typed, exit 2, recording no run', async (flags, line) => {
  const dir = tempDir();
  try {
    const store = join(dir.path, 'store');
    const result = await runNode(BIN, ['--store', store, '--project', 'cli', '--reference-artifact', 'a.csv:reference', '--sample-artifact', 'a.csv:latest', ...flags]);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.code).toBe(2);
    expect(existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []).toEqual([]);
  } finally {
    dir.remove();
  }
});
