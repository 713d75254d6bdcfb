import { NAME_RULE, type StepParams } from '@mldp/runtime';

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200, description: NAME_RULE } as const;

/**
 * check_data's parameters, declared once: the bin's flags, config.yaml's keys, the orchestrator's
 * arguments and the cache key come from here. The checks themselves are a section of their own
 * (`checks:`, `checksSchema`).
 */
export const CHECK_DATA_PARAMS = {
  reference_artifact: { rule: { type: 'string', minLength: 1 }, required: true, config: 'data.reference_dataset', describe: 'the baseline table (NAME:ALIAS)' },
  sample_artifact: { rule: { type: 'string', minLength: 1 }, required: true, describe: 'the table under test (NAME:ALIAS)' },
  ks_alpha: { rule: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, default: 0.05, config: 'data.ks_alpha', describe: 'family-wise level of the KS tests' },
  bootstrap_reference: { rule: { type: 'boolean' }, default: true, config: 'data.bootstrap_reference', describe: 'make the sample the reference when that alias is missing' },
  report_name: { rule: name, default: 'check_data_report', config: 'check_data.report_name', describe: 'name of the report artifact' },
} as const satisfies StepParams;
