/**
 * Exact duplicate detection that keeps one 53-bit hash per distinct row in memory, not the row.
 * A hash hit is confirmed by reading the earlier row back from where it was written, so a
 * hash collision can never drop a distinct row.
 */
export class ExactDeduplicator {
  private readonly seen = new Map<number, number | number[]>();
  collisions = 0;

  /**
   * @param readBack reads `length` bytes written earlier at `offset`
   * @param terminators bytes that may follow a remembered key where it was written
   */
  constructor(
    private readonly readBack: (offset: number, length: number) => Buffer,
    private readonly terminators: readonly number[] = [0x2c, 0x0a],
  ) {}

  /** True if an identical key was remembered before. */
  has(key: string, hash = hashText(key)): boolean {
    const entry = this.seen.get(hash);
    if (entry === undefined) return false;
    const bytes = Buffer.from(key);
    for (const offset of typeof entry === 'number' ? [entry] : entry) {
      const stored = this.readBack(offset, bytes.length + 1);
      if (stored.length === bytes.length + 1 && this.terminators.includes(stored[bytes.length]) && stored.subarray(0, bytes.length).equals(bytes)) {
        return true;
      }
    }
    this.collisions++;
    return false;
  }

  /** Remembers a key written at `offset`. */
  remember(key: string, offset: number, hash = hashText(key)): void {
    const entry = this.seen.get(hash);
    if (entry === undefined) this.seen.set(hash, offset);
    else if (typeof entry === 'number') this.seen.set(hash, [entry, offset]);
    else entry.push(offset);
  }

  get size(): number {
    return this.seen.size;
  }
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
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
