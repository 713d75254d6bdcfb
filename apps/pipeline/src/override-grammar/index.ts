/**
 * `parseOverride(text)`: one command-line override in Hydra's grammar (OverrideLexer.g4 and
 * OverrideParser.g4 of Hydra 1.3), with its value evaluated as Hydra evaluates it.
 */
import { MldpError } from '@mldp/runtime';
import { EvaluationError, evaluateValue } from './evaluate.js';
import { LexerError } from './lexer.js';
import { OverrideSyntaxError, type Prefix, parseOverrideSyntax } from './parser.js';
import { ChoiceSweep, IntervalSweep, type OverrideValue, RangeSweep, type Sweep } from './sweeps.js';
import { floatRepr } from './python.js';
import { ChoiceSweepValue, GlobValue, IntervalSweepValue, ListExtension, PyDict, PyFloat, PyInt, QuotedString, RangeSweepValue, Sweep as SweepValue, type Value } from './values.js';

export { ChoiceSweep, IntervalSweep, RangeSweep, type OverrideValue, type Sweep, type SweepItem } from './sweeps.js';
export type { Prefix } from './parser.js';

export type OverrideType = 'change' | 'add' | 'force_add' | 'delete' | 'extend_list';
export type ValueType = 'element' | 'simple_choice_sweep' | 'choice_sweep' | 'range_sweep' | 'interval_sweep';

export interface Override {
  /** The override as given. */
  text: string;
  type: OverrideType;
  prefix: Prefix;
  /** The config key (`a.b.c`) or config group (`server/db`) before `=` or `@`. */
  key: string;
  /** The key's parts between dots. */
  path: string[];
  /** The package after `@` (`group@pkg`), '' for `group@`; absent without `@`. */
  package?: string;
  /** Absent for a bare `~key`. */
  valueType?: ValueType;
  /** The parsed value: a plain value, or a sweep; absent for a bare `~key`. For extend_list, the items to append. */
  value?: OverrideValue | Sweep;
}

/** An override that does not parse or evaluate: the message names it, the column and what was expected. */
export class OverrideError extends MldpError {
  constructor(
    readonly override: string,
    problem: string,
    hint = 'see "Overrides" in the README for the grammar',
  ) {
    super('E_OVERRIDE', `override "${override}" ${problem}`, { hint, exitCode: 2 });
  }
}

/** Names that would reach an object's prototype instead of a config key. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isSweep(value: Override['value']): value is Sweep {
  return value instanceof ChoiceSweep || value instanceof RangeSweep || value instanceof IntervalSweep;
}

export function parseOverride(text: string): Override {
  let syntax;
  try {
    syntax = parseOverrideSyntax(text);
  } catch (error) {
    throw syntaxProblem(text, error);
  }
  const path = syntax.key.split('.');
  const forbidden = path.find((part) => FORBIDDEN_KEYS.has(part));
  if (forbidden !== undefined) throw new OverrideError(text, `uses "${forbidden}" as a key`, 'keys named __proto__, constructor or prototype are refused');
  let value: Value | undefined;
  try {
    value = evaluateValue(syntax, text);
  } catch (error) {
    if (error instanceof EvaluationError) throw new OverrideError(text, `at column ${error.start + 1}: ${error.message}`);
    throw error;
  }
  const override: Override = { text, type: typeOf(syntax.prefix), prefix: syntax.prefix, key: syntax.key, path };
  if (syntax.package !== undefined) override.package = syntax.package;
  if (value === undefined) return override;
  if (value instanceof ListExtension) {
    if (syntax.prefix !== '') throw new OverrideError(text, 'uses extend_list() with a prefix', 'write it without +, ++ or ~: key=extend_list(...)');
    return { ...override, type: 'extend_list', valueType: 'element', value: value.values.map((v) => toPlain(v, text)) };
  }
  if (value instanceof GlobValue) throw new OverrideError(text, 'uses glob(), which selects config-group options', 'mldp has no config groups; list the values, e.g. key=a,b');
  if (value instanceof ChoiceSweepValue) return { ...override, valueType: value.simpleForm ? 'simple_choice_sweep' : 'choice_sweep', value: wrapped(text, () => new ChoiceSweep(value, (v) => toPlain(v, text))) };
  if (value instanceof RangeSweepValue) return { ...override, valueType: 'range_sweep', value: wrapped(text, () => new RangeSweep(value)) };
  if (value instanceof IntervalSweepValue) return { ...override, valueType: 'interval_sweep', value: wrapped(text, () => new IntervalSweep(value)) };
  return { ...override, valueType: 'element', value: toPlain(value, text) };
}

function typeOf(prefix: Prefix): OverrideType {
  return prefix === '~' ? 'delete' : prefix === '++' ? 'force_add' : prefix === '+' ? 'add' : 'change';
}

function syntaxProblem(text: string, error: unknown): unknown {
  if (error instanceof LexerError) {
    const c = text[error.at];
    const shown = c === ' ' ? 'space' : c === '\t' ? 'tab' : c === '\n' ? 'line break' : `"${c}"`;
    const inKey = !text.slice(0, error.at).includes('=');
    return new OverrideError(
      text,
      `has an unexpected ${shown} at column ${error.at + 1}${inKey ? ' in the key' : ''}`,
      inKey
        ? 'keys are dot-separated names such as data.test_size, with a prefix +, ++ or ~'
        : `quote the value ("...") or escape the character with a backslash; see "Overrides" in the README`,
    );
  }
  if (error instanceof OverrideSyntaxError) {
    const found = error.found?.type === 'EOF' ? 'the end' : `"${error.found?.text.trim() || error.found?.text}"`;
    return new OverrideError(text, `is not valid at column ${error.at + 1}: expected ${error.expected}, found ${found}`);
  }
  return error;
}

function wrapped<T>(text: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof OverrideError) throw error;
    throw new OverrideError(text, `has a sweep that cannot be used: ${(error as Error).message}`);
  }
}

/** The plain value of an evaluated element, as Hydra's `Override.value()` gives it (quoted strings become text). */
function toPlain(value: Value, text: string): OverrideValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof QuotedString) return value.text;
  if (value instanceof PyFloat) return value.value;
  if (value instanceof PyInt) {
    const n = Number(value.value);
    if (!Number.isSafeInteger(n)) throw new OverrideError(text, `has the int ${value.value}, which is too large`, 'mldp holds ints up to 2^53-1 exactly; quote it for a string or write it as a float');
    return n;
  }
  if (Array.isArray(value)) return value.map((item) => toPlain(item, text));
  if (value instanceof PyDict) {
    const object: Record<string, OverrideValue> = {};
    for (const [key, item] of value.entries) {
      const name = dictKeyName(key);
      if (FORBIDDEN_KEYS.has(name)) throw new OverrideError(text, `uses "${name}" as a dict key`, 'keys named __proto__, constructor or prototype are refused');
      object[name] = toPlain(item, text);
    }
    return object;
  }
  if (value instanceof SweepValue) throw new OverrideError(text, 'has a sweep inside a list, dict or another sweep', 'a sweep must be the whole value: key=a,b or key=choice(a,b)');
  if (value instanceof ListExtension) throw new OverrideError(text, 'has extend_list() inside another value', 'extend_list() must be the whole value: key=extend_list(a,b)');
  throw new OverrideError(text, 'has glob(), which selects config-group options', 'mldp has no config groups');
}

/** A dict key as the config's (string) key: `{1: a}` has the key "1", `{null: a}` the key "null". */
function dictKeyName(key: Value): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key instanceof PyInt) return key.value.toString();
  if (key instanceof PyFloat) return floatRepr(key.value);
  return String(key);
}
