import { NAME_RULE, type StepParams } from '@mldp/runtime';

const rowCount = { type: 'integer', minimum: 1 } as const;
const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200, description: NAME_RULE } as const;

/**
 * segregate's parameters, declared once: the bin's flags, config.yaml's keys, the orchestrator's
 * arguments and the cache key come from here. A size is a fraction or a row count, as in
 * scikit-learn's train_test_split (JS has no 1.0: 1 is one row); whether a row count fits the
 * table is known only once it is read (`splitSizes`). The seed is numpy's: RandomState takes 0
 * to 2**32 - 1.
 */
export const SEGREGATE_PARAMS = {
  input_artifact: { rule: { type: 'string', minLength: 1 }, required: true, describe: 'the table to split (NAME:ALIAS)' },
  artifact_prefix: {
    rule: name,
    default: 'data',
    config: 'segregate.artifact_prefix',
    formerly: 'artifact_root',
    describe: "prefix of the output artifacts' names: PREFIX_train.csv, PREFIX_test.csv, PREFIX_val.csv",
  },
  artifact_type: { rule: name, default: 'segregated_data', config: 'segregate.artifact_type', describe: 'type of the output artifacts' },
  test_size: {
    rule: { anyOf: [{ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, rowCount] },
    default: 0.3,
    config: 'data.test_size',
    describe: 'fraction or row count of the test split',
  },
  val_size: {
    rule: { anyOf: [{ type: 'number', minimum: 0, exclusiveMaximum: 1 }, rowCount] },
    default: 0,
    config: 'data.val_size',
    describe: 'fraction or row count of the rest for validation; 0 for none',
  },
  random_seed: { rule: { type: 'integer', minimum: 0, maximum: 4294967295 }, default: 112233, config: 'main.random_seed', describe: 'numpy RandomState seed of the split' },
  stratify: { rule: { type: 'string', minLength: 1 }, nullable: true, default: null, config: 'data.stratify', describe: 'class column to stratify by, or null for none' },
  keep_input_order: { rule: { type: 'boolean' }, default: false, config: 'segregate.keep_input_order', describe: "write each split's rows in input order, not scikit-learn's" },
} as const satisfies StepParams;
