/**
 * Small ids, in order of first appearance, for the distinct values of a class column, found from
 * the cells' bytes: making a string and a Map lookup per cell was a noticeable cost in
 * segregate and check_data. Here a cell costs a hash of its few bytes and a probe of an
 * open-addressing table whose entries keep their hash and point into one arena of label bytes
 * (a Map of hashes, which this replaced, took ~100 ns a cell; this takes ~25).
 */
export class ByteLabels {
  readonly labels: string[] = [];
  /** How often each label was tallied. */
  readonly counts: number[] = [];
  /** Slot -> id + 1 (0: empty). */
  private slots = new Int32Array(64);
  private hashes = new Int32Array(32);
  /** Label id's bytes are arena[starts[id], starts[id + 1]). */
  private starts = new Int32Array(33);
  private arena = new Uint8Array(1024);

  /** Counts one more of the label in `bytes[start, end)`. */
  tally(bytes: Uint8Array, start: number, end: number): void {
    this.counts[this.idOf(bytes, start, end)]++;
  }

  idOf(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashOf(bytes, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    for (let entry = slots[slot]; entry !== 0; entry = slots[slot]) {
      const id = entry - 1;
      if (this.hashes[id] === hash && this.sameBytes(id, bytes, start, length)) return id;
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, start, end, hash, slot);
  }

  private sameBytes(id: number, bytes: Uint8Array, start: number, length: number): boolean {
    const from = this.starts[id];
    if (this.starts[id + 1] - from !== length) return false;
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const id = this.labels.length;
    if (id + 1 >= this.hashes.length) {
      this.hashes = grown(this.hashes, this.hashes.length * 2);
      this.starts = grown(this.starts, this.hashes.length + 1);
    }
    const from = this.starts[id];
    if (from + end - start > this.arena.length) this.arena = grown(this.arena, Math.max(this.arena.length * 2, from + end - start));
    this.arena.set(bytes.subarray(start, end), from);
    this.starts[id + 1] = from + end - start;
    this.hashes[id] = hash;
    this.labels.push(Buffer.from(this.arena.buffer, this.arena.byteOffset + from, end - start).toString('utf8'));
    this.counts.push(0);
    this.slots[slot] = id + 1;
    if ((id + 1) * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.labels.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over the bytes, its low bits mixed with its high ones (labels are short: a few bytes). */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12);
}

function grown<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
