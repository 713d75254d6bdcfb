import { PIPELINE_STEPS, type PipelineStep, type StepParam, type StepParams, configRuleOf } from '@mldp/runtime';
import { CHECK_DATA_PARAMS, checksSchema } from '@mldp/check-data';
import { DOWNLOAD_PARAMS } from '@mldp/download';
import { PREPROCESS_PARAMS } from '@mldp/preprocess';
import { SEGREGATE_PARAMS } from '@mldp/segregate';

export type StepName = PipelineStep;

/** Each step's parameters, declared in its package: config.yaml's keys for them come from here. */
export const STEP_PARAMS: Record<StepName, StepParams> = {
  download: DOWNLOAD_PARAMS,
  preprocess: PREPROCESS_PARAMS,
  check_data: CHECK_DATA_PARAMS,
  segregate: SEGREGATE_PARAMS,
};

/** The step parameter set by a config key (`data.test_size`), with its step and name. */
export function paramOfConfigKey(key: string): { step: StepName; name: string; param: StepParam } | undefined {
  for (const [step, params] of Object.entries(STEP_PARAMS) as Array<[StepName, StepParams]>) {
    for (const [name, param] of Object.entries(params)) if (param.config === key) return { step, name, param };
  }
  return undefined;
}

/** The keys of a config section that are step parameters, each with its step's rule. */
function paramKeys(section: string): Record<string, Record<string, unknown>> {
  const keys: Record<string, Record<string, unknown>> = {};
  for (const params of Object.values(STEP_PARAMS)) {
    for (const param of Object.values(params)) {
      if (param.config?.startsWith(`${section}.`)) keys[param.config.slice(section.length + 1)] = configRuleOf(param);
    }
  }
  return keys;
}

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200 };

/** A section made of step parameters only. */
const stepSection = (section: string) => ({ type: 'object', additionalProperties: false, properties: paramKeys(section) });

/**
 * The JSON Schema of config.yaml. Unknown keys are rejected: they are usually typos. The keys of
 * step parameters, and their rules, are the step packages' own (`*_PARAMS`).
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
        execute_steps: { type: 'array', items: { enum: PIPELINE_STEPS }, uniqueItems: true, minItems: 1 },
        force: { type: 'boolean' },
        ...paramKeys('main'),
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['file_url', 'reference_dataset', 'ks_alpha', 'test_size', 'stratify'],
      properties: paramKeys('data'),
    },
    download: stepSection('download'),
    preprocess: stepSection('preprocess'),
    check_data: stepSection('check_data'),
    segregate: stepSection('segregate'),
    checks: checksSchema,
  },
};

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
  download?: { artifact_name?: string; artifact_type?: string; artifact_description?: string; connect_timeout?: number; idle_timeout?: number; retries?: number; retry_delay?: number; max_redirects?: number };
  preprocess?: { artifact_name?: string; artifact_type?: string; artifact_description?: string; text_columns?: string[]; text_feature?: string };
  check_data?: { report_name?: string };
  segregate?: { artifact_prefix?: string; artifact_type?: string; keep_input_order?: boolean };
  checks?: Record<string, unknown>;
}

/** The options generated/config-validators.ts is compiled with (the build's `generate` target). */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strictTuples: false };
