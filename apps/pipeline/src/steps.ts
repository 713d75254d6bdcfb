import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ResolvedConfig } from './config.js';
import { STEP_NAMES, type StepName } from './config-schema.js';

const require = createRequire(import.meta.url);

const PACKAGES: Record<StepName, string> = {
  download: '@mldp/download',
  preprocess: '@mldp/preprocess',
  check_data: '@mldp/check-data',
  segregate: '@mldp/segregate',
};

/** Artifact references a step reads: the versions produced earlier in this pipeline run, else `latest`. */
export type Produced = Map<string, string>;

/** The steps of `execute_steps`, in pipeline order whatever order they were listed in. */
export function stepsToRun(config: ResolvedConfig): StepName[] {
  return STEP_NAMES.filter((step) => config.main.execute_steps.includes(step));
}

/** The path of a step package's bin, resolved like any dependency (so a published step works too). */
export function stepBin(step: StepName): string {
  const manifestPath = require.resolve(`${PACKAGES[step]}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), Object.values(manifest.bin)[0]);
}

export interface StepPlan {
  step: StepName;
  /** The config values the step uses (part of its cache key). */
  params: Record<string, unknown>;
  /** The artifact references it reads (their digests are part of its cache key). */
  inputs: string[];
  /**
   * An input the step makes from another when it does not exist yet (check_data's reference,
   * bootstrapped from the sample): until then the step reads that other one, and so does its key.
   */
  bootstrap?: { ref: string; from: string };
  /** Its command line, as the original main.py passed the parameters. */
  args: string[];
}

/** What a step gets from the config: its parameters, its input artifacts and its arguments. */
export function planStep(step: StepName, config: ResolvedConfig, produced: Produced, checksFile: string): StepPlan {
  const raw = config.download.artifact_name;
  const preprocessed = config.preprocess.artifact_name;
  const input = (name: string): string => produced.get(name) ?? `${name}:latest`;
  switch (step) {
    case 'download': {
      const params = { file_url: config.data.file_url, sha256: config.data.sha256, ...config.download };
      return {
        step,
        params,
        inputs: [],
        args: [
          '--file-url', config.data.file_url,
          '--artifact-name', raw,
          '--artifact-type', config.download.artifact_type,
          '--artifact-description', config.download.artifact_description,
          ...(config.data.sha256 ? ['--sha256', config.data.sha256] : []),
          '--connect-timeout', String(config.download.connect_timeout),
          '--idle-timeout', String(config.download.idle_timeout),
          '--retries', String(config.download.retries),
          '--max-redirects', String(config.download.max_redirects),
        ],
      };
    }
    case 'preprocess':
      return {
        step,
        params: { ...config.preprocess },
        inputs: [input(raw)],
        args: [
          '--input-artifact', input(raw),
          '--artifact-name', preprocessed,
          '--artifact-type', config.preprocess.artifact_type,
          '--artifact-description', config.preprocess.artifact_description,
          '--text-columns', config.preprocess.text_columns.join(','),
          '--text-feature', config.preprocess.text_feature,
        ],
      };
    case 'check_data':
      return {
        step,
        params: { ks_alpha: config.data.ks_alpha, bootstrap_reference: config.data.bootstrap_reference, checks: config.checks, ...config.check_data },
        inputs: [input(preprocessed), config.data.reference_dataset],
        bootstrap: config.data.bootstrap_reference ? { ref: config.data.reference_dataset, from: input(preprocessed) } : undefined,
        args: [
          '--reference-artifact', config.data.reference_dataset,
          '--sample-artifact', input(preprocessed),
          '--ks-alpha', String(config.data.ks_alpha),
          '--checks', checksFile,
          config.data.bootstrap_reference ? '--bootstrap-reference' : '--no-bootstrap-reference',
          '--report-name', config.check_data.report_name,
        ],
      };
    case 'segregate': {
      const params = {
        test_size: config.data.test_size,
        val_size: config.data.val_size,
        random_seed: config.main.random_seed,
        stratify: config.data.stratify,
        ...config.segregate,
      };
      return {
        step,
        params,
        inputs: [input(preprocessed)],
        args: [
          '--input-artifact', input(preprocessed),
          '--artifact-root', config.segregate.artifact_root,
          '--artifact-type', config.segregate.artifact_type,
          '--test-size', String(config.data.test_size),
          '--val-size', String(config.data.val_size),
          '--random-seed', String(config.main.random_seed),
          '--stratify', config.data.stratify ?? 'null',
          ...(config.segregate.keep_input_order ? ['--keep-input-order'] : []),
        ],
      };
    }
  }
}

/** The step package and the mldp libraries it depends on, as folders: what its built code is. */
export function stepPackages(step: StepName): Array<{ name: string; version: string; dir: string }> {
  const found = new Map<string, { name: string; version: string; dir: string }>();
  const visit = (name: string, from: string): void => {
    if (found.has(name)) return;
    const manifestPath = createRequire(from).resolve(`${name}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; dependencies?: Record<string, string> };
    found.set(name, { name, version: manifest.version, dir: dirname(manifestPath) });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) if (dependency.startsWith('@mldp/')) visit(dependency, manifestPath);
  };
  visit(PACKAGES[step], import.meta.url);
  return [...found.values()];
}
