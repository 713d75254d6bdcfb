#!/usr/bin/env node
import { packageVersion, runCli } from '@mldp/runtime';
import { stepCommand } from '@mldp/store';
import { checkData } from './check-data.js';
import { DEFAULT_CHECKS, loadChecksFile } from './checks-config.js';
import { CHECK_DATA_PARAMS } from './params.js';

await runCli(
  stepCommand({
    step: 'check_data',
    bin: 'mldp-check-data',
    version: packageVersion(import.meta.url),
    description: 'Test a table against declared checks and a reference (KS drift); exit 1 when a check fails.',
    options: {
      'reference-artifact': { type: 'string', demandOption: true, describe: 'the baseline table (NAME:ALIAS)' },
      'sample-artifact': { type: 'string', demandOption: true, describe: 'the table under test (NAME:ALIAS)' },
      checks: { type: 'string', describe: 'YAML or JSON file of checks (default: the built-in checks)' },
      'bootstrap-reference': { type: 'boolean', default: true, describe: 'make the sample the reference when that alias is missing' },
      'report-name': { type: 'string', default: 'check_data_report', describe: 'name of the report artifact' },
    },
    params: CHECK_DATA_PARAMS,
    parse(args) {
      return {
        referenceArtifact: String(args['reference-artifact']),
        sampleArtifact: String(args['sample-artifact']),
        ksAlpha: args['ks-alpha'] as number,
        checks: args.checks ? loadChecksFile(String(args.checks)) : DEFAULT_CHECKS,
        bootstrapReference: Boolean(args['bootstrap-reference']),
        reportName: String(args['report-name']),
      };
    },
    async execute(params, { store, run, reporter, workDir }) {
      await checkData(params, store, { run, reporter, workDir: await workDir() });
    },
  }),
);
