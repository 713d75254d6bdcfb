import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { type Store, openStore } from '@mldp/store';
import { tempDir } from '@mldp/testkit';
import { formatCsvLine } from '@mldp/table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusCase, loadExpected, loadPandasCsvCorpus, sha256, writeInput } from '../../table/src/test-support/pandas-csv-corpus.js';
import { preprocess } from './preprocess.js';

// The differential corpus of packages/table (pandas 1.5.3's read_csv on tricky files), through
// preprocess: its rows must be pandas' df.drop_duplicates(), plus the text feature, here made of
// the first column alone (its text as written, nulls as '').
const FEATURE = '__mldp_text_feature__';
const corpus = loadPandasCsvCorpus();
const cases = corpus.cases.filter((testCase) => loadExpected(testCase).error === undefined && !(loadExpected(testCase).columns ?? []).includes(FEATURE));
// Named in packages/table/src/pandas-csv.test.ts: pandas' tokenizer bug on CR-only files.
const DIVERGENT = new Set(['eol-cr-space-after-header', 'eol-cr-tab-after-header']);

describe('preprocess against pandas drop_duplicates() on the CSV corpus', () => {
  const dir = tempDir('mldp-pp-corpus-');
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ location: join(dir.path, 'store') });
  });
  afterAll(() => dir.remove());

  it.each(cases.filter((c) => !DIVERGENT.has(c.name)).map((c) => [c.name, c] as const))('%s', async (name, testCase: CorpusCase) => {
    const expected = loadExpected(testCase);
    const input = writeInput(testCase, dir.path);
    await store.logArtifact({ name: `${name}.csv`, type: 'raw_data', files: [{ path: input }] });
    const result = await preprocess({ inputArtifact: `${name}.csv:latest`, artifactName: `${name}.out.csv`, artifactType: 'preprocessed_data', textColumns: [expected.columns![0]], textFeature: FEATURE }, store);
    const output = readFileSync(store.driver.localBlobPath!(result.artifact.files[0].sha256)!);
    // mldp's output read with LF as the only record end (a lone CR is written bare, as pandas does).
    const rows = (parse(output, { record_delimiter: '\n' }) as string[][]).map((row) => row.map((cell) => (cell === '' ? null : cell)));
    expect(rows[0]).toEqual([...expected.columns!, FEATURE]);
    for (const row of rows.slice(1)) expect(row.at(-1) ?? '').toBe(row[0] ?? '');
    const text = rows.map((row) => `${formatCsvLine(row.slice(0, -1))}\n`).join('');
    if (expected.drop_duplicates !== undefined) expect(text).toBe(expected.drop_duplicates);
    else expect({ sha256: sha256(text), bytes: Buffer.byteLength(text) }).toEqual({ sha256: expected.drop_duplicates_sha256, bytes: expected.drop_duplicates_bytes });
    expect(result.rowsOut).toBe(rows.length - 1);
  });
});
