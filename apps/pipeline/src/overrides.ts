/**
 * Applies parsed overrides to a config, with Hydra's rules (ConfigLoaderImpl._apply_overrides_to_config):
 * `key=v` changes an existing key, `+key=v` adds one (or fills a null one), `++key=v` adds or
 * changes, `~key` deletes and `~key=v` deletes only when the value is v, `key=extend_list(...)`
 * appends to a list. Dict values merge into dicts; everything else is assigned.
 */
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '@mldp/runtime';
import { ConfigProblemsError, problemsOf } from './config-problems.js';
import { closestMatch, dottedKeys } from './did-you-mean.js';
import { type Override, type OverrideValue, isSweep } from './override-grammar/index.js';

export { parseOverride, type Override } from './override-grammar/index.js';

type Container = Record<string, unknown> | unknown[];

/**
 * Applies overrides to a copy of the config; every override that cannot apply is reported, at
 * once. `knownKeys` (dotted, nested too) are what a misspelt key is matched against for "did you
 * mean"; by default the config's own keys.
 */
export function applyOverrides(config: Record<string, unknown>, overrides: Override[], knownKeys?: string[]): Record<string, unknown> {
  const result = structuredClone(config);
  const known = knownKeys ?? dottedKeys(config);
  const problems = overrides.flatMap((override) => {
    try {
      applyOne(result, override, known);
      return [];
    } catch (error) {
      return problemsOf(error);
    }
  });
  if (problems.length) throw new ConfigProblemsError('the overrides have', '', problems);
  return result;
}

function applyOne(config: Record<string, unknown>, override: Override, known: string[]): void {
  const { text, key } = override;
  if (override.package !== undefined || key.includes('/')) {
    throw new UsageError(`override "${text}" looks like a config group override, but mldp has no config groups`, { hint: 'override config keys with dots: section.key=value' });
  }
  if (key === '') throw new UsageError(`override "${text}" has no key before "="`, { hint: 'write it as KEY=VALUE, e.g. data.test_size=0.2' });
  if (isSweep(override.value)) throw sweepNeedsMultirun(override);
  const value = override.value as OverrideValue | undefined;
  const creates = override.type === 'add' || override.type === 'force_add';
  const parent = parentOf(config, override, creates, known);
  const last = override.path[override.path.length - 1];
  const exists = hasKey(parent, last);
  const current = exists ? get(parent, last) : undefined;
  switch (override.type) {
    case 'delete':
      if (!exists) throw noSuchKey(`cannot delete ${key}`, override, known, `drop the override "${text}"`);
      if (override.valueType !== undefined && !isDeepStrictEqual(current, value)) {
        throw new UsageError(`cannot delete ${key}: its value is ${shown(current)}, not ${shown(value)}`, { hint: `to delete it whatever its value, write ~${key}` });
      }
      remove(parent, last);
      return;
    case 'add':
      if ((current !== undefined && current !== null) && !isContainer(value)) {
        throw new UsageError(`cannot add ${key}: the config already has it (${shown(current)})`, { hint: `to change it, write ${text.slice(1)}; to add or change, write +${text}` });
      }
      set(parent, last, value, true, override, known);
      return;
    case 'force_add':
      set(parent, last, value, true, override, known);
      return;
    case 'extend_list':
      if (!Array.isArray(current)) throw new UsageError(`cannot extend ${key}: its value ${shown(current)} is not a list`, { hint: `to set it, write ${key}=[...]` });
      current.push(...structuredClone(value as OverrideValue[]));
      return;
    case 'change':
      if (!exists) throw noSuchKey(`cannot override ${key}`, override, known, `to add it, write +${text}`);
      set(parent, last, value, false, override, known);
  }
}

/** The error for a sweep outside --multirun; config.ts turns `a,b` into a list for list-typed keys first. */
export function sweepNeedsMultirun(override: Override): UsageError {
  return new UsageError(`override "${override.text}" is a sweep; sweeps need --multirun (-m): npx mldp run --multirun ${override.text}`, {
    hint: 'for one string with commas, quote it or escape the commas: key="a,b" or key=a\\,b',
  });
}

/**
 * A key that is not in the config: "did you mean" the closest known key (the hint then shows the
 * override with it), else the fallback hint (add it with +).
 */
