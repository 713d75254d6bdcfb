import { plural, UsageError } from '@mldp/runtime';
import { DataError } from '@mldp/table';
import { approximateMode } from './approximate-mode.js';
import { RandomState } from './random-state.js';

/** Rows' classes as np.unique numbers them: class c is labels[c], in np.unique's sorted order. */
export interface Classes {
  classOf: Int32Array;
  labels: string[];
}

/** What a split is of, for messages: its size flag and the rows it splits. */
export interface SplitContext {
  /** The flag (or config key) that set the size, e.g. `--test-size`. */
  flag: string;
  /** The split that size makes, e.g. `test`. */
  split: string;
  /** The other split, e.g. `train`. */
  rest: string;
  /** The rows being split, e.g. `the 120 rows of data.csv:v0`. */
  rows: string;
}

export interface TrainTest {
  /** Row indices (into the rows split) in scikit-learn's order. */
  train: Int32Array;
  test: Int32Array;
  /** With classes: each class's rows in train and in test (`n_i` and `t_i` of scikit-learn). */
  trainCounts?: number[];
  testCounts?: number[];
}

/**
 * `_validate_shuffle_split(n, test_size, None)` of sklearn/model_selection/_split.py (1.2.1): a
 * fraction in (0, 1) takes ceil(size * n) rows and a whole number is a row count in [1, n - 1];
 * training takes the rest and may not be empty. JS numbers cannot tell 1.0 from 1: 1 is a row.
 */
export function splitSizes(n: number, size: number, context: SplitContext): { nTrain: number; nTest: number } {
  const isCount = Number.isInteger(size);
  if (!Number.isFinite(size) || (isCount && (size <= 0 || size >= n)) || (!isCount && (size <= 0 || size >= 1))) {
    throw new UsageError(`${context.flag} ${size} is neither a fraction in (0, 1) nor a whole number of rows from 1 to ${n - 1}, for ${context.rows}`, {
      hint: `give a fraction such as 0.3 or a row count below ${n}, as scikit-learn's train_test_split requires`,
    });
  }
  const nTest = isCount ? size : Math.ceil(size * n);
  const nTrain = n - nTest;
  if (nTrain === 0) {
    throw new UsageError(`${context.flag} ${size} leaves no ${context.rest} rows: ceil(${size} * ${n}) = ${nTest} takes all of ${context.rows}`, {
      hint: `use a smaller ${context.flag}`,
    });
  }
  return { nTrain, nTest };
}

/**
 * `train_test_split(rows, test_size=size, random_state=seed, stratify=classes)`: ShuffleSplit
 * without classes, StratifiedShuffleSplit with them, each with a fresh RandomState(seed).
 */
export function trainTestSplit(n: number, size: number, seed: number, classes: Classes | null, context: SplitContext = { flag: 'test_size', split: 'test', rest: 'train', rows: `the ${plural(n, 'row')}` }): TrainTest {
  const { nTrain, nTest } = splitSizes(n, size, context);
  const rng = new RandomState(seed);
  return classes ? stratifiedShuffleSplit(classes, nTrain, nTest, rng, context) : shuffleSplit(n, nTrain, nTest, rng);
}

/** `ShuffleSplit._iter_indices`: one permutation of all rows; test is its head, train what follows. */
export function shuffleSplit(n: number, nTrain: number, nTest: number, rng: RandomState): TrainTest {
  const permutation = rng.permutation(n);
  return { test: permutation.slice(0, nTest), train: permutation.slice(nTest, nTest + nTrain) };
}

/**
 * `StratifiedShuffleSplit._iter_indices`: per-class counts for train first (`_approximate_mode`),
 * then test from what is left; each class's rows (in row order: np.argsort(kind="mergesort") is
 * stable) taken in the order of `rng.permutation(count)`; then train and test each permuted.
 */
export function stratifiedShuffleSplit(classes: Classes, nTrain: number, nTest: number, rng: RandomState, context: SplitContext): TrainTest {
  const { classOf, labels } = classes;
  const counts = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < classOf.length; i++) counts[classOf[i]]++;
  checkClassCounts(labels, counts, { [context.rest]: nTrain, [context.split]: nTest }, context);

  // np.split(np.argsort(y_indices, kind="mergesort"), ...): each class's rows in row order.
  const starts = new Int32Array(labels.length + 1);
  for (let c = 0; c < labels.length; c++) starts[c + 1] = starts[c] + counts[c];
  const byClass = new Int32Array(classOf.length);
  const fill = starts.slice(0, labels.length);
  for (let i = 0; i < classOf.length; i++) byClass[fill[classOf[i]]++] = i;

  const trainCounts = approximateMode(counts, nTrain, rng);
  const testCounts = approximateMode(counts.map((count, c) => count - trainCounts[c]), nTest, rng);
  const train = new Int32Array(nTrain);
  const test = new Int32Array(nTest);
  let trainAt = 0;
  let testAt = 0;
  for (let c = 0; c < labels.length; c++) {
    const permutation = rng.permutation(counts[c]);
    const members = byClass.subarray(starts[c], starts[c + 1]);
    for (let k = 0; k < trainCounts[c]; k++) train[trainAt++] = members[permutation[k]];
    for (let k = trainCounts[c]; k < trainCounts[c] + testCounts[c]; k++) test[testAt++] = members[permutation[k]];
  }
  return { train: rng.shuffle(train), test: rng.shuffle(test), trainCounts, testCounts };
}

/** scikit-learn's refusals, in its order: a class of one row, then a split with fewer rows than classes. */
function checkClassCounts(labels: string[], counts: number[], sizes: Record<string, number>, context: SplitContext): void {
  const single = labels.filter((_, c) => counts[c] < 2);
  if (single.length) {
    const named = single.slice(0, 5).map((label) => JSON.stringify(label)).join(', ') + (single.length > 5 ? ` and ${single.length - 5} more` : '');
    throw new DataError('E_CLASS_TOO_SMALL', `stratifying ${context.rows} needs at least 2 rows per class, but the class ${named} ${single.length === 1 ? 'has' : 'have'} 1`, {
      hint: 'drop or merge the rare classes, or split without stratification (--stratify null)',
    });
  }
  for (const [split, rows] of Object.entries(sizes)) {
    if (rows < labels.length) {
      throw new DataError('E_SPLIT_TOO_SMALL', `the ${split} split of ${context.rows} would have ${plural(rows, 'row')}, fewer than its ${plural(labels.length, 'class', 'classes')}`, {
        hint: `make the ${split} split larger so that every class can be represented`,
      });
    }
  }
}
