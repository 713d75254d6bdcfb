import type { Options } from 'yargs';
import { UsageError } from './errors.js';

/**
 * The rule of a step parameter's value: the subset of JSON Schema that both config.yaml's schema
 * (which embeds these rules as they are) and a step bin's flags (checked here) apply. One rule,
 * two places it is enforced, the same verdict.
 */
export type ParamRule =
  | { type: 'number' | 'integer'; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number }
  | { type: 'string'; minLength?: number; pattern?: string }
  | { type: 'array'; items: { type: 'string'; minLength?: number }; minItems?: number }
  | { anyOf: ParamRule[] };

/** A parameter a step takes, by its snake_case name (as config.yaml and run records spell it). */
export interface StepParam {
  rule: ParamRule;
  default?: number | string | string[];
  describe: string;
}

export type StepParams = Record<string, StepParam>;

/** The parameters as yargs options, by kebab-case name: read as text, so that readParam sees what was typed. */
export function paramFlagOptions(params: StepParams): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const [name, param] of Object.entries(params)) {
    const fallback = Array.isArray(param.default) ? param.default.join(',') : param.default;
    options[flagOf(name).slice(2)] = { type: 'string', default: fallback === undefined ? undefined : String(fallback), describe: `${param.describe} (${describeRule(param.rule)})` };
  }
  return options;
}

/** The parsed arguments with each parameter's flag read by its rule (a number, a text or a list). */
export function readParamFlags(params: StepParams, args: Record<string, unknown>): Record<string, unknown> {
  const read = { ...args };
  for (const [name, param] of Object.entries(params)) {
    const flag = flagOf(name).slice(2);
    if (args[flag] !== undefined) read[flag] = readParam(name, args[flag], param);
  }
  return read;
}

/** The flag of a parameter: `idle_timeout` is `--idle-timeout`. */
export function flagOf(name: string): string {
  return `--${name.replace(/_/g, '-')}`;
}

/**
 * The value of a flag from the text the user typed, checked against its rule. Numbers are read
 * here rather than by the argument parser, so that a refusal can quote what was typed, never
 * `NaN` or a value made up by coercion; a list is comma-separated.
 */
export function readParam(name: string, typed: unknown, param: StepParam): number | string | string[] {
  const flag = flagOf(name);
  refuseRepeated(flag, typed);
  const text = String(typed);
  const value = valueOf(text, param.rule);
  if (value === undefined || !satisfies(value, param.rule)) {
    const problem = text === '' ? 'has no value' : `${quote(text)} ${value === undefined ? 'is not a number' : typeof value === 'number' ? 'is out of range' : 'is not allowed'}`;
    throw new UsageError(`${flag} ${problem}`, { hint: `give ${describeRule(param.rule)} (${param.describe})` });
  }
  return value;
}

/**
 * A flag given twice is refused rather than resolved: which one was meant is the user's call
 * (the argument parser would make a list of them, or a number from their sum).
 */
export function refuseRepeated(flag: string, typed: unknown): void {
  if (Array.isArray(typed)) throw new UsageError(`${flag} is given ${typed.length} times (${typed.map(quote).join(', ')})`, { hint: 'give it once' });
}

/** The value a text means under the rule: a number, a text or a list; undefined when it means none. */
function valueOf(text: string, rule: ParamRule): number | string | string[] | undefined {
  if ('anyOf' in rule) return valueOf(text, rule.anyOf[0]);
  if (rule.type === 'string') return text;
  if (rule.type === 'array') return text === '' ? [] : text.split(',').map((item) => item.trim());
  // Number('') and Number(' ') are 0 and Number('0x10') is 16: only decimal notation is a number here.
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : undefined;
}

/** Whether a value obeys a rule, as a JSON Schema validator would judge it. */
export function satisfies(value: unknown, rule: ParamRule): boolean {
  if ('anyOf' in rule) return rule.anyOf.some((branch) => satisfies(value, branch));
  switch (rule.type) {
    case 'number':
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (rule.type === 'number' || Number.isInteger(value)) &&
        !(rule.minimum !== undefined && value < rule.minimum) &&
        !(rule.exclusiveMinimum !== undefined && value <= rule.exclusiveMinimum) &&
        !(rule.maximum !== undefined && value > rule.maximum) &&
        !(rule.exclusiveMaximum !== undefined && value >= rule.exclusiveMaximum)
      );
    case 'string':
      return typeof value === 'string' && [...value].length >= (rule.minLength ?? 0) && (rule.pattern === undefined || new RegExp(rule.pattern, 'u').test(value));
    case 'array':
      return Array.isArray(value) && value.length >= (rule.minItems ?? 0) && value.every((item) => satisfies(item, rule.items));
  }
}

/** A rule in words, for messages: "a number > 0 and <= 86400", "a fraction in (0, 1) or a whole number >= 1". */
export function describeRule(rule: ParamRule): string {
  if ('anyOf' in rule) return rule.anyOf.map(describeRule).join(' or ');
  switch (rule.type) {
    case 'number':
    case 'integer': {
      const what = rule.type === 'integer' ? 'a whole number' : 'a number';
      const low = rule.exclusiveMinimum !== undefined ? `> ${rule.exclusiveMinimum}` : rule.minimum !== undefined ? `>= ${rule.minimum}` : '';
      // The largest safe integer is a bound of representation, not one a reader needs.
      const maximum = rule.maximum === Number.MAX_SAFE_INTEGER ? undefined : rule.maximum;
      const high = rule.exclusiveMaximum !== undefined ? `< ${rule.exclusiveMaximum}` : maximum !== undefined ? `<= ${maximum}` : '';
      if (low && high) {
        const open = rule.exclusiveMinimum !== undefined ? '(' : '[';
        const close = rule.exclusiveMaximum !== undefined ? ')' : ']';
        return `${what} in ${open}${rule.exclusiveMinimum ?? rule.minimum}, ${rule.exclusiveMaximum ?? maximum}${close}`;
      }
      return [what, low || high].filter(Boolean).join(' ');
    }
    case 'string':
      return rule.pattern ? `a text matching ${rule.pattern}` : rule.minLength ? 'a non-empty text' : 'a text';
    case 'array':
      return `${rule.minItems ? 'one or more' : 'any'} ${rule.items.minLength ? 'non-empty ' : ''}names, comma-separated`;
  }
}

function quote(text: unknown): string {
  return JSON.stringify(String(text));
}