function noSuchKey(message: string, override: Override, known: string[], fallbackHint: string): UsageError {
  // A key the schema knows but the config leaves out (its default applies) is no typo.
  if (known.includes(override.key)) return new UsageError(`${message}: the config does not set it (its default applies)`, { hint: fallbackHint });
  const guess = closestMatch(override.key, known);
  if (!guess) return new UsageError(`${message}: the config has no such key`, { hint: fallbackHint });
  const corrected = override.text.replace(override.key, guess);
  return new UsageError(`${message}: the config has no such key (did you mean ${guess}?)`, { hint: `write ${corrected}` });
}

/** A section that is not in the config: "did you mean" the key it is closest to, else add it with +. */
function missingSection(message: string, override: Override, known: string[]): UsageError {
  const guess = closestMatch(override.key, known);
  if (!guess) return new UsageError(message, { hint: `to add it, write +${override.text}` });
  return new UsageError(`${message} (did you mean ${guess}?)`, { hint: `write ${override.text.replace(override.key, guess)}` });
}

/** The container holding the key's last part; missing sections are created for + and ++. */
function parentOf(config: Record<string, unknown>, override: Override, creates: boolean, known: string[]): Container {
  let node: Container = config;
  for (const [i, part] of override.path.slice(0, -1).entries()) {
    let next: unknown = hasKey(node, part) ? get(node, part) : undefined;
    if ((next === undefined || next === null) && creates && !Array.isArray(node)) {
      next = {};
      (node as Record<string, unknown>)[part] = next;
    }
    if (!isContainer(next)) {
      const prefix = override.path.slice(0, i + 1).join('.');
      if (next === undefined && !creates) throw missingSection(`cannot apply "${override.text}": ${prefix} does not exist`, override, known);
      throw new UsageError(`cannot apply "${override.text}": ${prefix} ${next === undefined ? 'does not exist' : 'is not a section or a list'}`, {
        hint: next === undefined && !creates ? `to add it, write +${override.text}` : undefined,
      });
    }
    node = next;
  }
  return node;
}

/** Sets a key; a dict merges into a dict (keys it does not have need + or ++), other values replace. */
function set(parent: Container, key: string, value: OverrideValue | undefined, mayAdd: boolean, override: Override, known: string[]): void {
  const current = hasKey(parent, key) ? get(parent, key) : undefined;
  if (isDict(current) && isDict(value)) {
    merge(current, value, mayAdd, override, override.key, known);
    return;
  }
  if (Array.isArray(parent)) {
    const index = listIndex(parent, key);
    if (index === undefined) throw new UsageError(`cannot apply "${override.text}": ${key} is not an index of the list (0 to ${parent.length - 1})`);
    parent[index] = structuredClone(value);
  } else {
    parent[key] = structuredClone(value);
  }
}

function merge(target: Record<string, unknown>, source: Record<string, OverrideValue>, mayAdd: boolean, override: Override, where: string, known: string[]): void {
  for (const [key, value] of Object.entries(source)) {
    const exists = Object.prototype.hasOwnProperty.call(target, key);
    if (!exists && !mayAdd) {
      const guess = closestMatch(`${where}.${key}`, known);
      throw new UsageError(`cannot override ${override.key}: ${where}.${key} is not in the config${guess ? ` (did you mean ${guess}?)` : ''}`, { hint: guess ? undefined : `to add keys, write ++${override.text}` });
    }
    if (exists && isDict(target[key]) && isDict(value)) merge(target[key] as Record<string, unknown>, value, mayAdd, override, `${where}.${key}`, known);
    else target[key] = structuredClone(value);
  }
}

function hasKey(node: Container, key: string): boolean {
  if (Array.isArray(node)) return listIndex(node, key) !== undefined;
  return Object.prototype.hasOwnProperty.call(node, key);
}

function get(node: Container, key: string): unknown {
  return Array.isArray(node) ? node[listIndex(node, key)!] : node[key];
}

function remove(node: Container, key: string): void {
  if (Array.isArray(node)) node.splice(listIndex(node, key)!, 1);
  else delete node[key];
}

function listIndex(list: unknown[], key: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
  const index = Number(key);
  return index < list.length ? index : undefined;
}

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

function isDict(value: unknown): value is Record<string, OverrideValue> {
  return isContainer(value) && !Array.isArray(value);
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
