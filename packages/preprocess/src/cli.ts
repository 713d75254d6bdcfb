#!/usr/bin/env node
import { packageVersion, runCli } from '@mldp/runtime';
import { stepCommand } from '@mldp/store';
import { PREPROCESS_PARAMS } from './params.js';
import { preprocess } from './preprocess.js';

await runCli(
  stepCommand({
    step: 'preprocess',
    bin: 'mldp-preprocess',
    version: packageVersion(import.meta.url),
    description: 'Drop duplicate rows, add a text feature, and log the result as a CSV artifact.',
    options: {},
    params: PREPROCESS_PARAMS,
    parse: (args) => ({
      inputArtifact: String(args['input-artifact']),
      artifactName: String(args['artifact-name']),
      artifactType: String(args['artifact-type']),
      artifactDescription: String(args['artifact-description']),
      textColumns: args['text-columns'] as string[],
      textFeature: args['text-feature'] as string,
  }),
  async execute(params, { store, run, reporter, workDir }) {
    await preprocess(params, store, { run, reporter, workDir: await workDir() });
  },
  }),
);
