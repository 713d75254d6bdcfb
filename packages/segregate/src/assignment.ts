import { allocateByClass } from './allocation.js';
import type { Xoshiro128 } from './prng.js';

export const TRAIN = 0;
export const TEST = 1;
export const VALIDATION = 2;

/**
 * Assigns each row to train, test or validation. Rows are grouped by class (a single group
 * without stratification), each group is shuffled with the seeded generator, and each split takes
 * its per-class allocation from the front of the shuffled group.
 */
export function assignSplits(
  classOf: Int32Array,
  classCount: number,
  sizes: { test: number; validation: number },
  rng: Xoshiro128,
): { splitOf: Uint8Array; perClass: { test: number[]; validation: number[]; train: number[] } } {
  const n = classOf.length;
  const counts = new Array<number>(classCount).fill(0);
  for (let i = 0; i < n; i++) counts[classOf[i]]++;
  const starts = new Array<number>(classCount).fill(0);
  for (let c = 1; c < classCount; c++) starts[c] = starts[c - 1] + counts[c - 1];
  const rows = new Int32Array(n);
  const fill = [...starts];
  for (let i = 0; i < n; i++) rows[fill[classOf[i]]++] = i;
  for (let c = 0; c < classCount; c++) rng.shuffle(rows.subarray(starts[c], starts[c] + counts[c]));

  const test = allocateByClass(counts, sizes.test, rng);
  const remaining = counts.map((count, c) => count - test[c]);
  const validation = sizes.validation > 0 ? allocateByClass(remaining, sizes.validation, rng) : counts.map(() => 0);
  const train = remaining.map((count, c) => count - validation[c]);

  const splitOf = new Uint8Array(n);
  for (let c = 0; c < classCount; c++) {
    const group = rows.subarray(starts[c], starts[c] + counts[c]);
    for (let k = 0; k < test[c]; k++) splitOf[group[k]] = TEST;
    for (let k = test[c]; k < test[c] + validation[c]; k++) splitOf[group[k]] = VALIDATION;
  }
  return { splitOf, perClass: { train, test, validation } };
}
