import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One call of the original pipeline's split, as scripts/gen-split-fixtures.py recorded it. */
export interface SklearnCase {
  seed: number;
  test_size: number;
  val_size: number;
  stratify: boolean;
  train?: Ids;
  test?: Ids;
  val?: Ids;
  error?: string;
  error_in?: 'test' | 'val';
  /** sha256 of each split as pandas writes it (stratified cases at test_size 0.3, val_size 0.3). */
  files?: Record<'train' | 'test' | 'val', string>;
}

/** Row ids in order, or for long lists their count and sha256 of the comma-joined ids. */
export type Ids = number[] | { n: number; sha256: string };

export interface SklearnLayout {
  name: string;
  /** `id,label` rows: id is the row's position. */
  csv: string;
  dtype: string;
  cases: SklearnCase[];
}

export const SKLEARN = JSON.parse(gunzipSync(readFileSync(join(import.meta.dirname, '../fixtures/sklearn-splits.json.gz'))).toString('utf8')) as {
  sklearn: string;
  layouts: SklearnLayout[];
};

/** The same form as the fixture: short lists as they are, long ones digested. */
export function idsOf(rows: ArrayLike<number>): Ids {
  const ids = Array.from(rows);
  return ids.length <= 64 ? ids : { n: ids.length, sha256: createHash('sha256').update(ids.join(',')).digest('hex') };
}

/** The mldp error code that stands for each of scikit-learn's refusals. */
export function codeOfSklearnError(message: string): string {
  if (/least populated class/.test(message)) return 'E_CLASS_TOO_SMALL';
  if (/should be greater or equal to the number of classes/.test(message)) return 'E_SPLIT_TOO_SMALL';
  if (/should be either positive and smaller|resulting train set will be empty/.test(message)) return 'E_USAGE';
  throw new Error(`no mldp code for scikit-learn's error: ${message}`);
}
