import { readFileSync } from 'node:fs';
import { describeRule, flagOf, type ParamRule, UsageError } from '@mldp/runtime';
import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CHECKS } from '@mldp/check-data';
import { parseSource } from '@mldp/download';
import { type PipelineConfig, STEP_PARAMS, configSchema, paramOfConfigKey } from './config-schema.js';
import { validateConfig as validateShape } from './config-validators.js';
import { ChoiceSweep, isSweep } from './override-grammar/index.js';
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

// Compiled ahead of time from config-schema.ts with CONFIG_AJV_OPTIONS (see config-validators.test.ts).
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

/** Reads config.yaml, applies overrides, validates against the schema, and fills in defaults. */
export function loadConfig(path: string, overrideTexts: string[] = []): ResolvedConfig {
  const overrides = overrideTexts.map(parseOverride).map(listWhereListExpected);
  const { sweep: _sweep, ...file } = readConfigFile(path);
  // Left out of the file, the checks are check_data's own, and overrides change them as if written there.
  if (file.checks === undefined) file.checks = structuredClone(DEFAULT_CHECKS);
  const merged = applyOverrides(file, overrides);
  return validateConfig(merged, path);
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
  if (!validate(config)) {
    // An unknown key is named first: a misspelt key also reads as a required one missing.
    const problem = describeUnknownKey(config, []) ?? describeError(validate.errors![0], config);
    throw new UsageError(`${source}: ${problem}`, { hint: 'see "Configuration" in the README' });
  }
  parseSource((config.data as { file_url: string }).file_url, undefined, 'data.file_url');
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

/** The first key the schema does not allow, anywhere in the config, with the closest allowed key. */
function describeUnknownKey(node: unknown, path: string[]): string | undefined {
  const schema = schemaAt(path) as { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined;
  if (!schema?.properties || node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const allowed = Object.keys(schema.properties);
  for (const [key, child] of Object.entries(node)) {
    if (!allowed.includes(key)) {
      if (schema.additionalProperties !== false) continue;
      const prefix = path.length ? `${path.join('.')}.` : '';
      const guess = closest(key, allowed);
      return `unknown key ${prefix}${key}${guess ? ` (did you mean ${prefix}${guess}?)` : ''}; allowed here: ${allowed.join(', ')}`;
    }
    const inner = describeUnknownKey(child, [...path, key]);
    if (inner) return inner;
  }
  return undefined;
}

function schemaAt(path: string[]): { properties?: Record<string, unknown> } | undefined {
  let node: any = configSchema;
  for (const key of path) {
    const items = Array.isArray(node?.items) ? node.items[Number(key)] : node?.items;
    node = node?.properties?.[key] ?? items ?? (typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
