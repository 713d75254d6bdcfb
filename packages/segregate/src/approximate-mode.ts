import type { RandomState } from './random-state.js';

/**
 * scikit-learn's `_approximate_mode(class_counts, n_draws, rng)` (sklearn/utils/__init__.py in
 * 1.2.1; sklearn/utils/extmath.py in later releases): how many of `draws` rows each class gets.
 * Each class takes floor(count / total * draws); the rows still needed go one each to the
 * classes with the largest remainders, one remainder value at a time from the largest down, and
 * within a value to `rng.choice(tied, take, replace=False)`. That choice shuffles all tied
 * classes even when all of them are taken, so it moves the random stream in every case.
 */
export function approximateMode(counts: readonly number[], draws: number, rng: RandomState): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  // The same float operations as numpy: (count / total) * draws, then floor.
  const continuous = counts.map((count) => (count / total) * draws);
  const floored = continuous.map(Math.floor);
  let needed = draws - floored.reduce((sum, value) => sum + value, 0);
  if (needed <= 0) return floored;
  const remainders = continuous.map((value, i) => value - floored[i]);
  // np.sort(np.unique(remainder))[::-1]: the distinct remainders, largest first.
  const values = [...new Set(remainders)].sort((a, b) => b - a);
  for (const value of values) {
    const tied = remainders.flatMap((remainder, i) => (remainder === value ? [i] : []));
    const take = Math.min(tied.length, needed);
    for (const i of rng.choice(tied, take)) floored[i]++;
    needed -= take;
    if (needed === 0) break;
  }
  return floored;
}
