/**
 * The sweeps an override can hold, as callers see them: `ChoiceSweep` (`a,b,c` or `choice(a,b,c)`),
 * `RangeSweep` (`range(1,10,2)`), `IntervalSweep` (`interval(0,1)`). Discrete sweeps list their
 * items: each item's value and its override text, the way Hydra's basic sweeper writes a job's
 * override (`x=1.0`, `x='a b'`).
 */
import { Decimal } from './decimal.js';
import { floatRangeCount, intRangeLength, isIntRange, shuffled, toDecimal } from './functions.js';
import { floatRepr } from './python.js';
import { valueText } from './text.js';
import { ChoiceSweepValue, IntervalSweepValue, PyFloat, PyInt, type RangeNumber, RangeSweepValue, type Value } from './values.js';

/** A plain value: what a config holds. */
export type OverrideValue = null | boolean | number | string | OverrideValue[] | { [key: string]: OverrideValue };

export interface SweepItem {
  value: OverrideValue;
  /** The value written as override text, for the job's `key=text`. */
  text: string;
}

export class ChoiceSweep {
  readonly kind = 'choice';
  readonly list: OverrideValue[];
  /** Each choice as override text. */
  readonly texts: string[];
  /** True for `a,b,c`, false for `choice(a,b,c)`. */
  readonly simpleForm: boolean;
  readonly shuffle: boolean;
  readonly tags: string[];

  constructor(source: ChoiceSweepValue, toPlain: (value: Value) => OverrideValue) {
    this.list = source.list.map(toPlain);
    this.texts = source.list.map(valueText);
    this.simpleForm = source.simpleForm;
    this.shuffle = source.shuffle;
    this.tags = [...source.tags].sort();
  }

  /** The choices in sweep order (a new random order each call when shuffled). */
  items(): SweepItem[] {
    const items = this.list.map((value, i) => ({ value, text: this.texts[i] }));
    return this.shuffle ? shuffled(items) : items;
  }
}

export class RangeSweep {
  readonly kind = 'range';
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  /** Python's `range` when start, stop and step are all ints; a float range (of decimals) otherwise. */
  readonly integer: boolean;
  readonly shuffle: boolean;
  readonly tags: string[];
  readonly #source: RangeSweepValue;

  constructor(source: RangeSweepValue) {
    this.#source = source;
    this.start = rangeNumber(source.start);
    this.stop = rangeNumber(source.stop);
    this.step = rangeNumber(source.step);
    this.integer = isIntRange(source);
    this.shuffle = source.shuffle;
    this.tags = [...source.tags].sort();
  }

  /** The numbers of the range, as Hydra's RangeSweep.range() yields them; an error for a zero step. */
  items(limit = 1_000_000): SweepItem[] {
    const items: SweepItem[] = [];
    const source = this.#source;
    if (this.integer) {
      const [start, stop, step] = [source.start, source.stop, source.step].map((n) => (n as PyInt).value);
      if (step === 0n) throw new RangeError('range() arg 3 must not be zero');
      const count = intRangeLength(start, stop, step);
      if (count > BigInt(limit)) throw new RangeError(`range() has ${count} values, more than ${limit}`);
      for (let i = 0n; i < count; i++) {
        const value = start + step * i;
        items.push({ value: safeNumber(value), text: value.toString() });
      }
    } else {
      const [start, stop, step] = [source.start, source.stop, source.step].map(toDecimal);
      if (step.sign() === 0) throw new RangeError(`Invalid range values (start:${this.start}, stop:${this.stop}, step:${this.step})`);
      const count = floatRangeCount(start, stop, step);
      if (count > BigInt(limit)) throw new RangeError(`range() has ${count} values, more than ${limit}`);
      for (let i = 0n; i < count; i++) {
        const value = start.add(step.times(i)).toNumber();
        items.push({ value, text: floatRepr(value) });
      }
    }
    return this.shuffle ? shuffled(items) : items;
  }
}

export class IntervalSweep {
  readonly kind = 'interval';
  readonly start: number;
  readonly end: number;
  readonly tags: string[];

  constructor(source: IntervalSweepValue) {
    this.start = rangeNumber(source.start);
    this.end = rangeNumber(source.end);
    this.tags = [...source.tags].sort();
  }
}

export type Sweep = ChoiceSweep | RangeSweep | IntervalSweep;

function rangeNumber(n: RangeNumber): number {
  if (n instanceof Decimal) return n.toNumber();
  if (n instanceof PyFloat) return n.value;
  return safeNumber(n.value);
}

function safeNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`${n} is too large: mldp holds ints up to 2^53-1 exactly`);
  return Number(n);
}
