// The differential CSV corpus of src/fixtures/pandas-csv (made by scripts/gen-pandas-csv-fixtures.py):
// tricky inputs and what pandas 1.5.3's read_csv(path) + to_csv(index=False) make of them.
// Shared by the tests of every step that claims to read CSV as pandas does.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ColumnType } from '../types.js';

export const PANDAS_CSV_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'pandas-csv');

export interface CorpusCase {
  name: string;
  /** Relative to the fixture folder, or to node_modules when `package` is set. */
  input: string;
  gzip?: boolean;
  package?: string;
  expected: string;
  /** Set where pandas' output is arguably a pandas bug (the README may name it as a divergence). */
  note?: string;
}

/** What pandas made of one table: the full texts for small cases, their sha256 for large ones. */
export interface PandasTable {
  dtypes: string[];
  output?: string;
  drop_duplicates?: string;
  output_sha256?: string;
  output_bytes?: number;
  drop_duplicates_sha256?: string;
  drop_duplicates_bytes?: number;
}

export interface PandasResult extends Partial<PandasTable> {
  error?: string;
  columns?: string[];
  rows?: number;
  input_sha256?: string;
  /** The same read with float_precision="round_trip": present where pandas' own float parser misreads. */
  round_trip?: PandasTable;
}

export interface PandasCsvCorpus {
  pandas: string;
  cases: CorpusCase[];
}

export function loadPandasCsvCorpus(): PandasCsvCorpus {
  return JSON.parse(readFileSync(join(PANDAS_CSV_FIXTURES, 'manifest.json'), 'utf8')) as PandasCsvCorpus;
}

export function loadExpected(testCase: CorpusCase): PandasResult {
  return JSON.parse(readFileSync(join(PANDAS_CSV_FIXTURES, testCase.expected), 'utf8')) as PandasResult;
}

const requireFromHere = createRequire(import.meta.url);

/** The bytes pandas read: gunzipped for large cases, from the npm package for csv-spectrum's. */
export function inputBytes(testCase: CorpusCase): Buffer {
  if (testCase.package) {
    const root = dirname(requireFromHere.resolve(`${testCase.package}/package.json`));
    return readFileSync(join(root, testCase.input.slice(testCase.package.length + 1)));
  }
  const bytes = readFileSync(join(PANDAS_CSV_FIXTURES, testCase.input));
  return testCase.gzip ? gunzipSync(bytes) : bytes;
}

/** Writes the case's input as `<dir>/<name>.csv` (a plain file, whatever its source) and returns the path. */
export function writeInput(testCase: CorpusCase, dir: string): string {
  const path = join(dir, `${testCase.name}.csv`);
  writeFileSync(path, inputBytes(testCase));
  return path;
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** mldp's column type for a pandas dtype, as read_csv infers it. */
export function columnTypeOf(dtype: string): ColumnType {
  switch (dtype) {
    case 'int64':
    case 'uint64':
      return 'int';
    case 'float64':
      return 'float';
    case 'bool':
      return 'bool';
    case 'object':
      return 'string';
    default:
      throw new Error(`read_csv gave dtype ${dtype}, which has no mldp column type`);
  }
}

/** Whether `text` is what pandas wrote for `table` (`which`: the whole frame or its drop_duplicates()). */
export function matchesPandas(text: string, table: PandasTable, which: 'output' | 'drop_duplicates' = 'output'): boolean {
  const full = table[which];
  if (full !== undefined) return text === full;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length === table[`${which}_bytes`] && sha256(bytes) === table[`${which}_sha256`];
}
