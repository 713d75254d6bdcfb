#!/usr/bin/env node
import { UsageError, runStepCli } from '@mldp/store';
import { checkData } from './check-data.js';
import { DEFAULT_CHECKS, loadChecksFile } from './checks-config.js';

await runStepCli({
  step: 'check_data',
  bin: 'mldp-check-data',
  description: 'Test a table against declared checks and a reference (KS drift); exit 1 when a check fails.',
  options: {
    'reference-artifact': { type: 'string', demandOption: true, describe: 'the baseline table (NAME:ALIAS)' },
    'sample-artifact': { type: 'string', demandOption: true, describe: 'the table under test (NAME:ALIAS)' },
    'ks-alpha': { type: 'number', default: 0.05, describe: 'family-wise level of the KS tests, in (0,1)' },
    checks: { type: 'string', describe: 'YAML or JSON file of checks (default: the built-in checks)' },
    'bootstrap-reference': { type: 'boolean', default: true, describe: 'make the sample the reference when that alias is missing' },
    'report-name': { type: 'string', default: 'check_data_report', describe: 'name of the report artifact' },
  },
  parse(args) {
    const ksAlpha = args['ks-alpha'] as number;
    if (!(ksAlpha > 0 && ksAlpha < 1)) throw new UsageError(`--ks-alpha must be a number in (0, 1), got ${args['ks-alpha']}`);
    return {
      referenceArtifact: String(args['reference-artifact']),
      sampleArtifact: String(args['sample-artifact']),
      ksAlpha,
      checks: args.checks ? loadChecksFile(String(args.checks)) : DEFAULT_CHECKS,
      bootstrapReference: Boolean(args['bootstrap-reference']),
      reportName: String(args['report-name']),
    };
  },
  async execute(params, { store, run, reporter, workDir }) {
    await checkData(params, store, { run, reporter, workDir: await workDir() });
  },
});
