import { NAME_RULE, type StepParams } from '@mldp/runtime';
import { DEFAULT_TEXT_COLUMNS, DEFAULT_TEXT_FEATURE } from './preprocess.js';

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200, description: NAME_RULE } as const;

/**
 * preprocess's parameters, declared once: the bin's flags, config.yaml's `preprocess:` keys, the
 * orchestrator's arguments and the cache key come from here.
 */
export const PREPROCESS_PARAMS = {
  input_artifact: { rule: { type: 'string', minLength: 1 }, required: true, describe: 'the raw table (NAME:ALIAS), CSV or Parquet' },
  artifact_name: { rule: name, default: 'preprocessed_data.csv', config: 'preprocess.artifact_name', describe: 'name of the output artifact (and its file)' },
  artifact_type: { rule: name, default: 'preprocessed_data', config: 'preprocess.artifact_type', describe: 'type of the output artifact' },
  artifact_description: {
    rule: { type: 'string' },
    default: 'Data with duplicates dropped and the text feature added',
    config: 'preprocess.artifact_description',
    describe: 'description of the output artifact',
  },
  text_columns: {
    rule: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    default: DEFAULT_TEXT_COLUMNS,
    config: 'preprocess.text_columns',
    describe: 'columns joined by a space into the text feature',
  },
  text_feature: { rule: { type: 'string', minLength: 1 }, default: DEFAULT_TEXT_FEATURE, config: 'preprocess.text_feature', describe: 'name of the text feature column' },
} as const satisfies StepParams;
