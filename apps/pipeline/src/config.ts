import { readFileSync } from 'node:fs';
import { describeRule, flagOf, type MldpError, type ParamRule, UsageError } from '@mldp/runtime';
import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CHECKS } from '@mldp/check-data';
import { parseSource } from '@mldp/download';
import { type PipelineConfig, STEP_PARAMS, configSchema, paramOfConfigKey } from './config-schema.js';
import { validateConfig as validateShape } from './generated/config-validators.js';
import { ChoiceSweep, isSweep } from './override-grammar/index.js';
import { ConfigProblemsError, problemsOf } from './config-problems.js';
import { closestMatch, dottedKeys } from './did-you-mean.js';
import { withCurrentKey, withCurrentKeys } from './former-keys.js';
import { type Override, applyOverrides, parseOverride } from './overrides.js';

/** Values of the optional keys, filled in after validation: the step parameters' own defaults. */
const DEFAULTS = defaultsOfParams();

function defaultsOfParams(): Record<string, Record<string, unknown>> {
  const defaults: Record<string, Record<string, unknown>> = { main: { force: false }, data: {}, download: {}, preprocess: {}, check_data: {}, segregate: {} };
  for (const params of Object.values(STEP_PARAMS)) {
    for (const param of Object.values(params)) {
      if (!param.config) continue;
      const [section, key] = param.config.split('.');
      const value = param.default ?? (param.nullable ? null : undefined);
      if (value !== undefined) defaults[section][key] = value;
    }
  }
  return defaults;
}

export type ResolvedConfig = PipelineConfig & {
  data: Required<PipelineConfig['data']>;
  download: Required<NonNullable<PipelineConfig['download']>>;
  preprocess: Required<NonNullable<PipelineConfig['preprocess']>>;
  check_data: Required<NonNullable<PipelineConfig['check_data']>>;
  segregate: Required<NonNullable<PipelineConfig['segregate']>>;
  checks: typeof DEFAULT_CHECKS;
};

// Compiled ahead of time from config-schema.ts with CONFIG_AJV_OPTIONS by the build's `generate` target.
const validate = validateShape as unknown as { (data: unknown): boolean; errors?: ErrorObject[] | null };

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the config file ${path}${code === 'ENOENT' ? ': it does not exist' : `: ${code}`}`, {
      hint: 'run from the workspace root, or pass --config FILE',
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${path} must hold a mapping of sections (main:, data:, ...)`);
  return data as Record<string, unknown>;
}

/**
 * Reads config.yaml, applies overrides, validates against the schema, and fills in defaults.
 * Every override that does not parse or apply is reported at once; then every problem of the result.
 */
export function loadConfig(path: string, overrideTexts: string[] = []): ResolvedConfig {
  const { sweep: _sweep, ...file } = withCurrentKeys(readConfigFile(path), path);
  // Left out of the file, the checks are check_data's own, and overrides change them as if written there.
  if (file.checks === undefined) file.checks = structuredClone(DEFAULT_CHECKS);
  // A misspelt key is matched against the file's keys and every key the schema allows.
  const known = [...new Set([...dottedKeys(file), ...dottedKeys(schemaKeyTree(configSchema))])];
  const problems: MldpError[] = [];
  let merged = file;
  for (const text of overrideTexts) {
    try {
      merged = applyOverrides(merged, [listWhereListExpected(withCurrentKey(parseOverride(text)))], known);
    } catch (error) {
      problems.push(...problemsOf(error));
    }
  }
  if (problems.length === 0) return validateConfig(merged, path);
  // The config as far as the overrides applied: its own problems are real ones too.
  const overrideProblems = problems.length;
  try {
    validateConfig(merged, path);
  } catch (error) {
    problems.push(...problemsOf(error).map((problem) => new UsageError(problem.message.replace(`${path}: `, ''))));
  }
  throw new ConfigProblemsError(problems.length > overrideProblems ? `the overrides and ${path} have` : 'the overrides have', '', problems);
}

/** The schema's named keys as a tree of objects (`{ data: { test_size: {} } }`), for "did you mean". */
function schemaKeyTree(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, schemaKeyTree(child)]));
}

/**
 * The `sweep:` section of a config file, as overrides: `data.test_size: 0.2,0.3` is the sweep
 * `data.test_size=0.2,0.3`. Only `--multirun` reads it, before the command line's overrides.
 */
export function sweepSection(path: string): string[] {
  const sweep = readConfigFile(path).sweep;
  if (sweep === undefined || sweep === null) return [];
  if (typeof sweep !== 'object' || Array.isArray(sweep)) throw new UsageError(`${path}: sweep must be a mapping of keys to sweeps`, { hint: 'e.g. sweep: {data.test_size: "0.2,0.3"}' });
  return Object.entries(sweep).map(([key, value]) => {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new UsageError(`${path}: sweep.${key} must be a sweep written as on the command line, such as "0.2,0.3" or "range(1,4)"`, { hint: 'a YAML list is not a sweep: write its items separated by commas' });
    }
    return `${key}=${value}`;
  });
}

/**
 * Hydra's documented convenience for list-typed keys: the simple sweep
 * `main.execute_steps=download,preprocess` is the list [download, preprocess] (its items must not
 * be lists themselves: `[a],[b]` stays a sweep).
 */
export function keepsAsList(override: Override): boolean {
  const value = override.value;
  return (
    listTyped(override) &&
    value instanceof ChoiceSweep &&
    value.simpleForm &&
    !value.shuffle &&
    value.list.every((item) => !Array.isArray(item))
  );
}

