#!/usr/bin/env node
import { UsageError, runStepCli } from '@mldp/store';
import { segregate } from './segregate.js';

await runStepCli({
  step: 'segregate',
  bin: 'mldp-segregate',
  description: 'Split a table into stratified, seeded train/test(/validation) CSV artifacts.',
  options: {
    'input-artifact': { type: 'string', demandOption: true, describe: 'the table to split (NAME:ALIAS)' },
    'artifact-root': { type: 'string', default: 'data', describe: 'outputs are ROOT_train.csv, ROOT_test.csv, ROOT_val.csv' },
    'artifact-type': { type: 'string', default: 'segregated_data', describe: 'type of the output artifacts' },
    'test-size': { type: 'number', default: 0.3, describe: 'fraction in (0,1) or row count of the test split (1 means one row)' },
    'val-size': { type: 'number', default: 0, describe: 'fraction or row count of the rest for validation (0: none)' },
    'random-seed': { type: 'number', default: 42, describe: 'numpy RandomState seed of the split, 0 .. 4294967295' },
    stratify: { type: 'string', default: 'null', describe: 'class column to stratify by, or "null" for none' },
    'keep-input-order': { type: 'boolean', default: false, describe: "write each split's rows in input order, not scikit-learn's" },
  },
  parse(args) {
    const number = (name: string): number => {
      const value = args[name] as number;
      if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got ${args[name]}`);
      return value;
    };
    const stratify = String(args.stratify);
    return {
      inputArtifact: String(args['input-artifact']),
      artifactRoot: String(args['artifact-root']),
      artifactType: String(args['artifact-type']),
      testSize: number('test-size'),
      valSize: number('val-size'),
      randomSeed: number('random-seed'),
      stratify: stratify === 'null' || stratify === '' ? null : stratify,
      keepInputOrder: Boolean(args['keep-input-order']),
    };
  },
  async execute(params, { store, run, reporter, workDir }) {
    await segregate(params, store, { run, reporter, workDir: await workDir() });
  },
});
