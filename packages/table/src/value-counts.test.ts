import { describe, expect, it } from 'vitest';
import { type CountedValues, ValueCounter, subtractCounts } from './value-counts.js';

/** The counts as plain pairs, with -0 and NaN spelled out so that toEqual tells them apart. */
function pairs(counted: CountedValues): Array<[string, number]> {
  return [...counted.distinct].map((value, i) => [Object.is(value, -0) ? '-0' : String(value), counted.counts[i]]);
}

/** The same counts made the slow way: sort the values and count the runs. */
function countedBySorting(values: number[]): Array<[string, number]> {
  const sorted = Float64Array.from(values).sort();
  const runs: Array<[string, number]> = [];
  for (const value of sorted) {
    const key = Object.is(value, -0) ? '-0' : String(value);
    if (runs.length && runs[runs.length - 1][0] === key) runs[runs.length - 1][1]++;
    else runs.push([key, 1]);
  }
  return runs;
}

/** Deterministic values with many repeats, both zeros, NaN, infinities and tiny numbers. */
function sampleValues(n: number, distinct: number): number[] {
  const specials = [0, -0, Number.NaN, Infinity, -Infinity, 5e-324, -1.5, 2 ** 53];
  let state = 12345;
  return Array.from({ length: n }, (_, i) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return i % 97 === 0 ? specials[state % specials.length] : Math.round(((state % distinct) / 7) * 1000) / 1000;
  });
}

describe('ValueCounter', () => {
  it('counts each distinct value, sorted, across many blocks and table growths', () => {
    const values = sampleValues(100_000, 30_000);
    const counter = new ValueCounter();
    for (const value of values) counter.push(value);
    const counted = counter.finish()!;
    expect(counted.count).toBe(values.length);
    expect(pairs(counted)).toEqual(countedBySorting(values));
  });

  it('counts a table too large for the cache, read ahead of counting, the same way', () => {
    // 400k distinct values grow the table past 2^19 slots, where each block's slots are read ahead.
    const values = sampleValues(1_000_000, 400_000);
    const counter = new ValueCounter();
    for (const value of values) counter.push(value);
    expect(pairs(counter.finish()!)).toEqual(countedBySorting(values));
  });

  it('takes repeated values at once, as if pushed one by one', () => {
    const byAdd = new ValueCounter();
    const byPush = new ValueCounter();
    for (const [value, times] of [[1.5, 3], [-0, 2], [0, 4], [Number.NaN, 5], [1.5, 1], [7, 0]] as const) {
      byAdd.add(value, times);
      for (let n = 0; n < times; n++) byPush.push(value);
    }
    expect(pairs(byAdd.finish()!)).toEqual(pairs(byPush.finish()!));
    expect(byAdd.count).toBe(15);
  });

  it('gives up past its limit, handing what it counted to onOverflow first', () => {
    const seen: number[] = [];
    const counter = new ValueCounter(1000, (counted) => counted.forEach((value, times) => seen.push(value, times)));
    for (let i = 0; i < 20_000; i++) counter.push(i % 5000);
    expect(counter.overflowed).toBe(true);
    expect(counter.finish()).toBeUndefined();
    expect(counter.count).toBe(20_000);
    // The first drained block (8192 values) held 5000 distinct values, each once or twice.
    expect(seen.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0)).toBe(8192);
  });
});

describe('subtractCounts', () => {
  it('takes a part of the values out, dropping values no longer present', () => {
    const all = sampleValues(20_000, 500);
    const part = all.filter((_, i) => i % 3 === 0);
    const rest = all.filter((_, i) => i % 3 !== 0);
    const count = (values: number[]) => {
      const counter = new ValueCounter();
      values.forEach((v) => counter.push(v));
      return counter.finish()!;
    };
    const left = subtractCounts(count(all), count(part));
    expect(left.count).toBe(rest.length);
    expect(pairs(left)).toEqual(countedBySorting(rest));
  });

  it('refuses to take out values the counts do not hold', () => {
    const counter = new ValueCounter();
    counter.push(1);
    const other = new ValueCounter();
    other.push(-0);
    expect(() => subtractCounts(counter.finish()!, other.finish()!)).toThrow(/cannot take 1 of 0/);
  });
});
