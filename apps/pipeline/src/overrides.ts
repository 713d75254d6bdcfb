import { parse as parseYaml } from 'yaml';
import { UsageError } from '@mldp/store';

export type OverrideOp = 'set' | 'add' | 'force' | 'delete';

export interface Override {
  op: OverrideOp;
  path: string[];
  value?: unknown;
  text: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Parses one command-line override in Hydra's grammar: `key.path=value` sets an existing key,
 * `+key=value` adds a new one, `++key=value` adds or sets, `~key` deletes. Values are typed as
 * YAML types them (`0.2` is a number, `[a,b]` a list); `a,b` is read as the list [a, b].
 */
export function parseOverride(text: string): Override {
  let op: OverrideOp = 'set';
  let rest = text;
  if (rest.startsWith('++')) {
    op = 'force';
    rest = rest.slice(2);
  } else if (rest.startsWith('+')) {
    op = 'add';
    rest = rest.slice(1);
  } else if (rest.startsWith('~')) {
    op = 'delete';
    rest = rest.slice(1);
  }
  const eq = rest.indexOf('=');
  if (op !== 'delete' && eq < 0) {
    throw new UsageError(`override "${text}" has no "=" and no value`, { hint: `write it as KEY=VALUE, e.g. ${rest || 'data.test_size'}=0.2` });
  }
  const keyText = eq < 0 ? rest : rest.slice(0, eq);
  if (keyText === '') throw new UsageError(`override "${text}" has no key before "="`, { hint: 'write it as KEY=VALUE, e.g. data.test_size=0.2' });
  const path = keyText.split('.');
  const bad = path.find((part) => !KEY.test(part));
  if (bad !== undefined) {
    throw new UsageError(`override "${text}" has an invalid key "${keyText}"${bad === '' ? ' (an empty part between dots)' : ''}`, {
      hint: 'keys are dot-separated names such as data.test_size',
    });
  }
  if (eq < 0) return { op, path, text };
  return { op, path, value: parseValue(rest.slice(eq + 1), text), text };
}

function parseValue(raw: string, text: string): unknown {
  if (raw === '') return '';
  try {
    if (!/^[[{'"]/.test(raw) && hasTopLevelComma(raw)) return raw.split(',').map((item) => parseYaml(item.trim()));
    return parseYaml(raw);
  } catch (error) {
    throw new UsageError(`override "${text}" has a value that does not parse: ${(error as Error).message.split('\n')[0]}`, {
      hint: "quote values with special characters, e.g. key='a: b'",
    });
  }
}

function hasTopLevelComma(raw: string): boolean {
  return raw.includes(',') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
}

/** Applies overrides to a copy of the config, with Hydra's rules for missing and existing keys. */
export function applyOverrides(config: Record<string, unknown>, overrides: Override[]): Record<string, unknown> {
  const result = structuredClone(config);
  for (const override of overrides) {
    const parent = walk(result, override);
    const key = override.path[override.path.length - 1];
    const exists = Object.prototype.hasOwnProperty.call(parent, key);
    const dotted = override.path.join('.');
    switch (override.op) {
      case 'set':
        if (!exists) throw new UsageError(`cannot override ${dotted}: the config has no such key`, { hint: `to add it, write +${override.text}` });
        parent[key] = override.value;
        break;
      case 'add':
        if (exists) throw new UsageError(`cannot add ${dotted}: the config already has it`, { hint: `to change it, write ${override.text.slice(1)}` });
        parent[key] = override.value;
        break;
      case 'force':
        parent[key] = override.value;
        break;
      case 'delete':
        if (!exists) throw new UsageError(`cannot delete ${dotted}: the config has no such key`);
        delete parent[key];
        break;
    }
  }
  return result;
}

function walk(config: Record<string, unknown>, override: Override): Record<string, unknown> {
  let node: Record<string, unknown> = config;
  for (const [i, part] of override.path.slice(0, -1).entries()) {
    let next = node[part];
    if (next === undefined && (override.op === 'add' || override.op === 'force')) {
      next = {};
      node[part] = next;
    }
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const prefix = override.path.slice(0, i + 1).join('.');
      throw new UsageError(`cannot apply "${override.text}": ${prefix} ${next === undefined ? 'does not exist' : 'is not a section'}`);
    }
    node = next as Record<string, unknown>;
  }
  return node;
}
