/**
 * Exact duplicate detection that keeps one 53-bit hash and one file offset per distinct row in
 * memory, not the row. A hash hit is confirmed by reading the earlier row back from where it was
 * written, so a hash collision can never drop a distinct row.
 *
 * The table is built for few cache misses, which dominate at a million rows: an open-addressing
 * table of 8-byte slots (a hash's low 32 bits beside the key's number) over arrays of each key's
 * full hash and offset, filled in order. Hand-written because a Map of number keys measured
 * several times slower and twice the memory, and 16-byte slots in two arrays plus a second probe
 * to insert measured slower too (bench/RESULTS.md).
 */
/**
 * The fullest the table gets before it doubles. Linear probing stays short up to here, and a
 * smaller table misses the cache less: 0.75 measured faster than 0.5 at a million rows.
 */
const MAX_LOAD = 0.75;

export class ExactDeduplicator {
  /** Slot s holds a hash's low 32 bits at 2s and its key number + 1 (0: empty) at 2s + 1. */
  private slots: Int32Array;
  private mask: number;
  private hashes: Float64Array;
  private offsets: Float64Array;
  private count = 0;
  /** Where the last probe that found no match ended, for `remember` of the same hash. */
  private missHash = -1;
  private missSlot = -1;
  collisions = 0;

  /**
   * @param readBack reads `length` bytes written earlier at `offset`
   * @param terminators bytes that may follow a remembered key where it was written
   */
  constructor(
    private readonly readBack: (offset: number, length: number) => Buffer,
    private readonly terminators: readonly number[] = [0x2c, 0x0a],
    /** Keys expected, to size the table once (growing it rehashes every key). */
    expectedKeys = 0,
  ) {
    const size = 2 ** Math.max(16, Math.ceil(Math.log2(expectedKeys / MAX_LOAD + 1)));
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    this.hashes = new Float64Array(Math.max(1024, Math.ceil(expectedKeys)));
    this.offsets = new Float64Array(this.hashes.length);
  }

  /** True if an identical key was remembered before. */
  has(key: string, hash = hashText(key)): boolean {
    const bytes = Buffer.from(key);
    return this.hasBytes(bytes, 0, bytes.length, hash);
  }

  /** `has` for a key given as bytes (hashed with hashBytes). */
  hasBytes(bytes: Uint8Array, start: number, end: number, hash: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    // `| 0` and `& mask` take the low 32 bits without a float modulo.
    const low = hash | 0;
    const length = end - start;
    let slot = low & mask;
    for (; slots[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
      if (slots[2 * slot] !== low) continue;
      const key = slots[2 * slot + 1] - 1;
      if (this.hashes[key] !== hash) continue;
      const found = this.readBack(this.offsets[key], length + 1);
      if (found.length === length + 1 && this.terminators.includes(found[length]) && Buffer.compare(found.subarray(0, length), bytes.subarray(start, end)) === 0) return true;
      this.collisions++;
    }
    this.missHash = hash;
    this.missSlot = slot;
    return false;
  }

  /** Remembers a key written at `offset`; `hash` is the one its `has`/`hasBytes` probe was given. */
  remember(_key: string, offset: number, hash = hashText(_key)): void {
    if (this.count + 1 > MAX_LOAD * (this.mask + 1)) {
      this.grow();
      this.missHash = -1;
    }
    if (this.count === this.hashes.length) {
      this.hashes = grown(this.hashes);
      this.offsets = grown(this.offsets);
    }
    // Right after a probe for the same hash found nothing, its empty slot is where this one goes.
    const slot = hash === this.missHash ? this.missSlot : this.emptySlotFor(hash | 0);
    this.slots[2 * slot] = hash | 0;
    this.slots[2 * slot + 1] = this.count + 1;
    this.hashes[this.count] = hash;
    this.offsets[this.count] = offset;
    this.missHash = -1;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Reads the slot each of these hashes probes first, and nothing else: loads that do not wait
   * for one another, so the memory system fetches many at once, where each probe alone waits
   * for its own (the table is far larger than the cache). Called just before probing them.
   */
  touch(hashes: Float64Array, count: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let seen = 0;
    for (let i = 0; i < count; i++) seen ^= slots[2 * ((hashes[i] | 0) & mask) + 1];
    return seen;
  }

  private emptySlotFor(low: number): number {
    const slots = this.slots;
    let slot = low & this.mask;
    while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      const slot = this.emptySlotFor(old[i]);
      this.slots[2 * slot] = old[i];
      this.slots[2 * slot + 1] = old[i + 1];
    }
  }
}

function grown(values: Float64Array): Float64Array {
  const bigger = new Float64Array(values.length * 2);
  bigger.set(values);
  return bigger;
}

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain, by bryc). */
export function hashText(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return cyrb53Finish(h1, h2);
}

/** cyrb53's final mixing of its two lanes into a 53-bit integer. */
export function cyrb53Finish(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
