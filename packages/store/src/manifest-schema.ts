/** The JSON Schemas of a version manifest and an alias pointer (their validators: generated/manifest-validators.ts, which the build's `generate` target writes). */
export const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'project', 'name', 'version', 'type', 'description', 'metadata', 'files', 'digest', 'createdBy', 'createdAt'],
  properties: {
    format: { const: 1 },
    project: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: '^v(0|[1-9][0-9]*)$' },
    type: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    metadata: { type: 'object' },
    files: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'size', 'sha256'],
        properties: {
          path: { type: 'string', minLength: 1 },
          size: { type: 'integer', minimum: 0 },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
    },
    digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    createdBy: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

export const aliasSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: { type: 'string', pattern: '^v(0|[1-9][0-9]*)$' } },
} as const;

/** The options the validators are compiled with. */
export const MANIFEST_AJV_OPTIONS = { allErrors: false };
