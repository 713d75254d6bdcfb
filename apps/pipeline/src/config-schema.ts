import { checksSchema } from '@mldp/check-data';

export const STEP_NAMES = ['download', 'preprocess', 'check_data', 'segregate'] as const;
export type StepName = (typeof STEP_NAMES)[number];

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200 };
const fraction = { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 };
/** A split size as train_test_split takes it: a fraction, or a row count (JS has no 1.0: 1 is one row). */
const rowCount = { type: 'integer', minimum: 1 };
const artifactKeys = { artifact_name: name, artifact_type: name, artifact_description: { type: 'string' } };

/** The JSON Schema of config.yaml. Unknown keys are rejected: they are usually typos. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['main', 'data'],
  properties: {
    main: {
      type: 'object',
      additionalProperties: false,
      required: ['project_name', 'experiment_name', 'execute_steps', 'random_seed'],
      properties: {
        project_name: name,
        experiment_name: name,
        execute_steps: { type: 'array', items: { enum: STEP_NAMES }, uniqueItems: true },
        // numpy's RandomState takes seeds 0 .. 2**32 - 1.
        random_seed: { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
        force: { type: 'boolean' },
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['file_url', 'reference_dataset', 'ks_alpha', 'test_size', 'stratify'],
      properties: {
        file_url: { type: 'string', minLength: 1 },
        sha256: { type: ['string', 'null'], pattern: '^[0-9a-fA-F]{64}$' },
        reference_dataset: { type: 'string', minLength: 1 },
        bootstrap_reference: { type: 'boolean' },
        ks_alpha: fraction,
        test_size: { description: 'must be a fraction in (0, 1) or a whole number of rows >= 1 (1 is one row)', anyOf: [fraction, rowCount] },
        val_size: { description: 'must be 0 (no validation split), a fraction in (0, 1) or a whole number of rows >= 1', anyOf: [{ type: 'number', minimum: 0, exclusiveMaximum: 1 }, rowCount] },
        stratify: { type: ['string', 'null'], minLength: 1 },
      },
    },
    download: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...artifactKeys,
        connect_timeout: { type: 'number', exclusiveMinimum: 0 },
        idle_timeout: { type: 'number', exclusiveMinimum: 0 },
        retries: { type: 'integer', minimum: 0, maximum: 20 },
        max_redirects: { type: 'integer', minimum: 0, maximum: 50 },
      },
    },
    preprocess: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...artifactKeys,
        text_columns: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        text_feature: { type: 'string', minLength: 1 },
      },
    },
    check_data: {
      type: 'object',
      additionalProperties: false,
      properties: { report_name: name },
    },
    segregate: {
      type: 'object',
      additionalProperties: false,
      properties: { artifact_root: name, artifact_type: name, keep_input_order: { type: 'boolean' } },
    },
    checks: checksSchema,
  },
} as const;

export interface PipelineConfig {
  main: { project_name: string; experiment_name: string; execute_steps: StepName[]; random_seed: number; force?: boolean };
  data: {
    file_url: string;
    sha256?: string | null;
    reference_dataset: string;
    bootstrap_reference?: boolean;
    ks_alpha: number;
    test_size: number;
    val_size?: number;
    stratify: string | null;
  };
  download?: { artifact_name?: string; artifact_type?: string; artifact_description?: string; connect_timeout?: number; idle_timeout?: number; retries?: number; max_redirects?: number };
  preprocess?: { artifact_name?: string; artifact_type?: string; artifact_description?: string; text_columns?: string[]; text_feature?: string };
  check_data?: { report_name?: string };
  segregate?: { artifact_root?: string; artifact_type?: string; keep_input_order?: boolean };
  checks?: Record<string, unknown>;
}

/** The options config-validators.ts is compiled with. */
export const CONFIG_AJV_OPTIONS = { allErrors: false, strictTuples: false };
