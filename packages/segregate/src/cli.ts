#!/usr/bin/env node
import { packageVersion, runCli } from '@mldp/runtime';
import { stepCommand } from '@mldp/store';
import { SEGREGATE_PARAMS } from './params.js';
import { segregate } from './segregate.js';

await runCli(
  stepCommand({
    step: 'segregate',
    bin: 'mldp-segregate',
    version: packageVersion(import.meta.url),
    description: 'Split a table into stratified, seeded train/test(/validation) CSV artifacts.',
    options: {
      'input-artifact': { type: 'string', demandOption: true, describe: 'the table to split (NAME:ALIAS)' },
      'artifact-root': { type: 'string', default: 'data', describe: 'outputs are ROOT_train.csv, ROOT_test.csv, ROOT_val.csv' },
      'artifact-type': { type: 'string', default: 'segregated_data', describe: 'type of the output artifacts' },
      stratify: { type: 'string', default: 'null', describe: 'class column to stratify by, or "null" for none' },
      'keep-input-order': { type: 'boolean', default: false, describe: "write each split's rows in input order, not scikit-learn's" },
    },
    params: SEGREGATE_PARAMS,
    parse(args) {
      const stratify = String(args.stratify);
      return {
        inputArtifact: String(args['input-artifact']),
        artifactRoot: String(args['artifact-root']),
        artifactType: String(args['artifact-type']),
        testSize: args['test-size'] as number,
        valSize: args['val-size'] as number,
        randomSeed: args['random-seed'] as number,
        stratify: stratify === 'null' || stratify === '' ? null : stratify,
        keepInputOrder: Boolean(args['keep-input-order']),
      };
    },
    async execute(params, { store, run, reporter, workDir }) {
      await segregate(params, store, { run, reporter, workDir: await workDir() });
    },
  }),
);
