import type { StepParams } from '@mldp/store';

const rowCount = { type: 'integer', minimum: 1 } as const;

/**
 * segregate's tunable parameters: the bin's flags and config.yaml's keys (`data.test_size`,
 * `data.val_size`, `main.random_seed`) follow these rules. A size is a fraction or a row count,
 * as in scikit-learn's train_test_split (JS has no 1.0: 1 is one row); config.yaml takes fractions.
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
  random_seed: { rule: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, default: 42, describe: 'seed of the split' },
} as const satisfies StepParams;
