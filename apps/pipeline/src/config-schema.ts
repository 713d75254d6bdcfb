import { CHECK_DATA_PARAMS, checksSchema } from '@mldp/check-data';
import { DOWNLOAD_PARAMS } from '@mldp/download';
import { PREPROCESS_PARAMS } from '@mldp/preprocess';
import { SEGREGATE_PARAMS } from '@mldp/segregate';

export const STEP_NAMES = ['download', 'preprocess', 'check_data', 'segregate'] as const;
export type StepName = (typeof STEP_NAMES)[number];

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200 };
const artifactKeys = { artifact_name: name, artifact_type: name, artifact_description: { type: 'string' } };

/**
 * The JSON Schema of config.yaml. Unknown keys are rejected: they are usually typos. The rules of
 * step parameters are the step packages' own (`*_PARAMS`), which their bins check flags with.
 */
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
        execute_steps: { type: 'array', items: { enum: STEP_NAMES }, uniqueItems: true, minItems: 1 },
        random_seed: SEGREGATE_PARAMS.random_seed.rule,
        force: { type: 'boolean' },
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['file_url', 'reference_dataset', 'ks_alpha', 'test_size', 'stratify'],
      properties: {
        file_url: { type: 'string', minLength: 1 },
        sha256: { ...DOWNLOAD_PARAMS.sha256.rule, type: ['string', 'null'] },
        reference_dataset: { type: 'string', minLength: 1 },
        bootstrap_reference: { type: 'boolean' },
        ks_alpha: CHECK_DATA_PARAMS.ks_alpha.rule,
        test_size: { description: 'must be a fraction in (0, 1) or a whole number of rows >= 1 (1 is one row)', ...SEGREGATE_PARAMS.test_size.rule },
        val_size: { description: 'must be 0 (no validation split), a fraction in (0, 1) or a whole number of rows >= 1', ...SEGREGATE_PARAMS.val_size.rule },
        stratify: { type: ['string', 'null'], minLength: 1 },
      },
    },
    download: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...artifactKeys,
        connect_timeout: DOWNLOAD_PARAMS.connect_timeout.rule,
        idle_timeout: DOWNLOAD_PARAMS.idle_timeout.rule,
        retries: DOWNLOAD_PARAMS.retries.rule,
        max_redirects: DOWNLOAD_PARAMS.max_redirects.rule,
      },
    },
    preprocess: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...artifactKeys,
        text_columns: PREPROCESS_PARAMS.text_columns.rule,
        text_feature: PREPROCESS_PARAMS.text_feature.rule,
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
export const CONFIG_AJV_OPTIONS = { allErrors: true, strictTuples: false };
