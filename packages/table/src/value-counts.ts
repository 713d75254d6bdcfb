
/** Distinct values ascending (Float64Array order: -0 before 0, NaN last) with how often each occurs. */
export interface CountedValues {
  count: number;
  distinct: Float64Array;
  counts: Float64Array;
}

const BLOCK = 8192;
/** Slots past which a table is read ahead of counting (see countBlock): 512k slots take 6 MB, past the second-level caches here. */
const LOOKAHEAD_FROM = 1 << 19;
const NO_BLOCK = new Float64Array(0);

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** A 32-bit hash of a double's bits (the one countBlock inlines). */
function hashOf(value: number): number {
  bits[0] = value;
  let h = words[0] ^ Math.imul(words[1], 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * A column's numbers counted by value. Measurements mostly repeat a limited set of values (a few
 * decimals), so a hash table of value -> count holds them in far less memory than the values.
 * They are counted a block of 8192 at a time, so that one column's table stays in the cache
 * while it is used: counting each value as it came, across 13 tables, missed the cache on nearly
 * every value.
 *
 * With a `limit`, counting stops once the column has more distinct values than that: the table
 * is handed to `onOverflow` (which may read it with forEach), then dropped, and `overflowed` is
 * set; later values are only counted in `count`.
 */
export class ValueCounter {
  /** Allocated at the first value, and the table grows from 16 slots: a wide table's unused counters cost next to nothing. */
  private block = NO_BLOCK;
  private used = 0;
  private keys = new Float64Array(16);
  private counts = new Uint32Array(16);
  private distinctInTable = 0;
  /** -0 and NaN are kept apart: `===` cannot tell -0 from 0, nor find NaN. */
  private negativeZeros = 0;
  private nans = 0;
  overflowed = false;
  private touched = 0;
  /** Values counted (or pushed, once overflowed). */
  count = 0;

  /** `blockSize`: smaller for many counters at once (a wide table), to bound their blocks' memory. */
  constructor(
    private readonly limit = Infinity,
    private readonly onOverflow?: (counted: ValueCounter) => void,
    private readonly blockSize = BLOCK,
  ) {}

  push(value: number): void {
    if (this.block === NO_BLOCK) this.block = new Float64Array(this.blockSize);
    this.block[this.used++] = value;
    this.count++;
    // Counted as soon as the block is full, so that an overflow hands over every value pushed.
    if (this.used === this.block.length) this.drain();
  }

  // The hot loop of counting: locals only, and the hash inlined (a method call per value measured slower).
  private countBlock(values: Float64Array, length: number): void {
    if (this.overflowed) return;
    let keys = this.keys;
    let counts = this.counts;
    let mask = keys.length - 1;
    // A table past the cache: each value's first slot is read ahead, all at once (loads that do
    // not wait for one another), so that the counting loop finds them in the cache.
    if (keys.length > LOOKAHEAD_FROM) {
      let seen = 0;
      for (let i = 0; i < length; i++) {
        bits[0] = values[i];
        let h = words[0] ^ Math.imul(words[1], 0x9e3779b1);
        h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
        seen ^= counts[(h ^ (h >>> 13)) & mask];
      }
      this.touched ^= seen;
    }
    for (let i = 0; i < length; i++) {
      const value = values[i];
      if (value !== value) {
        this.nans++;
        continue;
      }
      if (value === 0 && 1 / value < 0) {
        this.negativeZeros++;
        continue;
      }
      bits[0] = value;
      let h = words[0] ^ Math.imul(words[1], 0x9e3779b1);
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
      let slot = (h ^ (h >>> 13)) & mask;
      for (;;) {
        const count = counts[slot];
        if (count === 0) {
          keys[slot] = value;
          counts[slot] = 1;
          if (++this.distinctInTable * 2 > keys.length) {
            this.grow();
            keys = this.keys;
            counts = this.counts;
            mask = keys.length - 1;
          }
          break;
        }
        if (keys[slot] === value) {
          counts[slot] = count + 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    if (this.distinct > this.limit) this.overflow();
  }

  /** `times` more of `value`. */
  add(value: number, times: number): void {
    if (times === 0) return;
    this.drain();
    this.count += times;
    if (this.overflowed) return;
    if (value !== value) this.nans += times;
    else if (value === 0 && 1 / value < 0) this.negativeZeros += times;
    else {
      const slot = this.slotOf(value);
      if (this.counts[slot] === 0) {
        this.keys[slot] = value;
        this.counts[slot] = times;
        if (++this.distinctInTable * 2 > this.keys.length) this.grow();
      } else this.counts[slot] += times;
    }
    if (this.distinct > this.limit) this.overflow();
  }

  /** Stops counting and frees the table (the caller will go without the counts). */
  abandon(): void {
    this.overflowed = true;
    this.keys = new Float64Array(0);
    this.counts = new Uint32Array(0);
    this.distinctInTable = 0;
  }

  /** Distinct values counted so far, in the table and held apart. */
  get distinct(): number {
    return this.distinctInTable + (this.negativeZeros ? 1 : 0) + (this.nans ? 1 : 0);
  }

  /** Calls `visit` once per distinct value, in no particular order. */
  forEach(visit: (value: number, times: number) => void): void {
    this.drain();
    for (let slot = 0; slot < this.keys.length; slot++) if (this.counts[slot] !== 0) visit(this.keys[slot], this.counts[slot]);
    if (this.negativeZeros) visit(-0, this.negativeZeros);
    if (this.nans) visit(Number.NaN, this.nans);
  }

  /** The counts, sorted by value; undefined once overflowed. */
  finish(): CountedValues | undefined {
    this.drain();
    if (this.overflowed) return undefined;
    const distinct = new Float64Array(this.distinct);
    let at = 0;
    for (let slot = 0; slot < this.keys.length; slot++) if (this.counts[slot] !== 0) distinct[at++] = this.keys[slot];
    if (this.negativeZeros) distinct[at++] = -0;
    if (this.nans) distinct[at++] = Number.NaN;
    distinct.sort();
    const counts = new Float64Array(distinct.length);
    for (let i = 0; i < distinct.length; i++) {
      const value = distinct[i];
      counts[i] = value !== value ? this.nans : Object.is(value, -0) ? this.negativeZeros : this.counts[this.slotOf(value)];
    }
    return { count: this.count, distinct, counts };
  }

  private drain(): void {
    const used = this.used;
    this.used = 0;
    if (used) this.countBlock(this.block, used);
  }

  private overflow(): void {
    this.onOverflow?.(this);
    this.abandon();
  }

  /** The slot holding `value`, or the empty one where it goes (count 0: its key is not a value). */
  private slotOf(value: number): number {
    const keys = this.keys;
    const counts = this.counts;
    const mask = keys.length - 1;
    let slot = hashOf(value) & mask;
    while (counts[slot] !== 0 && keys[slot] !== value) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const [keys, counts] = [this.keys, this.counts];
    this.keys = new Float64Array(keys.length * 2);
    this.counts = new Uint32Array(keys.length * 2);
    for (let old = 0; old < keys.length; old++) {
      if (counts[old] === 0) continue;
      const slot = this.slotOf(keys[old]);
      this.keys[slot] = keys[old];
      this.counts[slot] = counts[old];
    }
  }
}

/** `all` with `taken` (a part of the same values, such as dropped duplicates) taken out. */
export function subtractCounts(all: CountedValues, taken: CountedValues): CountedValues {
  const counts = all.counts.slice();
  for (let i = 0; i < taken.distinct.length; i++) {
    const at = indexOfValue(all.distinct, taken.distinct[i]);
    if (at < 0 || counts[at] < taken.counts[i]) throw new Error(`cannot take ${taken.counts[i]} of ${taken.distinct[i]} out of counts that lack them`);
    counts[at] -= taken.counts[i];
  }
  let kept = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) kept++;
  const distinct = new Float64Array(kept);
  const keptCounts = new Float64Array(kept);
  for (let i = 0, k = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    distinct[k] = all.distinct[i];
    keptCounts[k++] = counts[i];
  }
  return { count: all.count - taken.count, distinct, counts: keptCounts };
}

/** Where `value` is in sorted `distinct` (-0 and 0 told apart, NaN last), or -1. */
function indexOfValue(distinct: Float64Array, value: number): number {
  if (value !== value) return distinct.length && distinct[distinct.length - 1] !== distinct[distinct.length - 1] ? distinct.length - 1 : -1;
  let low = 0;
  let high = distinct.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (distinct[mid] < value) low = mid + 1;
    else high = mid;
  }
  // -0 and 0 compare equal: at most two candidates.
  for (let at = low; at < distinct.length && distinct[at] === value; at++) if (Object.is(distinct[at], value)) return at;
  return -1;
}
