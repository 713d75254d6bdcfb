import { type StepParams } from '@mldp/runtime';
import { DEFAULT_TEXT_COLUMNS, DEFAULT_TEXT_FEATURE } from './preprocess.js';

/** preprocess's tunable parameters: the bin's flags and config.yaml's `preprocess:` keys follow these rules. */
export const PREPROCESS_PARAMS = {
  text_columns: {
    rule: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    default: DEFAULT_TEXT_COLUMNS,
    describe: 'columns joined by a space into the text feature',
  },
  text_feature: { rule: { type: 'string', minLength: 1 }, default: DEFAULT_TEXT_FEATURE, describe: 'name of the text feature column' },
} as const satisfies StepParams;
