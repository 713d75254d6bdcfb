/**
 * Hydra's override functions (hydra/_internal/grammar/grammar_functions.py): the casts, the
 * sweeps, tag, sort, shuffle, and extend_list, with their Python signatures, so that arguments
 * bind and type-check as Python binds them.
 */
import { Decimal } from './decimal.js';
import { PythonError, floatFromInt, floatFromString, intFromFloat, intFromString, jsonDumps, primitiveStr, pySorted, typeName } from './python.js';
import {
  ChoiceSweepValue,
  GlobValue,
  IntervalSweepValue,
  ListExtension,
  PyDict,
  PyFloat,
  PyInt,
  QuotedString,
  type RangeNumber,
  RangeSweepValue,
  Sweep,
  type Value,
} from './values.js';

/** A type as Hydra's `is_type_matching` checks it. `exact-bool` is a bare `bool` annotation (type(x) is bool). */
type TypeTag = 'str' | 'int' | 'float' | 'bool' | 'None' | 'list' | 'dict' | 'QuotedString' | 'ChoiceSweep' | 'RangeSweep' | 'Sweep';
type TypeSpec = 'Any' | 'exact-bool' | TypeTag[];

interface Param {
  name: string;
  kind: 'positional' | 'varargs' | 'keyword';
  type: TypeSpec;
  required?: boolean;
}

interface FunctionSpec {
  params: Param[];
  call(args: Value[], kwargs: Record<string, Value>): Value;
}

const PARSED_ELEMENT: TypeTag[] = ['None', 'str', 'int', 'float', 'bool', 'list', 'dict', 'QuotedString'];
const CAST_TYPE: TypeTag[] = [...PARSED_ELEMENT, 'Sweep'];
const ELEMENT: TypeTag[] = ['str', 'int', 'bool', 'float', 'list', 'dict'];
const NUMBER: TypeTag[] = ['int', 'float'];

type Cast = (value: Value) => Value;

const castSpec = (cast: Cast): FunctionSpec => ({
  params: [
    { name: 'args', kind: 'varargs', type: CAST_TYPE },
    { name: 'value', kind: 'keyword', type: [...CAST_TYPE] },
  ],
  call: (args, kwargs) => cast(normalizeCastValue(args, kwargs.value)),
});

