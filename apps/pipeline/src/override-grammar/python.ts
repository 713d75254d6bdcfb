/**
 * The few Python behaviours Hydra's override functions rely on, so that mldp computes what
 * Hydra computes: `repr(float)`, `int(str)`, `float(str)`, `str()`, ordering for `sorted()`,
 * and `json.dumps()` with its default settings.
 */
import { ChoiceSweepValue, GlobValue, IntervalSweepValue, ListExtension, PyDict, PyFloat, PyInt, QuotedString, RangeSweepValue, type Value, isNumberLike, numericValue } from './values.js';

/** A failure inside a function, reported as Python reports it: `ValueError: ...`. */
export class PythonError extends Error {
  constructor(
    readonly type: 'ValueError' | 'TypeError' | 'OverflowError' | 'AssertionError',
    message: string,
  ) {
    super(message);
  }
}

/** `repr(x)` of a Python float: the shortest digits, fixed notation for exponents -4..15, else `1e-05`, `1e+16`. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/** `repr(s)` of a Python str, as error messages quote it. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${body}${quote}`;
}

const INT_LITERAL = /^[+-]?[0-9](?:_?[0-9])*$/;
const FLOAT_LITERAL = /^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*\.(?:[eE][+-]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)$/i;

/** `int(s)`: surrounding whitespace, a sign and single `_` between digits are allowed. */
export function intFromString(s: string): bigint {
  const text = s.trim();
  if (!INT_LITERAL.test(text)) throw new PythonError('ValueError', `invalid literal for int() with base 10: ${strRepr(s)}`);
  return BigInt(text.replace(/_/g, '').replace(/^\+/, ''));
}

/** `float(s)`: decimal or exponent notation with `_` between digits, or inf, infinity, nan in any case. */
export function floatFromString(s: string): number {
  const text = s.trim();
  if (!FLOAT_LITERAL.test(text)) throw new PythonError('ValueError', `could not convert string to float: ${strRepr(s)}`);
  const plain = text.replace(/_/g, '').toLowerCase();
  const unsigned = plain.replace(/^[+-]/, '');
  const negative = plain.startsWith('-');
  if (unsigned === 'nan') return NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return negative ? -Infinity : Infinity;
  return Number(plain);
}

/** `int(x)` of a float: truncated, and an error for nan and inf. */
export function intFromFloat(x: number): bigint {
  if (Number.isNaN(x)) throw new PythonError('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PythonError('OverflowError', 'cannot convert float infinity to integer');
  return BigInt(Math.trunc(x));
}

/** `float(n)` of an int: correctly rounded, and an error past the float range. */
export function floatFromInt(n: bigint): number {
  const x = Number(n);
  if (!Number.isFinite(x)) throw new PythonError('OverflowError', 'int too large to convert to float');
  return x;
}

/** The name Python gives a value's type in messages. */
export function typeName(value: Value | undefined): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (value instanceof PyInt) return 'int';
  if (value instanceof PyFloat) return 'float';
  if (value instanceof QuotedString) return 'QuotedString';
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyDict) return 'dict';
  if (value instanceof ChoiceSweepValue) return 'ChoiceSweep';
  if (value instanceof RangeSweepValue) return 'RangeSweep';
  if (value instanceof IntervalSweepValue) return 'IntervalSweep';
  if (value instanceof ListExtension) return 'ListExtensionOverrideValue';
  if (value instanceof GlobValue) return 'Glob';
  return 'object';
}

/**
 * `a < b` as `sorted()` uses it: numbers (bool, int, float) among themselves, str with str by code
 * point, lists element by element; anything else is Python's TypeError.
 */
export function lessThan(a: Value, b: Value): boolean {
  if (isNumberLike(a) && isNumberLike(b)) {
    const x = numericValue(a);
    const y = numericValue(b);
    return x < y; // exact across bigint and number
  }
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b) < 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return lessThan(a[i], b[i]);
    }
    return a.length < b.length;
  }
  throw new PythonError('TypeError', `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** `sorted(values, reverse=...)`: stable, and equal items keep their order when reversed too. */
export function pySorted(values: Value[], reverse: boolean): Value[] {
  return values
    .map((value, index) => ({ value, index }))
    .sort((x, y) => {
      const [first, second] = reverse ? [x.value, y.value] : [y.value, x.value];
      if (lessThan(second, first)) return -1;
      if (lessThan(first, second)) return 1;
      return x.index - y.index;
    })
    .map(({ value }) => value);
}

/** `a == b` for the values an override holds. */
export function pyEquals(a: Value, b: Value): boolean {
  if (isNumberLike(a) && isNumberLike(b)) {
    const x = numericValue(a);
    const y = numericValue(b);
    return x == y; // exact across bigint and number
  }
  if (a instanceof QuotedString && b instanceof QuotedString) return a.text === b.text && a.quote === b.quote;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  if (a instanceof PyDict && b instanceof PyDict) {
    return a.entries.length === b.entries.length && a.entries.every(([key, value]) => {
      const match = b.entries.find(([other]) => pyEquals(other, key));
      return match !== undefined && pyEquals(match[1], value);
    });
  }
  return a === b;
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** `str(x)` of a primitive; Hydra's `str()` cast writes bools in lower case. */
export function primitiveStr(value: PyInt | PyFloat | boolean | string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof PyInt) return value.value.toString();
  return floatRepr(value.value);
}

/** `json.dumps(value)` with Python's defaults: `, ` and `: ` separators, ASCII only, NaN and Infinity allowed. */
export function jsonDumps(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return jsonString(value);
  if (value instanceof PyInt) return value.value.toString();
  if (value instanceof PyFloat) {
    if (Number.isNaN(value.value)) return 'NaN';
    if (!Number.isFinite(value.value)) return value.value > 0 ? 'Infinity' : '-Infinity';
    return floatRepr(value.value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonDumps).join(', ')}]`;
  if (value instanceof PyDict) return `{${value.entries.map(([key, item]) => `${jsonString(jsonKey(key))}: ${jsonDumps(item)}`).join(', ')}}`;
  throw new PythonError('TypeError', `Object of type ${typeName(value)} is not JSON serializable`);
}

function jsonKey(key: Value): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key instanceof PyInt) return key.value.toString();
  if (key instanceof PyFloat) return jsonDumps(key);
  throw new PythonError('TypeError', `keys must be str, int, float, bool or None, not ${typeName(key)}`);
}

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (JSON_ESCAPES[c]) out += JSON_ESCAPES[c];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
