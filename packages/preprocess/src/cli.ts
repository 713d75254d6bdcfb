#!/usr/bin/env node
import { runStepCli } from '@mldp/store';
import { DEFAULT_TEXT_COLUMNS, DEFAULT_TEXT_FEATURE, preprocess } from './preprocess.js';

await runStepCli({
  step: 'preprocess',
  bin: 'mldp-preprocess',
  description: 'Drop duplicate rows, add a text feature, and log the result as a CSV artifact.',
  options: {
    'input-artifact': { type: 'string', demandOption: true, describe: 'the raw table (NAME:ALIAS), CSV or Parquet' },
    'artifact-name': { type: 'string', demandOption: true, describe: 'name of the output artifact (and its file)' },
    'artifact-type': { type: 'string', default: 'preprocessed_data', describe: 'type of the output artifact' },
    'artifact-description': { type: 'string', default: '', describe: 'description of the output artifact' },
    'text-columns': { type: 'string', default: DEFAULT_TEXT_COLUMNS.join(','), describe: 'comma-separated columns joined into the text feature' },
    'text-feature': { type: 'string', default: DEFAULT_TEXT_FEATURE, describe: 'name of the text feature column' },
  },
  parse: (args) => ({
    inputArtifact: String(args['input-artifact']),
    artifactName: String(args['artifact-name']),
    artifactType: String(args['artifact-type']),
    artifactDescription: String(args['artifact-description']),
    textColumns: String(args['text-columns']).split(',').map((s) => s.trim()).filter(Boolean),
    textFeature: String(args['text-feature']),
  }),
  async execute(params, { store, run, reporter, workDir }) {
    await preprocess(params, store, { run, reporter, workDir: await workDir() });
  },
});
