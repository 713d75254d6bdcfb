#!/usr/bin/env node
import { UsageError, packageVersion, runCli } from '@mldp/runtime';
import { stepCommand } from '@mldp/store';
import { checkData } from './check-data.js';
import { DEFAULT_CHECKS, type ChecksConfig, loadChecksFile, parseChecksText } from './checks-config.js';
import { CHECK_DATA_PARAMS } from './params.js';

await runCli(
  stepCommand({
    step: 'check_data',
    bin: 'mldp-check-data',
    version: packageVersion(import.meta.url),
    description: 'Test a table against declared checks and a reference (KS drift); exit 1 when a check fails.',
    options: {
      checks: { type: 'string', describe: 'YAML or JSON file of checks (default: the built-in checks)' },
      'checks-json': { type: 'string', describe: 'the checks as JSON text, as mldp run hands them over (instead of --checks)' },
    },
    params: CHECK_DATA_PARAMS,
    parse(args) {
      return {
        referenceArtifact: String(args['reference-artifact']),
        sampleArtifact: String(args['sample-artifact']),
        ksAlpha: args['ks-alpha'] as number,
        checks: checksOf(args),
        bootstrapReference: Boolean(args['bootstrap-reference']),
        reportName: String(args['report-name']),
      };
    },
    async execute(params, { store, run, reporter, workDir }) {
      await checkData(params, store, { run, reporter, workDir: await workDir() });
    },
  }),
);

function checksOf(args: Record<string, unknown>): ChecksConfig {
  if (args.checks !== undefined && args['checks-json'] !== undefined) throw new UsageError('--checks and --checks-json are both given', { hint: 'give the checks once' });
  if (args['checks-json'] !== undefined) return parseChecksText(String(args['checks-json']), '--checks-json');
  return args.checks ? loadChecksFile(String(args.checks)) : DEFAULT_CHECKS;
}
