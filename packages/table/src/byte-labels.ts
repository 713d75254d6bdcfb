import { hashBytes } from './cell-bytes.js';

/**
 * Small ids, in order of first appearance, for the distinct values of a class column, found from
 * the cells' bytes: making a string and a Map lookup per cell cost ~0.2 s per 1M rows in
 * segregate and check_data; a hash of a few bytes and a byte comparison cost a fraction of that.
 */
export class ByteLabels {
  readonly labels: string[] = [];
  /** How often each label was tallied. */
  readonly counts: number[] = [];
  private readonly encoded: Buffer[] = [];
  /** The newest id of each hash; `older` chains the ids that share it. */
  private readonly newest = new Map<number, number>();
  private readonly older: number[] = [];

  /** Counts one more of the label in `bytes[start, end)`. */
  tally(bytes: Uint8Array, start: number, end: number): void {
    this.counts[this.idOf(bytes, start, end)]++;
  }

  idOf(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    for (let id = this.newest.get(hash) ?? -1; id >= 0; id = this.older[id]) {
      if (sameBytes(this.encoded[id], bytes, start, end)) return id;
    }
    const id = this.labels.length;
    const copy = Buffer.from(bytes.subarray(start, end));
    this.encoded.push(copy);
    this.labels.push(copy.toString('utf8'));
    this.counts.push(0);
    this.older.push(this.newest.get(hash) ?? -1);
    this.newest.set(hash, id);
    return id;
  }
}

function sameBytes(label: Buffer, bytes: Uint8Array, start: number, end: number): boolean {
  if (label.length !== end - start) return false;
  for (let i = 0; i < label.length; i++) if (label[i] !== bytes[start + i]) return false;
  return true;
}
