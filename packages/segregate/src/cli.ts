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
    options: {},
    params: SEGREGATE_PARAMS,
    parse(args) {
      return {
        inputArtifact: String(args['input-artifact']),
        artifactPrefix: String(args['artifact-prefix']),
        artifactType: String(args['artifact-type']),
        testSize: args['test-size'] as number,
        valSize: args['val-size'] as number,
        randomSeed: args['random-seed'] as number,
        stratify: args.stratify as string | null,
        keepInputOrder: Boolean(args['keep-input-order']),
      };
    },
    async execute(params, { store, run, reporter, workDir }) {
      await segregate(params, store, { run, reporter, workDir: await workDir() });
    },
  }),
);