export const FUNCTIONS: Record<string, FunctionSpec> = {
  int: castSpec(castInt),
  float: castSpec(castFloat),
  str: castSpec(castStr),
  bool: castSpec(castBool),
  json_str: {
    params: [
      { name: 'args', kind: 'varargs', type: 'Any' },
      { name: 'value', kind: 'keyword', type: 'Any' },
    ],
    call: (args, kwargs) => castJsonStr(normalizeCastValue(args, kwargs.value)),
  },
  choice: {
    params: [{ name: 'args', kind: 'varargs', type: [...ELEMENT, 'ChoiceSweep'] }],
    call: choice,
  },
  range: {
    params: [
      { name: 'start', kind: 'positional', type: NUMBER, required: true },
      { name: 'stop', kind: 'positional', type: [...NUMBER, 'None'] },
      { name: 'step', kind: 'positional', type: NUMBER },
    ],
    call: (args, kwargs) => range(bindAll(['start', 'stop', 'step'], args, kwargs)),
  },
  interval: {
    params: [
      { name: 'start', kind: 'positional', type: NUMBER, required: true },
      { name: 'end', kind: 'positional', type: NUMBER, required: true },
    ],
    call: (args, kwargs) => {
      const [start, end] = bindAll(['start', 'end'], args, kwargs) as (PyInt | PyFloat | boolean)[];
      return new IntervalSweepValue(new PyFloat(toFloat(start)), new PyFloat(toFloat(end)));
    },
  },
  tag: {
    params: [
      { name: 'args', kind: 'varargs', type: ['str', 'Sweep'] },
      { name: 'sweep', kind: 'keyword', type: ['Sweep', 'None'] },
    ],
    call: (args, kwargs) => tag(kwargs.sweep ? [...args, kwargs.sweep] : args),
  },
  shuffle: {
    params: [
      { name: 'args', kind: 'varargs', type: [...ELEMENT, 'ChoiceSweep', 'RangeSweep'] },
      { name: 'sweep', kind: 'keyword', type: ['ChoiceSweep', 'RangeSweep', 'None'] },
      { name: 'list', kind: 'keyword', type: ['list', 'None'] },
    ],
    call: (args, kwargs) => shuffle(kwargs.list ? [kwargs.list] : kwargs.sweep ? [kwargs.sweep] : args),
  },
  sort: {
    params: [
      { name: 'args', kind: 'varargs', type: [...ELEMENT, 'ChoiceSweep', 'RangeSweep'] },
      { name: 'sweep', kind: 'keyword', type: ['ChoiceSweep', 'RangeSweep', 'None'] },
      { name: 'list', kind: 'keyword', type: ['list', 'None'] },
      { name: 'reverse', kind: 'keyword', type: 'exact-bool' },
    ],
    call: (args, kwargs) => sort(args, kwargs),
  },
  extend_list: {
    params: [{ name: 'args', kind: 'varargs', type: 'Any' }],
    call: (args) => new ListExtension(args),
  },
  glob: {
    params: [
      { name: 'include', kind: 'positional', type: ['list', 'str'], required: true },
      { name: 'exclude', kind: 'positional', type: ['list', 'str', 'None'] },
    ],
    call: (args, kwargs) => {
      const [include, exclude] = bindAll(['include', 'exclude'], args, kwargs);
      const names = (v: Value | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
      return new GlobValue(names(include), names(exclude));
    },
  },
};

/** Binds arguments as Python's `inspect.Signature.bind` does, type-checks them, and calls. */
export function callFunction(name: string, args: Value[], kwargs: Record<string, Value>): Value {
  const spec = FUNCTIONS[name];
  const positional = spec.params.filter((p) => p.kind === 'positional');
  const varargs = spec.params.find((p) => p.kind === 'varargs');
  if (!varargs && args.length > positional.length) throw new PythonError('TypeError', 'too many positional arguments');
  const bound: [Param, Value, string][] = [];
  positional.slice(0, args.length).forEach((param, i) => bound.push([param, args[i], param.name]));
  if (varargs) args.slice(positional.length).forEach((arg, i) => bound.push([varargs, arg, `${varargs.name}[${i}]`]));
  const named = spec.params.filter((p) => p.kind !== 'varargs');
  for (const [i, param] of positional.entries()) {
    if (i < args.length && param.name in kwargs) throw new PythonError('TypeError', `multiple values for argument '${param.name}'`);
  }
  for (const param of named.slice(Math.min(args.length, positional.length))) {
    if (param.name in kwargs) bound.push([param, kwargs[param.name], param.name]);
    else if (param.required) throw new PythonError('TypeError', `missing a required argument: '${param.name}'`);
  }
  const unknown = Object.keys(kwargs).find((key) => !named.some((p) => p.name === key));
  if (unknown !== undefined) throw new PythonError('TypeError', `got an unexpected keyword argument '${unknown}'`);
  for (const [param, value, label] of bound) {
    if (!matches(value, param.type)) {
      throw new PythonError('TypeError', `mismatch type argument ${label}: ${typeName(value)} is incompatible with ${describeType(param.type)}`);
    }
  }
  return spec.call(args, kwargs);
}

function matches(value: Value, type: TypeSpec): boolean {
  if (type === 'Any') return true;
  if (type === 'exact-bool') return typeof value === 'boolean';
  return type.some((tag) => {
    switch (tag) {
      case 'None': return value === null;
      case 'str': return typeof value === 'string';
      case 'bool': return typeof value === 'boolean';
      case 'int': return value instanceof PyInt || typeof value === 'boolean'; // bool is an int in Python
      case 'float': return value instanceof PyFloat;
      case 'list': return Array.isArray(value);
      case 'dict': return value instanceof PyDict;
      case 'QuotedString': return value instanceof QuotedString;
      case 'ChoiceSweep': return value instanceof ChoiceSweepValue;
      case 'RangeSweep': return value instanceof RangeSweepValue;
      case 'Sweep': return value instanceof Sweep;
    }
  });
}

function describeType(type: TypeSpec): string {
  if (type === 'Any') return 'Any';
  if (type === 'exact-bool') return 'bool';
  return type.length === 1 ? type[0] : `Union[${type.join(', ')}]`;
}

function bindAll(names: string[], args: Value[], kwargs: Record<string, Value>): (Value | undefined)[] {
  return names.map((name, i) => (i < args.length ? args[i] : kwargs[name]));
}

// The casts.

function normalizeCastValue(args: Value[], value: Value | undefined): Value {
  const given = value !== undefined && value !== null;
  if (args.length > 0 && given) throw new PythonError('TypeError', 'cannot use both position and named arguments');
  if (given) return value;
  if (args.length === 0) throw new PythonError('TypeError', 'No positional args or value specified');
  if (args.length === 1) return args[0];
  return simpleChoiceOf(args);
}

function simpleChoiceOf(args: Value[]): ChoiceSweepValue {
  for (const arg of args) {
    if (arg instanceof Sweep || arg instanceof ListExtension || arg instanceof GlobValue) throw new PythonError('AssertionError', `a ${typeName(arg)} cannot be one of several values`);
  }
  return new ChoiceSweepValue([...args], true);
}

/** What the four casts share: quoted strings, dicts, lists and sweeps are cast element by element. */
function castEach(value: Value, cast: Cast, name: string): Value | undefined {
  if (value instanceof QuotedString) return cast(value.text);
  if (value instanceof PyDict) return new PyDict(value.entries.map(([k, v]) => [k, cast(v)]));
  if (Array.isArray(value)) return value.map(cast);
  if (value instanceof ChoiceSweepValue) return castChoice(value, cast);
  if (value instanceof RangeSweepValue) {
    if (name !== 'int' && name !== 'float') throw new PythonError('ValueError', 'Range can only be cast to int or float');
    const each = (n: RangeNumber) => cast(n as unknown as Value) as RangeNumber;
    return new RangeSweepValue(each(value.start), each(value.stop), each(value.step));
  }
  if (value instanceof IntervalSweepValue) {
    if (name !== 'int' && name !== 'float') throw new PythonError('ValueError', `Intervals cannot be cast to ${name}`);
    const interval = new IntervalSweepValue(cast(value.start) as PyInt | PyFloat, cast(value.end) as PyInt | PyFloat);
    interval.tags = new Set(value.tags);
    return interval;
  }
  return undefined;
}

function castChoice(sweep: ChoiceSweepValue, cast: Cast): ChoiceSweepValue {
  const list = sweep.list.map((item) => {
    const result = cast(item);
    if (result === null || !(typeof result !== 'object' || result instanceof PyInt || result instanceof PyFloat || Array.isArray(result) || result instanceof PyDict)) {
      throw new PythonError('AssertionError', `a choice cannot hold ${typeName(result)}`);
    }
    return result;
  });
  return new ChoiceSweepValue(list, sweep.simpleForm);
}

function primitiveOf(value: Value): PyInt | PyFloat | boolean | string {
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof PyInt || value instanceof PyFloat) return value;
  throw new PythonError('AssertionError', `cannot cast ${typeName(value)}`);
}

