import { UsageError } from '@mldp/store';
import type { Xoshiro128 } from './prng.js';

/**
 * How many rows of each class to draw so that shares follow class proportions, as
 * scikit-learn's _approximate_mode does: floor(count * draws / total) for each class, then the
 * remaining draws go one each to the classes with the largest remainders (ties broken at random).
 * Every class ends within 1 of its exact share, and the total is exact.
 */
export function allocateByClass(counts: readonly number[], draws: number, rng: Xoshiro128): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((count) => (count / total) * draws);
  const allocated = continuous.map(Math.floor);
  let needed = draws - allocated.reduce((a, b) => a + b, 0);
  if (needed > 0) {
    const remainders = continuous.map((value, i) => value - allocated[i]);
    const distinct = [...new Set(remainders)].sort((a, b) => b - a);
    for (const value of distinct) {
      const tied = remainders.flatMap((r, i) => (r === value ? [i] : []));
      rng.shuffle(tied);
      const take = Math.min(tied.length, needed);
      for (let k = 0; k < take; k++) allocated[tied[k]]++;
      needed -= take;
      if (needed === 0) break;
    }
  }
  return allocated;
}

/**
 * The number of rows a size means for `n` rows, as train_test_split: a fraction in (0, 1)
 * takes ceil(size * n); a whole number >= 1 is a row count.
 */
export function resolveSplitSize(size: number, n: number, flag: string): number {
  if (!Number.isFinite(size) || size <= 0) throw new UsageError(`${flag} must be a fraction in (0, 1) or a row count >= 1, got ${size}`);
  const rows = size < 1 ? Math.ceil(size * n) : size;
  if (size >= 1 && !Number.isInteger(size)) throw new UsageError(`${flag} ${size} is neither a fraction in (0, 1) nor a whole number of rows`);
  if (rows >= n) {
    throw new UsageError(`${flag} ${size} leaves no rows for training: it takes ${rows} of ${n} rows`, {
      hint: 'use a smaller fraction or row count',
    });
  }
  return rows;
}
