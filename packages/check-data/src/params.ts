import { type StepParams } from '@mldp/runtime';

/** check_data's tunable parameters: the bin's flags and config.yaml's keys (`data.ks_alpha`) follow these rules. */
export const CHECK_DATA_PARAMS = {
  ks_alpha: { rule: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, default: 0.05, describe: 'family-wise level of the KS tests' },
} as const satisfies StepParams;
