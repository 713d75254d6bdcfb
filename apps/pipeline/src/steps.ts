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

/** The step's command-line arguments, taken from the config as the original main.py passed them. */
export function stepArgs(step: StepName, config: ResolvedConfig, produced: Produced, checksFile: string): string[] {
  const raw = config.download.artifact_name;
  const preprocessed = config.preprocess.artifact_name;
  const input = (name: string): string => produced.get(name) ?? `${name}:latest`;
  switch (step) {
    case 'download':
      return [
        '--file-url', config.data.file_url,
        '--artifact-name', raw,
        '--artifact-type', config.download.artifact_type,
        '--artifact-description', config.download.artifact_description,
        ...(config.data.sha256 ? ['--sha256', config.data.sha256] : []),
        '--connect-timeout', String(config.download.connect_timeout),
        '--idle-timeout', String(config.download.idle_timeout),
        '--retries', String(config.download.retries),
        '--max-redirects', String(config.download.max_redirects),
      ];
    case 'preprocess':
      return [
        '--input-artifact', input(raw),
        '--artifact-name', preprocessed,
        '--artifact-type', config.preprocess.artifact_type,
        '--artifact-description', config.preprocess.artifact_description,
        '--text-columns', config.preprocess.text_columns.join(','),
        '--text-feature', config.preprocess.text_feature,
      ];
    case 'check_data':
      return [
        '--reference-artifact', config.data.reference_dataset,
        '--sample-artifact', input(preprocessed),
        '--ks-alpha', String(config.data.ks_alpha),
        '--checks', checksFile,
        config.data.bootstrap_reference ? '--bootstrap-reference' : '--no-bootstrap-reference',
        '--report-name', config.check_data.report_name,
      ];
    case 'segregate':
      return [
        '--input-artifact', input(preprocessed),
        '--artifact-root', config.segregate.artifact_root,
        '--artifact-type', config.segregate.artifact_type,
        '--test-size', String(config.data.test_size),
        '--val-size', String(config.data.val_size),
        '--random-seed', String(config.main.random_seed),
        '--stratify', config.data.stratify ?? 'null',
      ];
  }
}
