import { type StepParams } from '@mldp/runtime';

const rowCount = { type: 'integer', minimum: 1 } as const;

/**
 * segregate's tunable parameters: the bin's flags and config.yaml's keys (`data.test_size`,
 * `data.val_size`, `main.random_seed`) follow these rules. A size is a fraction or a row count,
 * as in scikit-learn's train_test_split (JS has no 1.0: 1 is one row), in config.yaml as on the
 * command line. The seed is numpy's: RandomState takes 0 to 2**32 - 1.
 */
export const SEGREGATE_PARAMS = {
  test_size: {
    rule: { anyOf: [{ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, rowCount] },
    default: 0.3,
    describe: 'fraction or row count of the test split',
  },
  val_size: {
    rule: { anyOf: [{ type: 'number', minimum: 0, exclusiveMaximum: 1 }, rowCount] },
    default: 0,
    describe: 'fraction or row count of the rest for validation; 0 for none',
  },
  random_seed: { rule: { type: 'integer', minimum: 0, maximum: 4294967295 }, default: 42, describe: "numpy RandomState seed of the split" },
} as const satisfies StepParams;
