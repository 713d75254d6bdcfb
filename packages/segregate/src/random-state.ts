import { UsageError } from '@mldp/runtime';
import { MT19937 } from './mt19937.js';

/** Arrays `shuffle` permutes in place. */
export type Shuffleable = { length: number; [index: number]: number };

/**
 * The parts of numpy's legacy `numpy.random.RandomState` that scikit-learn's splitters use, with
 * the same stream of draws, so a seed gives numpy's very permutations. Read from
 * numpy/random/mtrand.pyx (`shuffle`, `permutation`, `choice`), numpy/random/_mt19937.pyx
 * (`_legacy_seeding`) and numpy/random/src/distributions/distributions.c (`random_interval`);
 * the legacy stream is frozen, and these are the same in numpy 1.24 (Debian bookworm) and 2.x.
 */
export class RandomState {
  private readonly bits: MT19937;

  /** As `RandomState(seed)` for an int seed. */
  constructor(seed: number) {
    checkSeed(seed);
    this.bits = new MT19937(seed);
  }

  /**
   * `random_interval(max)`: a uniform integer in [0, max] by masked rejection: draw bits, keep
   * those under the smallest all-ones mask >= max, retry while above max. Up to 2**32 - 1 it
   * draws 32 bits; above, 64 bits (two 32-bit draws, high word first, as `mt19937_next64`).
   */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = allOnesAtLeast(max);
      let value: number;
      do value = (this.bits.nextUint32() & mask) >>> 0;
      while (value > max);
      return value;
    }
    const maskHigh = allOnesAtLeast(Math.floor(max / 2 ** 32));
    let value: number;
    do {
      const high = (this.bits.nextUint32() & maskHigh) >>> 0;
      value = high * 2 ** 32 + this.bits.nextUint32();
    } while (value > max);
    return value;
  }

  /** `shuffle(x)` of a 1-d array: Fisher-Yates from the last item down, j = random_interval(i). */
  shuffle<T extends Shuffleable>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const held = items[i];
      items[i] = items[j];
      items[j] = held;
    }
    return items;
  }

  /** `permutation(n)`: arange(n), shuffled. */
  permutation(n: number): Int32Array {
    const items = new Int32Array(n);
    for (let i = 0; i < n; i++) items[i] = i;
    return this.shuffle(items);
  }

  /** `permutation(array)` of a 1-d array: a shuffled copy. */
  permuted(items: Int32Array): Int32Array {
    return this.shuffle(items.slice());
  }

  /**
   * `choice(a, size, replace=False)` without weights: the legacy code takes
   * `permutation(len(a))[:size]`, so it always shuffles the whole population.
   */
  choice(items: ArrayLike<number>, size: number): number[] {
    if (size > items.length) throw new RangeError("Cannot take a larger sample than population when 'replace=False'");
    return Array.from(this.permutation(items.length).subarray(0, size), (i) => items[i]);
  }
}

/** numpy's legacy seeding takes an int seed in 0 .. 2**32 - 1 and refuses the rest. */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(`--random-seed must be a whole number between 0 and 2**32 - 1 (4294967295), as numpy's RandomState requires, got ${seed}`);
  }
}

/** The smallest 2**k - 1 >= value, for value < 2**32. */
function allOnesAtLeast(value: number): number {
  let mask = value;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}
