import type { Options } from 'yargs';
import { UsageError } from './errors.js';

/**
 * The rule of a step parameter's value: the subset of JSON Schema that both config.yaml's schema
 * (which embeds these rules as they are) and a step bin's flags (checked here) apply. One rule,
 * two places it is enforced, the same verdict.
 */
export type ParamRule =
  | { type: 'number' | 'integer'; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number }
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; /** The pattern in words, for messages. */ description?: string }
  | { type: 'boolean' }
  | { type: 'array'; items: { type: 'string'; minLength?: number }; minItems?: number }
  | { anyOf: ParamRule[] };

/**
 * A parameter a step takes, by its snake_case name (as run records spell it): declared once, in
 * the step's package, and from there its bin's flag, config.yaml's key (`config`), the
 * orchestrator's argument, the step's cache key and the messages about it.
 */
export interface StepParam {
  rule: ParamRule;
  default?: number | string | string[] | boolean | null;
  describe: string;
  /** Its key in config.yaml (`data.test_size`); none for what the orchestrator wires (input artifacts). */
  config?: string;
  /** A bin needs it (there is no default). */
  required?: boolean;
  /** null is a value too: config.yaml's `null`, the flag's text "null" (`stratify: null`: no classes). */
  nullable?: boolean;
  /**
   * The name it had before (`artifact_root`): its flag and config key (same section) are still
   * read, with a deprecation note.
   */
  formerly?: string;
}

export type StepParams = Record<string, StepParam>;

/** The rule of store names (artifacts, their types) in words. */
export const NAME_RULE = 'a name of letters, digits, ".", "_" and "-", starting with a letter or digit, at most 200 characters';

/**
 * The parameters as yargs options, by kebab-case name: read as text (booleans aside), so that
 * readParam sees what was typed.
 */
export function paramFlagOptions(params: StepParams): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const [name, param] of Object.entries(params)) {
    const describe = `${param.describe} (${describeParamRule(param)}${param.config ? `; config.yaml: ${param.config}` : ''})`;
    if (isBoolean(param)) {
      options[flagOf(name).slice(2)] = { type: 'boolean', default: param.default, describe };
      continue;
    }
    const fallback = Array.isArray(param.default) ? param.default.join(',') : param.default;
    options[flagOf(name).slice(2)] = {
      type: 'string',
      default: fallback === undefined ? undefined : String(fallback),
      ...(param.required ? { demandOption: true } : {}),
      describe,
    };
  }
  for (const [name, param] of Object.entries(params)) {
    if (param.formerly) options[flagOf(param.formerly).slice(2)] = { type: isBoolean(param) ? 'boolean' : 'string', hidden: true, describe: `deprecated: use ${flagOf(name)}` };
  }
  return options;
}

/** The deprecation note of each former flag given, as `--artifact-root is deprecated: use --artifact-prefix`. */
export function formerFlagNotes(params: StepParams, args: Record<string, unknown>): string[] {
  return Object.entries(params).flatMap(([name, param]) =>
    param.formerly && args[flagOf(param.formerly).slice(2)] !== undefined ? [`${flagOf(param.formerly)} is deprecated: use ${flagOf(name)} (it means the same)`] : [],
  );
}

/** The parsed arguments with each parameter's flag read by its rule (a number, a text, a list, a boolean or null). */
export function readParamFlags(params: StepParams, args: Record<string, unknown>): Record<string, unknown> {
  const read = { ...args };
  for (const [name, param] of Object.entries(params)) {
    const flag = flagOf(name).slice(2);
    const former = param.formerly && flagOf(param.formerly).slice(2);
    // The former flag, given, stands for the current one (whose value may be just its default).
    const typed = former && args[former] !== undefined ? args[former] : args[flag];
    if (typed === undefined) continue;
    if (isBoolean(param)) refuseRepeated(flagOf(name), typed);
    read[flag] = isBoolean(param) ? typed : readParam(name, typed, param);
  }
  return read;
}

/**
 * The command line that hands these values to a bin: `--name value` for each parameter with a
 * value, `--name`/`--no-name` for a boolean, a list comma-separated, null as "null".
 */
export function paramArgs(params: StepParams, values: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const [name, param] of Object.entries(params)) {
    const value = values[name];
    if (value === undefined || (value === null && !param.nullable)) continue;
    if (isBoolean(param)) args.push(value ? flagOf(name) : `--no-${flagOf(name).slice(2)}`);
    else args.push(flagOf(name), value === null ? 'null' : Array.isArray(value) ? value.join(',') : String(value));
  }
  return args;
}

/** The rule as config.yaml's JSON Schema applies it, with the words of messages as its description. */
export function configRuleOf(param: StepParam): Record<string, unknown> {
  const rule = param.nullable && 'type' in param.rule ? { ...param.rule, type: [param.rule.type, 'null'] } : param.rule;
  return { description: `must be ${describeParamRule(param)}`, ...rule };
}

/** Where a parameter is set, for messages: "--test-size (data.test_size)", the flag and the config key. */
export function whereSet(name: string, param: StepParam): string {
  return param.config ? `${flagOf(name)} (${param.config})` : flagOf(name);
}

/**
 * Checks values a library caller passes (by parameter name) against their rules: the same
 * verdict and message as for the flag. Absent values are left to the step's defaults.
 */
export function checkParams(params: StepParams, values: Record<string, unknown>): void {
  for (const [name, param] of Object.entries(params)) {
    const value = values[name];
    if (value === undefined || (value === null && param.nullable)) continue;
    if (!satisfies(value, param.rule)) {
      throw new UsageError(`${whereSet(name, param)} ${JSON.stringify(value)} is not allowed`, { hint: `give ${describeParamRule(param)} (${param.describe})` });
    }
  }
}

function isBoolean(param: StepParam): boolean {
  return 'type' in param.rule && param.rule.type === 'boolean';
}

function describeParamRule(param: StepParam): string {
  return param.nullable ? `${describeRule(param.rule)}, or null` : describeRule(param.rule);
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
export function readParam(name: string, typed: unknown, param: StepParam): number | string | string[] | null {
  const flag = flagOf(name);
  refuseRepeated(flag, typed);
  const text = String(typed);
  if (param.nullable && (text === 'null' || text === '')) return null;
  const value = valueOf(text, param.rule);
  if (value === undefined || !satisfies(value, param.rule)) {
    const problem = text === '' ? 'has no value' : `${quote(text)} ${value === undefined ? 'is not a number' : typeof value === 'number' ? 'is out of range' : 'is not allowed'}`;
    throw new UsageError(`${whereSet(name, param)} ${problem}`, { hint: `give ${describeParamRule(param)} (${param.describe})` });
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
  if (rule.type === 'boolean') return undefined;
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
      return typeof value === 'string' && [...value].length >= (rule.minLength ?? 0) && [...value].length <= (rule.maxLength ?? Infinity) && (rule.pattern === undefined || new RegExp(rule.pattern, 'u').test(value));
    case 'array':
      return Array.isArray(value) && value.length >= (rule.minItems ?? 0) && value.every((item) => satisfies(item, rule.items));
    case 'boolean':
      return typeof value === 'boolean';
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
      if (rule.description) return rule.description;
      return rule.pattern ? `a text matching ${rule.pattern}` : rule.minLength ? 'a non-empty text' : 'a text';
    case 'array':
      return `${rule.minItems ? 'one or more' : 'any'} ${rule.items.minLength ? 'non-empty ' : ''}names, comma-separated`;
    case 'boolean':
      return 'true or false';
  }
}

function quote(text: unknown): string {
  return JSON.stringify(String(text));
}