function castInt(value: Value): Value {
  const each = castEach(value, castInt, 'int');
  if (each !== undefined) return each;
  const v = primitiveOf(value);
  if (typeof v === 'string') return new PyInt(intFromString(v));
  if (typeof v === 'boolean') return new PyInt(v ? 1n : 0n);
  if (v instanceof PyFloat) return new PyInt(intFromFloat(v.value));
  return v;
}

function castFloat(value: Value): Value {
  const each = castEach(value, castFloat, 'float');
  if (each !== undefined) return each;
  const v = primitiveOf(value);
  if (typeof v === 'string') return new PyFloat(floatFromString(v));
  return new PyFloat(toFloat(v));
}

function castStr(value: Value): Value {
  return castEach(value, castStr, 'str') ?? primitiveStr(primitiveOf(value));
}

function castBool(value: Value): Value {
  const each = castEach(value, castBool, 'bool');
  if (each !== undefined) return each;
  if (typeof value === 'string') {
    if (value.toLowerCase() === 'false') return false;
    if (value.toLowerCase() === 'true') return true;
    throw new PythonError('ValueError', `Cannot cast '${value}' to bool`);
  }
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value instanceof PyInt) return value.value !== 0n;
  if (value instanceof PyFloat) return value.value !== 0;
  throw new PythonError('TypeError', `cannot cast ${typeName(value)} to bool`);
}

