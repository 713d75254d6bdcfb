import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MT19937 } from './mt19937.js';
import { RandomState } from './random-state.js';

// Made by scripts/gen-split-fixtures.py with Debian's numpy 1.24.
const NUMPY = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/numpy-random-state.json'), 'utf8')) as {
  raw: Array<{ seed: number; first: number[]; after_1000: number[] }>;
  permutation: Array<{ seed: number; n: number; head: number[]; sha256: string }>;
  choice: Array<{ seed: number; calls: Array<{ a_n: number; a_head: number[]; size: number; out: number[] }> }>;
  shuffle: Array<{ seed: number; start: number; n: number; head: number[]; sha256: string; then_permutation_of_10_to_50: number[] }>;
};

/** As the fixture script digests an index list: sha256 of the comma-joined numbers. */
const digest = (items: ArrayLike<number>) => createHash('sha256').update(Array.from(items).join(',')).digest('hex');

describe('MT19937 as numpy seeds and runs it', () => {
  it.each(NUMPY.raw.map((r) => [r.seed, r]))('seed %d gives numpy\'s raw 32-bit draws', (_, expected) => {
    const bits = new MT19937(expected.seed);
    expect(Array.from({ length: 8 }, () => bits.nextUint32())).toEqual(expected.first);
    const later = Array.from({ length: 1000 }, () => bits.nextUint32());
    expect(later.slice(-4)).toEqual(expected.after_1000);
  });
});

describe('RandomState', () => {
  it.each(NUMPY.permutation.map((p) => [p.seed, p.n, p]))('seed %d: permutation(%d) is numpy\'s', (_, __, expected) => {
    const permutation = new RandomState(expected.seed).permutation(expected.n);
    expect(Array.from(permutation.subarray(0, 16))).toEqual(expected.head);
    expect(digest(permutation)).toBe(expected.sha256);
  });

  it.each(NUMPY.choice.map((c) => [c.seed, c]))('seed %d: successive choice(a, size, replace=False) calls are numpy\'s', (_, expected) => {
    const rng = new RandomState(expected.seed);
    for (const call of expected.calls) {
      const population = call.a_n <= call.a_head.length ? call.a_head : Array.from({ length: call.a_n }, (_, i) => i);
      expect(rng.choice(population, call.size)).toEqual(call.out);
    }
  });

  it.each(NUMPY.shuffle.map((s) => [s.seed, s]))('seed %d: shuffle of 70,000 items, then permutation(array), are numpy\'s', (_, expected) => {
    const rng = new RandomState(expected.seed);
    const items = Int32Array.from({ length: expected.n }, (_, i) => expected.start + i);
    rng.shuffle(items);
    expect(Array.from(items.subarray(0, 16))).toEqual(expected.head);
    expect(digest(items)).toBe(expected.sha256);
    const source = Int32Array.from([10, 20, 30, 40, 50]);
    expect(Array.from(rng.permuted(source))).toEqual(expected.then_permutation_of_10_to_50);
    expect(Array.from(source)).toEqual([10, 20, 30, 40, 50]);
  });

  it('draws bounded integers above 2**32 from two words, high first, within bounds', () => {
    const rng = new RandomState(3);
    const max = 2 ** 40 + 12345;
    for (let i = 0; i < 1000; i++) {
      const value = rng.randomInterval(max);
      expect(Number.isInteger(value) && value >= 0 && value <= max).toBe(true);
    }
    // With max = 2**33 - 1 the mask keeps 1 bit of the high word: value = (high & 1) * 2**32 + low.
    const bits = new MT19937(9);
    const high = bits.nextUint32();
    const low = bits.nextUint32();
    expect(new RandomState(9).randomInterval(2 ** 33 - 1)).toBe((high & 1) * 2 ** 32 + low);
  });

  it.each([-1, 2 ** 32, 1.5, Number.NaN])('refuses the seed %d, as numpy does', (seed) => {
    expect(() => new RandomState(seed)).toThrow(/between 0 and 2\*\*32 - 1/);
  });

  it('refuses a sample larger than the population', () => {
    expect(() => new RandomState(0).choice([1, 2], 3)).toThrow(/larger sample than population/);
  });
});
