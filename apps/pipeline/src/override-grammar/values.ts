/**
 * The values an override is evaluated to, kept as Hydra's Python sees them while functions run:
 * ints and floats stay apart (`str(10)` is "10", `str(10.0)` is "10.0"), quoted strings remember
 * their quotes, and dict keys keep their type. `toPlain` turns them into the JavaScript values a
 * config holds once evaluation is done.
 */

/** A Python int: arbitrary precision, as `int("12345678901234567890")` is exact. */
export class PyInt {
  constructor(readonly value: bigint) {}
}

/** A Python float (a JavaScript number that must print as Python prints it: `10.0`, `1e-05`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A quoted string: its text without quotes, and which quote it had (for writing it back). */
export class QuotedString {
  constructor(readonly text: string, readonly quote: "'" | '"') {}
}

/** A Python dict: insertion-ordered, with typed keys (`{1: a}` has the int key 1). */
export class PyDict {
  constructor(readonly entries: [DictKey, Value][]) {}

  static from(pairs: [DictKey, Value][]): PyDict {
    // Later duplicates replace earlier ones in place, as in a Python dict literal ({1: a, 1.0: b} is {1: b}).
    const entries: [DictKey, Value][] = [];
    for (const [key, value] of pairs) {
      const at = entries.findIndex(([other]) => sameDictKey(other, key));
      if (at >= 0) entries[at] = [entries[at][0], value];
      else entries.push([key, value]);
    }
    return new PyDict(entries);
  }
}

/** The keys a dict may have: what `dictKey` parses to (no quoted strings, no containers). */
export type DictKey = string | PyInt | PyFloat | boolean | null;

/** `extend_list(...)`: the values to append to an existing list. */
export class ListExtension {
  constructor(readonly values: Value[]) {}
}

/** Common to the three sweeps: a set of string tags, as `tag(a,b,choice(1,2))` sets. */
export abstract class Sweep {
  tags: Set<string> = new Set();
}

/** `a,b,c` (simple form) or `choice(a,b,c)`. */
export class ChoiceSweepValue extends Sweep {
  constructor(
    public list: Value[],
    public simpleForm = false,
    public shuffle = false,
  ) {
    super();
  }
}

/** A number of the range arithmetic: an int, a float, or an exact decimal (after `sort()` reverses a float range). */
export type RangeNumber = PyInt | PyFloat | import('./decimal.js').Decimal;

/** `range(start, stop, step)`: Python's range for ints, a decimal-exact float range otherwise. */
export class RangeSweepValue extends Sweep {
  constructor(
    public start: RangeNumber,
    public stop: RangeNumber,
    public step: RangeNumber,
    public shuffle = false,
  ) {
    super();
  }
}

/** `interval(start, end)`: a continuous range, for sweepers that sample. */
export class IntervalSweepValue extends Sweep {
  constructor(
    public start: PyInt | PyFloat,
    public end: PyInt | PyFloat,
  ) {
    super();
  }
}

/** `glob(...)`: selects config-group options; kept only to refuse it with a clear message. */
export class GlobValue {
  constructor(readonly include: string[], readonly exclude: string[]) {}
}

export type Value = null | boolean | string | PyInt | PyFloat | QuotedString | Value[] | PyDict | Sweep | ListExtension | GlobValue;

export function isNumberLike(value: unknown): value is PyInt | PyFloat | boolean {
  return value instanceof PyInt || value instanceof PyFloat || typeof value === 'boolean';
}

/** The numeric value of an int, float or bool, as Python compares them (True == 1). */
export function numericValue(value: PyInt | PyFloat | boolean): number | bigint {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  return value.value;
}

function sameDictKey(a: DictKey, b: DictKey): boolean {
  if (isNumberLike(a) && isNumberLike(b)) return numbersEqual(numericValue(a), numericValue(b));
  return a === b;
}

export function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  return a == b; // loose equality compares a bigint and a number by their mathematical values
}