/** A list-typed key also takes a lone value: `main.execute_steps=download` is [download]. */
function listWhereListExpected(override: Override): Override {
  if (keepsAsList(override)) return { ...override, valueType: 'element', value: (override.value as ChoiceSweep).list };
  const value = override.value;
  if (listTyped(override) && value !== undefined && value !== null && !Array.isArray(value) && !isSweep(value)) return { ...override, value: [value] };
  return override;
}

function listTyped(override: Override): boolean {
  if (override.type === 'extend_list' || override.type === 'delete') return false;
  return (schemaAt(override.path) as { type?: string } | undefined)?.type === 'array';
}

export function validateConfig(config: Record<string, unknown>, source = 'config'): ResolvedConfig {
  const problems = validate(config) ? [] : schemaProblems(config);
  const fileUrl = (config.data as { file_url?: unknown } | undefined)?.file_url;
  if (typeof fileUrl === 'string') {
    try {
      parseSource(fileUrl, undefined, 'data.file_url');
    } catch (error) {
      // Alone, the URL's problem is its own line, as the download step says it.
      if (problems.length === 0) throw error;
      problems.push(...problemsOf(error).map((problem) => problem.toLine()));
    }
  }
  if (problems.length) {
    throw new ConfigProblemsError(`${source} has`, `${source}: `, problems.map((problem) => new UsageError(problem)), 'see "Configuration" in the README');
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  for (const [section, defaults] of Object.entries(DEFAULTS)) {
    resolved[section] = { ...defaults, ...((config[section] as Record<string, unknown>) ?? {}) };
  }
  const checks = (config.checks as Record<string, unknown>) ?? {};
  resolved.checks = { ...DEFAULT_CHECKS, ...checks };
  return { ...config, ...resolved } as unknown as ResolvedConfig;
}

function describeError(error: ErrorObject, config: unknown): string {
  const path = error.instancePath.split('/').slice(1);
  const dotted = path.join('.') || '(top level)';
  const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], config);
  const shown = JSON.stringify(value);
  const rule = schemaAt(path) as ParamRule | undefined;
  const param = paramOfConfigKey(dotted);
  // A step parameter is named as its bin's flag too: the same rule applies to both.
  const flag = param ? ` (${flagOf(param.name)} of the ${param.step} step)` : '';
  if (rule && ('anyOf' in rule || rule.type === 'number' || rule.type === 'integer') && typeof value === 'number') {
    return `${dotted}${flag} = ${shown} is not allowed: it must be ${describeRule(rule)}`;
  }
  if (value === '' && error.keyword === 'minLength') return `${dotted}${flag} is empty: give a non-empty text`;
  if (param && error.keyword !== 'required' && error.keyword !== 'minItems') return `${dotted}${flag} = ${shown} is not allowed: it must be ${describeRule(param.param.rule)}${param.param.nullable ? ', or null' : ''}`;
  switch (error.keyword) {
    case 'required':
      return `${dotted} is missing the required key ${(error.params as { missingProperty: string }).missingProperty}`;
    case 'enum':
      return `${dotted} = ${shown} is not allowed; use one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'type':
      return `${dotted} = ${shown} has the wrong type: it must be ${(error.params as { type: string | string[] }).type}`;
    case 'minItems': {
      if (!Array.isArray(value) || value.length > 0) return `${dotted}${flag} = ${shown} is invalid: it ${error.message}`;
      const allowed = (schemaAt([...path, '0']) as { enum?: string[] } | undefined)?.enum;
      return `${dotted}${flag} is empty: it must list at least ${(error.params as { limit: number }).limit}${allowed ? ` of ${allowed.join(', ')}` : ''}`;
    }
    default:
      return `${dotted} = ${shown} is invalid: it ${error.message}`;
  }
}

/**
 * Every problem the schema finds, one per key: unknown keys first (with the closest allowed key),
 * then ajv's errors, one per value, leaving out a required key reported missing because it is
 * misspelt.
 */
function schemaProblems(config: Record<string, unknown>): string[] {
  const unknown = unknownKeys(config, []);
  const problems = unknown.map((key) => key.problem);
  const misspelt = new Set(unknown.flatMap((key) => (key.guess ? [key.guess] : [])));
  const errors = validate.errors ?? [];
  const described = new Set<string>();
  for (const error of errors) {
    // One problem per value: the first error ajv names there (for an anyOf, its first branch's).
    if (error.keyword === 'additionalProperties' || error.keyword === 'anyOf') continue;
    const dotted = error.instancePath.split('/').slice(1).join('.');
    const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
    const where = missing === undefined ? dotted : [dotted, missing].filter(Boolean).join('.');
    if (missing !== undefined && misspelt.has(where)) continue;
    if (described.has(where)) continue;
    described.add(where);
    problems.push(describeError(error, config));
  }
  return problems;
}

/** The keys the schema does not allow, anywhere in the config, each with the closest allowed key. */
function unknownKeys(node: unknown, path: string[]): { problem: string; guess?: string }[] {
  const schema = schemaAt(path) as { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined;
  if (!schema?.properties || node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const allowed = Object.keys(schema.properties);
  return Object.entries(node).flatMap(([key, child]) => {
    if (allowed.includes(key)) return unknownKeys(child, [...path, key]);
    if (schema.additionalProperties !== false) return [];
    const prefix = path.length ? `${path.join('.')}.` : '';
    const guess = closestMatch(key, allowed);
    return [{ problem: `unknown key ${prefix}${key}${guess ? ` (did you mean ${prefix}${guess}?)` : ''}; allowed here: ${allowed.join(', ')}`, guess: guess && `${prefix}${guess}` }];
  });
}

function schemaAt(path: string[]): { properties?: Record<string, unknown> } | undefined {
  let node: any = configSchema;
  for (const key of path) {
    const items = Array.isArray(node?.items) ? node.items[Number(key)] : node?.items;
    node = node?.properties?.[key] ?? items ?? (typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node;
}