/** Hydra's `extract_text`: quoted strings become their text, everywhere inside. */
function extractText(value: Value): Value {
  if (value instanceof QuotedString) return value.text;
  if (value instanceof PyDict) return new PyDict(value.entries.map(([k, v]) => [k, extractText(v)]));
  if (Array.isArray(value)) return value.map(extractText);
  if (value instanceof ChoiceSweepValue) return castChoice(value, extractText);
  if (value instanceof RangeSweepValue) throw new PythonError('ValueError', 'Range can only be cast to int or float');
  return value;
}

function castJsonStr(value: Value): Value {
  if (value instanceof ChoiceSweepValue) return castChoice(castChoice(value, extractText), jsonDumps);
  if (value instanceof RangeSweepValue) throw new PythonError('ValueError', 'Range can only be cast to int or float');
  if (value instanceof IntervalSweepValue) throw new PythonError('ValueError', 'Intervals cannot be cast to json_str');
  return jsonDumps(extractText(value));
}

export function toFloat(value: PyInt | PyFloat | boolean): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof PyInt) return floatFromInt(value.value);
  return value.value;
}

// The sweeps.

function choice(args: Value[]): Value {
  if (args.length === 0) throw new PythonError('ValueError', 'empty choice is not legal');
  if (args.length === 1 && args[0] instanceof ChoiceSweepValue) {
    const only = args[0];
    if (!only.simpleForm) throw new PythonError('ValueError', 'nesting choices is not supported');
    const sweep = new ChoiceSweepValue(only.list, false, only.shuffle);
    sweep.tags = only.tags;
    return sweep;
  }
  if (args.some((arg) => arg instanceof ChoiceSweepValue)) throw new PythonError('ValueError', 'nesting choices is not supported');
  return new ChoiceSweepValue([...args]);
}

function range([start, stop, step]: (Value | undefined)[]): Value {
  const number = (v: Value | undefined, fallback: RangeNumber): RangeNumber => (v === undefined ? fallback : typeof v === 'boolean' ? new PyInt(v ? 1n : 0n) : (v as RangeNumber));
  if (stop === undefined || stop === null) return new RangeSweepValue(new PyInt(0n), number(start, new PyInt(0n)), number(step, new PyInt(1n)));
  return new RangeSweepValue(number(start, new PyInt(0n)), number(stop, new PyInt(0n)), number(step, new PyInt(1n)));
}

function tag(args: Value[]): Value {
  if (args.length < 1) throw new PythonError('ValueError', 'Not enough arguments to tag, must take at least a sweep');
  const last = args[args.length - 1];
  if (!(last instanceof Sweep)) throw new PythonError('ValueError', `Last argument to tag() must be a choice(), range() or interval(), got ${typeName(last)}`);
  const tags = new Set<string>();
  for (const name of args.slice(0, -1)) {
    if (typeof name !== 'string') throw new PythonError('ValueError', `tag arguments type must be string, got ${typeName(name)}`);
    tags.add(name);
  }
  last.tags = tags;
  return last;
}

function shuffle(args: Value[]): Value {
  if (args.length === 1) {
    const [arg] = args;
    if (arg instanceof ChoiceSweepValue || arg instanceof RangeSweepValue) {
      const copy = copySweep(arg);
      copy.shuffle = true;
      return copy;
    }
    if (Array.isArray(arg)) return shuffled(arg);
    return [arg];
  }
  const sweep = simpleChoiceOf(args);
  sweep.shuffle = true;
  return sweep;
}

