import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tempDir } from '@mldp/store/testing';
import { afterAll, describe, expect, it } from 'vitest';
import * as table from './index.js';
import {
  PANDAS_CSV_FIXTURES,
  columnTypeOf,
  inputBytes,
  loadExpected,
  loadPandasCsvCorpus,
  matchesPandas,
  sha256,
  writeInput,
  type CorpusCase,
  type PandasResult,
  type PandasTable,
} from './test-support/pandas-csv-corpus.js';
import type { ColumnType } from './types.js';

/** Reads a CSV file as pandas.read_csv(path) does and writes it as df.to_csv(outputPath, index=False). */
type CanonicalizeCsv = (inputPath: string, outputPath: string) => Promise<{ columns: string[]; types: ColumnType[]; rows: number }>;

// Typed against the signature above once @mldp/table exports it; until then the differential
// cases wait (the corpus checks below run either way).
const { canonicalizeCsv }: { canonicalizeCsv?: CanonicalizeCsv; DataError: typeof table.DataError } = table;

// The README's one allowed divergence: pandas' float parser (precise_xstrtod) misreads some
// decimals; an output equal to pandas' read with exactly rounded floats (float_precision=
// "round_trip") passes too, where the two differ in values only. Where they differ in a column's
// type (1.7976931348623158e308 and -1e309 overflow in pandas, so the column is text), pandas wins.
const ALLOW_EXACTLY_ROUNDED_FLOATS = true;

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

describe.runIf(canonicalizeCsv !== undefined)('canonicalizeCsv against pandas.read_csv + to_csv(index=False)', () => {
  it.each(corpus.cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const expected = loadExpected(testCase);
    const inputPath = inputPathFor(testCase);
    const outputPath = join(dir.path, `${testCase.name}.out.csv`);
    if (expected.error !== undefined) {
      const failure = await canonicalizeCsv!(inputPath, outputPath).then(
        () => new Error(`read without error; pandas raises ${expected.error}`),
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(table.DataError);
      expect((failure as Error).message).toContain(basename(inputPath));
      expect(existsSync(outputPath), 'no output is left behind').toBe(false);
      return;
    }
    const result = await canonicalizeCsv!(inputPath, outputPath);
    const text = readFileSync(outputPath, 'utf8');
    const reference = referenceFor(expected, text);
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

/** pandas' own result, or its exactly rounded read where that is what was written and allowed. */
function referenceFor(expected: PandasResult, text: string): PandasTable {
  const pandas = expected as PandasTable;
  const exact = expected.round_trip;
  const sameTypes = exact !== undefined && exact.dtypes.join() === pandas.dtypes.join();
  if (ALLOW_EXACTLY_ROUNDED_FLOATS && sameTypes && matchesPandas(text, exact)) return exact;
  return pandas;
}
