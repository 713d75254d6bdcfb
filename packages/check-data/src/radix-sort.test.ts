import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './radix-sort.js';

describe('sortFloat64', () => {
  it('sorts as Float64Array#sort does, with negatives, zeros, ties, infinities and subnormals', () => {
    let state = 3;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const specials = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, 1, -1];
    const values = new Float64Array(50_000);
    for (let i = 0; i < values.length; i++) values[i] = i < specials.length ? specials[i] : (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10);
    const expected = Float64Array.from(values).sort();
    const actual = sortFloat64(Float64Array.from(values));
    expect(Array.from(actual).map((v) => Object.is(v, -0) ? 0 : v)).toEqual(Array.from(expected).map((v) => Object.is(v, -0) ? 0 : v));
  });

  it('sorts a view into a larger buffer without touching the rest', () => {
    const buffer = new Float64Array(10_000).map((_, i) => 10_000 - i);
    const view = sortFloat64(buffer.subarray(0, 5000));
    expect(view[0]).toBe(5001);
    expect(view[4999]).toBe(10_000);
    expect(buffer[5000]).toBe(5000);
  });
});
