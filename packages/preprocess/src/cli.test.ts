import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/mldp-preprocess.js');

it.each([
  [['--text-feature', ''], 'error: --text-feature (preprocess.text_feature) has no value; give a non-empty text (name of the text feature column)'],
  [['--text-feature', 'a', '--text_feature', 'b'], 'error: --text-feature is given 2 times ("a", "b"); give it once'],
  [['--text-columns', ''], 'error: --text-columns (preprocess.text_columns) has no value; give one or more non-empty names, comma-separated (columns joined by a space into the text feature)'],
  [['--text-columns', 'title,,song_name'], 'error: --text-columns (preprocess.text_columns) "title,,song_name" is not allowed; give one or more non-empty names, comma-separated (columns joined by a space into the text feature)'],
])('mldp-preprocess refuses %j naming what was typed, exit 2, recording no run', async (flags, line) => {
  const dir = tempDir();
  try {
    const store = join(dir.path, 'store');
    const result = await runNode(BIN, ['--store', store, '--project', 'cli', '--input-artifact', 'raw.csv:latest', '--artifact-name', 'clean.csv', ...flags]);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.code).toBe(2);
    expect(existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []).toEqual([]);
  } finally {
    dir.remove();
  }
});
