import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/mldp-segregate.js');

it.each([
  [['--val-size', '0.2', '--val-size', '1'], 'error: --val-size is given 2 times ("0.2", "1"); give it once'],
  [['--val-size', 'abc'], 'error: --val-size (data.val_size) "abc" is not a number; give a number in [0, 1) or a whole number >= 1 (fraction or row count of the rest for validation; 0 for none)'],
  [['--test-size', '1.5'], 'error: --test-size (data.test_size) "1.5" is out of range; give a number in (0, 1) or a whole number >= 1 (fraction or row count of the test split)'],
  [['--test-size', '0'], 'error: --test-size (data.test_size) "0" is out of range; give a number in (0, 1) or a whole number >= 1 (fraction or row count of the test split)'],
  [['--test-size='], 'error: --test-size (data.test_size) has no value; give a number in (0, 1) or a whole number >= 1 (fraction or row count of the test split)'],
  [['--random-seed', '1.5'], 'error: --random-seed (main.random_seed) "1.5" is out of range; give a whole number in [0, 4294967295] (numpy RandomState seed of the split)'],
  [['--random-seed', '4294967296'], 'error: --random-seed (main.random_seed) "4294967296" is out of range; give a whole number in [0, 4294967295] (numpy RandomState seed of the split)'],
  [['--random_seed', 'NaN'], 'error: --random-seed (main.random_seed) "NaN" is not a number; give a whole number in [0, 4294967295] (numpy RandomState seed of the split)'],
])('mldp-segregate refuses %j naming what was typed, exit 2, recording no run', async (flags, line) => {
  const dir = tempDir();
  try {
    const store = join(dir.path, 'store');
    const result = await runNode(BIN, ['--store', store, '--project', 'cli', '--input-artifact', 'table.csv:latest', ...flags]);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.code).toBe(2);
    expect(existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []).toEqual([]);
  } finally {
    dir.remove();
  }
});
