import { plural, whereSet } from '@mldp/runtime';
import { SEGREGATE_PARAMS } from './params.js';
import { type Classes, type SplitContext, splitSizes, trainTestSplit } from './shuffle-split.js';

export interface SplitRequest {
  rows: number;
  testSize: number;
  /** 0 for no validation split. */
  valSize: number;
  seed: number;
  /** What the rows are, for messages (e.g. `data.csv:v0`). */
  source: string;
  /** Sort each split's rows back into input order instead of scikit-learn's order. */
  keepInputOrder?: boolean;
}

export interface SplitPlan {
  /** Each split's rows (indices into the input) in the order they are written. */
  train: Int32Array;
  test: Int32Array;
  val?: Int32Array;
  /** Each split's row count per class label, every class of the table (empty without classes). */
  perClass: { train: Map<string, number>; test: Map<string, number>; val?: Map<string, number> };
}

/** The context of the first split's messages. */
export function testSplitContext(request: Pick<SplitRequest, 'rows' | 'source'>): SplitContext {
  return { flag: whereSet('test_size', SEGREGATE_PARAMS.test_size), split: 'test', rest: 'train', rows: `the ${plural(request.rows, 'row')} of ${request.source}` };
}

/**
 * The splits of the original pipeline: `rest, test = train_test_split(df, test_size, seed,
 * stratify)`, then with validation `train, val = train_test_split(rest, val_size, seed,
 * stratify=rest[col])`, a fresh RandomState(seed) each time, `rest` in its permuted order.
 * `classes` is called once the sizes are known to be valid, as scikit-learn checks sizes first.
 */
export function planSplits(request: SplitRequest, classes: () => Classes | null): SplitPlan {
  const { rows, testSize, valSize, seed } = request;
  splitSizes(rows, testSize, testSplitContext(request));
  const all = classes();
  const first = trainTestSplit(rows, testSize, seed, all, testSplitContext(request));
  const plan: SplitPlan = { train: first.train, test: first.test, perClass: { train: new Map(), test: new Map() } };
  if (all) plan.perClass = { train: named(all.labels, first.trainCounts!), test: named(all.labels, first.testCounts!) };
  if (valSize !== 0) {
    const rest = first.train;
    const context = { flag: whereSet('val_size', SEGREGATE_PARAMS.val_size), split: 'validation', rest: 'train', rows: `the ${plural(rest.length, 'row')} left for train and validation after the test split` };
    const restClasses = all && subset(all, first.trainCounts!, rest);
    const second = trainTestSplit(rest.length, valSize, seed, restClasses, context);
    plan.train = pick(rest, second.train);
    plan.val = pick(rest, second.test);
    if (all && restClasses) {
      // Classes absent from the rest have no rows in either.
      const none = named(all.labels, all.labels.map(() => 0));
      plan.perClass.train = new Map([...none, ...named(restClasses.labels, second.trainCounts!)]);
      plan.perClass.val = new Map([...none, ...named(restClasses.labels, second.testCounts!)]);
    } else plan.perClass.val = new Map();
  }
  if (request.keepInputOrder) for (const split of [plan.train, plan.test, plan.val]) split?.sort();
  return plan;
}

/**
 * The classes of the rows that `counts` says each class has among `rows`, renumbered as
 * np.unique numbers them on those rows alone: absent classes drop out.
 */
function subset(classes: Classes, counts: number[], rows: Int32Array): Classes {
  const renumbered = new Int32Array(classes.labels.length).fill(-1);
  const labels: string[] = [];
  classes.labels.forEach((label, c) => {
    if (counts[c] === 0) return;
    renumbered[c] = labels.length;
    labels.push(label);
  });
  const classOf = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) classOf[k] = renumbered[classes.classOf[rows[k]]];
  return { labels, classOf };
}

/** items[indices[k]] for every k. */
function pick(items: Int32Array, indices: Int32Array): Int32Array {
  const picked = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) picked[k] = items[indices[k]];
  return picked;
}

function named(labels: string[], counts: number[]): Map<string, number> {
  return new Map(labels.map((label, c) => [label, counts[c]]));
}
