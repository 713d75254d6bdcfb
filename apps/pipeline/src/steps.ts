import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PIPELINE_STEPS, paramArgs } from '@mldp/runtime';
import type { ResolvedConfig } from './config.js';
import { STEP_PARAMS, type StepName } from './config-schema.js';

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
  return PIPELINE_STEPS.filter((step) => config.main.execute_steps.includes(step));
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
  /** Its command line: each parameter's flag (from the step's parameter spec) with its config value. */
  args: string[];
}

/** The values config.yaml gives a step's parameters, by parameter name (the cache key's params). */
export function paramValues(step: StepName, config: ResolvedConfig): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(STEP_PARAMS[step])) {
    if (!param.config) continue;
    const [section, key] = param.config.split('.');
    values[name] = (config as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
  }
  return values;
}

/** What a step gets from the config: its parameters, its input artifacts and its arguments. */
export function planStep(step: StepName, config: ResolvedConfig, produced: Produced): StepPlan {
  const input = (name: string): string => produced.get(name) ?? `${name}:latest`;
  const params = paramValues(step, config);
  const args = (wired: Record<string, unknown> = {}): string[] => paramArgs(STEP_PARAMS[step], { ...wired, ...params });
  switch (step) {
    case 'download':
      return { step, params, inputs: [], args: args() };
    case 'preprocess': {
      const raw = input(config.download.artifact_name);
      return { step, params, inputs: [raw], args: args({ input_artifact: raw }) };
    }
    case 'check_data': {
      const sample = input(config.preprocess.artifact_name);
      const reference = config.data.reference_dataset;
      return {
        step,
        params: { ...params, checks: config.checks },
        inputs: [sample, reference],
        bootstrap: config.data.bootstrap_reference ? { ref: reference, from: sample } : undefined,
        // The checks go as they are, not through a file: what the run records is what was checked.
        args: [...args({ sample_artifact: sample }), '--checks-json', JSON.stringify(config.checks)],
      };
    }
    case 'segregate': {
      const table = input(config.preprocess.artifact_name);
      return { step, params, inputs: [table], args: args({ input_artifact: table }) };
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
