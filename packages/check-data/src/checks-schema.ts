/**
 * The JSON Schema of the checks (`checks:` of config.yaml, or a checks file). The build's
 * `generate` target compiles its validator into generated/checks-validators.ts.
 */
const bound = { type: ['number', 'null'] };
export const checksSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    required_columns: {
      type: 'object',
      additionalProperties: { enum: ['int', 'float', 'string', 'bool'] },
    },
    known_classes: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    },
    ranges: {
      type: 'object',
      additionalProperties: { type: 'array', items: [bound, bound], minItems: 2, maxItems: 2 },
    },
    ks: {
      type: 'object',
      additionalProperties: false,
      properties: { columns: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } },
    },
    categorical_drift: {
      type: 'object',
      additionalProperties: false,
      properties: {
        columns: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      },
    },
  },
} as const;

/** The options the checks validator is compiled with, ahead of time (the `generate` target). */
export const CHECKS_AJV_OPTIONS = { allErrors: false, strictTuples: false };