/** Fisher-Yates, as Python's random.shuffle. */
export function shuffled<T>(values: T[]): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function sort(args: Value[], kwargs: Record<string, Value>): Value {
  const reverse = kwargs.reverse === true;
  if (kwargs.list !== undefined && kwargs.list !== null) return pySorted(kwargs.list as Value[], reverse);
  if (kwargs.sweep !== undefined && kwargs.sweep !== null) return sortSweep(kwargs.sweep as ChoiceSweepValue | RangeSweepValue, reverse);
  if (args.length === 1) {
    const [arg] = args;
    if (arg instanceof ChoiceSweepValue || arg instanceof RangeSweepValue) return sortSweep(arg, reverse);
    if (Array.isArray(arg)) return pySorted(arg, reverse);
    return arg;
  }
  if (args.some((arg) => !(typeof arg === 'string' || typeof arg === 'boolean' || arg instanceof PyInt || arg instanceof PyFloat))) {
    throw new PythonError('TypeError', 'Invalid arguments: sort() of several values takes numbers, strings and bools only');
  }
  if (args.length === 0) throw new PythonError('ValueError', 'empty sort input');
  return sortSweep(simpleChoiceOf(args), reverse);
}

function copySweep<T extends ChoiceSweepValue | RangeSweepValue>(sweep: T): T {
  const copy = sweep instanceof ChoiceSweepValue
    ? new ChoiceSweepValue([...sweep.list], sweep.simpleForm, sweep.shuffle)
    : new RangeSweepValue(sweep.start, sweep.stop, sweep.step, sweep.shuffle);
  copy.tags = new Set(sweep.tags);
  return copy as T;
}

function sortSweep(sweep: ChoiceSweepValue | RangeSweepValue, reverse: boolean): Value {
  const copy = copySweep(sweep);
  if (copy instanceof ChoiceSweepValue) {
    copy.list = pySorted(copy.list, reverse);
    return copy;
  }
  if ((rangeSign(copy.step) > 0) === reverse) reverseRange(copy);
  return copy;
}

/** Makes a range run the other way over the same values (Hydra's `_reverse_range_sweep`). */
function reverseRange(sweep: RangeSweepValue): void {
  if (isIntRange(sweep)) {
    const [start, stop, step] = [sweep.start, sweep.stop, sweep.step].map((n) => (n as PyInt).value);
    if (step === 0n) throw new PythonError('ValueError', 'range() arg 3 must not be zero');
    const count = intRangeLength(start, stop, step);
    if (count > 1n) {
      const last = start + (count - 1n) * step;
      sweep.start = new PyInt(last);
      sweep.step = new PyInt(-step);
      sweep.stop = new PyInt(start - step);
    }
    return;
  }
  const [start, stop, step] = [sweep.start, sweep.stop, sweep.step].map(toDecimal);
  const count = floatRangeCount(start, stop, step);
  if (count > 1n) {
    sweep.start = start.add(step.times(count - 1n));
    sweep.step = step.neg();
    sweep.stop = start.add(step.neg().half());
  }
}

export function isIntRange(sweep: RangeSweepValue): boolean {
  return sweep.start instanceof PyInt && sweep.stop instanceof PyInt && sweep.step instanceof PyInt;
}

export function intRangeLength(start: bigint, stop: bigint, step: bigint): bigint {
  const distance = step > 0n ? stop - start : start - stop;
  const size = step > 0n ? step : -step;
  return distance <= 0n ? 0n : (distance + size - 1n) / size;
}

export function floatRangeCount(start: Decimal, stop: Decimal, step: Decimal): bigint {
  const direction = step.sign();
  if (direction === 0) return 0n;
  const distance = direction > 0 ? stop.sub(start) : start.sub(stop);
  if (distance.sign() <= 0) return 0n;
  const { quotient, exact } = distance.divmod(step.abs());
  return exact ? quotient : quotient + 1n;
}

/** `Decimal(str(x))`. */
export function toDecimal(n: RangeNumber): Decimal {
  if (n instanceof Decimal) return n;
  if (n instanceof PyInt) return Decimal.fromBigInt(n.value);
  if (!Number.isFinite(n.value)) throw new PythonError('ValueError', `range() needs finite numbers, not ${n.value}`);
  return Decimal.fromNumber(n.value);
}

export function rangeSign(n: RangeNumber): number {
  if (n instanceof Decimal) return n.sign();
  if (n instanceof PyInt) return n.value > 0n ? 1 : n.value < 0n ? -1 : 0;
  return Math.sign(n.value);
}
