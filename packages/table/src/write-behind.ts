import { createHash } from 'node:crypto';
import { MldpError, type WorkerRun, runInWorker } from '@mldp/runtime';
import { type FileWrites, openFileWrites } from './file-writes.js';

/** Bytes of each shared slot, and how many there are: the most written bytes held in memory at once. */
const SLOT_BYTES = 1 << 20;
const SLOTS = 4;
/** control[s] for s < SLOTS: 1 while slot s waits to be written; then the last acknowledged ticket and the error flag. */
const ACKED = SLOTS;
const FAILED = SLOTS + 1;
const CONTROL_CELLS = SLOTS + 2;
/** Shared bytes after the slots: the digest of the last file closed, and an error's text. */
const DIGEST_BYTES = 64;
const ERROR_BYTES = 4096;
/** A wait for the writer thread longer than this means it is gone (it cannot say so while this thread waits). */
const STALLED_MS = 120_000;

export type WriteBehindMessage =
  | { op: 'open'; file: number; path: string; hash: boolean; sync: boolean }
  | { op: 'write'; file: number; slot: number; length: number; position: number }
  | { op: 'close'; file: number; ticket: number; keep: boolean };

/**
 * Files written by a thread of their own, for a step whose thread is busy while a core is idle
 * (segregate writes ~250 MB at 1M rows, scratch and splits: its largest cost). The caller copies
 * each piece into a shared slot and goes on; the writer thread writes the pieces in order, hashes
 * and syncs the files that ask for it. Closing waits for the file's writes, so that it can be read
 * back at once; a failed write is thrown at the next call.
 */
export class WriteBehind {
  private readonly worker: WorkerRun<never>;
  private readonly control: Int32Array;
  private readonly data: Uint8Array;
  private nextSlot = 0;
  private files = 0;
  private tickets = 0;

  /** `task` names the work in messages (`segregate: writing the splits`). */
  constructor(private readonly task: string) {
    const shared = new SharedArrayBuffer(SLOTS * SLOT_BYTES + DIGEST_BYTES + ERROR_BYTES + CONTROL_CELLS * 4);
    this.data = new Uint8Array(shared, 0, SLOTS * SLOT_BYTES + DIGEST_BYTES + ERROR_BYTES);
    this.control = new Int32Array(shared, this.data.length, CONTROL_CELLS);
    this.worker = runInWorker(new URL('./write-behind-worker.js', import.meta.url), { task, data: { shared, slots: SLOTS, slotBytes: SLOT_BYTES, digestBytes: DIGEST_BYTES, errorBytes: ERROR_BYTES } });
  }

  open(path: string, options: { hash: boolean; sync: boolean }): number {
    const file = this.files++;
    this.post({ op: 'open', file, path, ...options });
    return file;
  }

  /** Queues `bytes[start, end)` to be written at `position` of the file. */
  write(file: number, bytes: Uint8Array, start: number, end: number, position: number): void {
    for (let at = start; at < end; ) {
      const length = Math.min(SLOT_BYTES, end - at);
      const slot = this.nextSlot;
      this.nextSlot = (slot + 1) % SLOTS;
      this.waitFor(() => Atomics.load(this.control, slot) === 0, slot);
      this.throwIfFailed();
      this.data.set(bytes.subarray(at, at + length), slot * SLOT_BYTES);
      Atomics.store(this.control, slot, 1);
      this.post({ op: 'write', file, slot, length, position: position + at - start });
      at += length;
    }
  }

  /** Waits for the file's writes (and its sync), closes it; returns its sha256 when it was hashed. `keep: false` skips the sync. */
  close(file: number, keep = true): string {
    const ticket = ++this.tickets;
    this.post({ op: 'close', file, ticket, keep });
    this.waitFor(() => Atomics.load(this.control, ACKED) >= ticket, ACKED);
    this.throwIfFailed();
    return Buffer.from(this.data.subarray(SLOTS * SLOT_BYTES, SLOTS * SLOT_BYTES + DIGEST_BYTES)).toString('latin1').replace(/\0+$/, '');
  }

  /** Ends the thread (its files closed or abandoned first). */
  stop(): void {
    void this.worker.stop();
  }

  /** Waits (blocking this thread) until `done`, woken by the writer's notify on control[cell]. */
  private waitFor(done: () => boolean, cell: number): void {
    const since = Date.now();
    for (;;) {
      const seen = Atomics.load(this.control, cell);
      if (done()) return;
      Atomics.wait(this.control, cell, seen, 1000);
      if (Date.now() - since > STALLED_MS) throw new MldpError('E_WORKER', `${this.task}: the writer thread stopped answering`, { hint: 'the machine may be short of memory, or the disk stalled; run again' });
    }
  }

  private post(message: WriteBehindMessage): void {
    this.worker.post(message);
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.control, FAILED) === 0) return;
    const text = Buffer.from(this.data.subarray(SLOTS * SLOT_BYTES + DIGEST_BYTES)).toString('utf8').replace(/\0+$/, '');
    const { message, code, path } = JSON.parse(text) as { message: string; code?: string; path?: string };
    throw Object.assign(new Error(message), { code, path });
  }
}

/**
 * One output file written front to back, through a writer thread when one is given, else here;
 * hashed (`hash`) and synced (`sync`) as asked. The two ways give the same file and digest.
 */
export class BehindFile {
  private readonly file: number | undefined;
  private readonly here: FileWrites | undefined;
  private readonly hash;

  constructor(
    readonly path: string,
    private readonly behind: WriteBehind | undefined,
    private readonly options: { hash: boolean; sync: boolean },
  ) {
    if (behind) this.file = behind.open(path, options);
    else this.here = openFileWrites(path);
    this.hash = !behind && options.hash ? createHash('sha256') : undefined;
  }

  write(bytes: Uint8Array, start: number, end: number, position: number): void {
    if (this.behind) this.behind.write(this.file!, bytes, start, end, position);
    else {
      this.hash?.update(bytes.subarray(start, end));
      this.here!.write(bytes, start, end, position);
    }
  }

  /** Closes the file once written (and synced); returns its sha256, or '' when not hashed. */
  close(): string {
    if (this.behind) return this.behind.close(this.file!);
    this.here!.close(this.options.sync);
    return this.hash?.digest('hex') ?? '';
  }

  /** Closes without syncing, for a file that will be removed. */
  abandon(): void {
    try {
      if (this.behind) this.behind.close(this.file!, false);
      else this.here!.close(false);
    } catch {
      // The file is being given up after another failure: that one is reported.
    }
  }
}
