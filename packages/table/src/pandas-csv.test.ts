import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, canonicalizeCsv } from './index.js';
import {
  PANDAS_CSV_FIXTURES,
  columnTypeOf,
  inputBytes,
  loadExpected,
  loadPandasCsvCorpus,
  sha256,
  writeInput,
  type CorpusCase,
  type PandasResult,
  type PandasTable,
} from './test-support/pandas-csv-corpus.js';

/**
 * Where mldp reads a file as it is written and pandas does not (README, "pandas and scikit-learn
 * compatibility"): in a file whose lines end in CR alone, pandas' tokenizer takes a line that
 * starts with a space or tab back to the start of its buffer (it looks for an LF), so it reads
 * earlier lines twice. mldp's output for those files, and the reason.
 */
const KNOWN_DIVERGENCES: Record<string, string> = {
  'eol-cr-space-after-header': 'a,b\n ,1\n2,3\n',
  'eol-cr-tab-after-header': 'a,b\n\t,1\n',
};

const corpus = loadPandasCsvCorpus();
const dir = tempDir('mldp-pandas-csv-');
afterAll(() => dir.remove());

describe('the pandas CSV corpus', () => {
  it('has a case for every fixture file and a fixture for every case', () => {
    expect(corpus.pandas).toBe('1.5.3');
    expect(corpus.cases.length).toBeGreaterThanOrEqual(80);
    const named = new Set(['manifest.json']);
    for (const testCase of corpus.cases) {
      named.add(testCase.expected);
      if (!testCase.package) named.add(testCase.input);
    }
    expect(readdirSync(PANDAS_CSV_FIXTURES).filter((file) => !named.has(file))).toEqual([]);
    for (const file of named) expect(existsSync(join(PANDAS_CSV_FIXTURES, file)), file).toBe(true);
  });

  it('holds the very inputs pandas read (gzipped and npm ones by their sha256)', () => {
    const withSha = corpus.cases.filter((testCase) => loadExpected(testCase).input_sha256 !== undefined);
    expect(withSha.length).toBeGreaterThanOrEqual(6 + 12);
    for (const testCase of withSha) expect(sha256(inputBytes(testCase)), testCase.name).toBe(loadExpected(testCase).input_sha256);
  });

  it('covers errors, implicit indexes, low_memory chunks and the float misreads', () => {
    const expected = corpus.cases.map(loadExpected);
    expect(expected.filter((result) => result.error !== undefined).length).toBeGreaterThanOrEqual(8);
    expect(corpus.cases.filter((testCase) => testCase.gzip).length).toBeGreaterThanOrEqual(6);
    expect(expected.filter((result) => result.round_trip !== undefined).length).toBeGreaterThanOrEqual(5);
  });
});

describe('canonicalizeCsv against pandas.read_csv + to_csv(index=False)', () => {
  it.each(corpus.cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const expected = loadExpected(testCase);
    const inputPath = inputPathFor(testCase);
    const outputPath = join(dir.path, `${testCase.name}.out.csv`);
    if (expected.error !== undefined) {
      const failure = await canonicalizeCsv(inputPath, outputPath).then(
        () => new Error(`read without error; pandas raises ${expected.error}`),
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DataError);
      expect((failure as Error).message).toContain(basename(inputPath));
      expect(existsSync(outputPath), 'no output is left behind').toBe(false);
      return;
    }
    const result = await canonicalizeCsv(inputPath, outputPath);
    const text = readFileSync(outputPath, 'utf8');
    if (testCase.name in KNOWN_DIVERGENCES) {
      expect(text).toBe(KNOWN_DIVERGENCES[testCase.name]);
      return;
    }
    const reference = expected as PandasTable;
    if (reference.output !== undefined) {
      expect(text).toBe(reference.output);
    } else {
      const bytes = Buffer.from(text, 'utf8');
      expect({ bytes: bytes.length, sha256: sha256(bytes) }).toEqual({ bytes: reference.output_bytes, sha256: reference.output_sha256 });
    }
    expect(result.types).toEqual(reference.dtypes.map(columnTypeOf));
    expect(result.columns).toEqual(expected.columns);
    expect(result.rows).toBe(expected.rows);
  });
});

/** Small cases are read in place; gzipped and npm ones are written out as plain `<name>.csv`. */
function inputPathFor(testCase: CorpusCase): string {
  if (!testCase.gzip && !testCase.package) return join(PANDAS_CSV_FIXTURES, testCase.input);
  return writeInput(testCase, dir.path);
}
