import { type Hash, createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

/** Files are read in pieces of this size (or a single range's size, if larger). */
const READ_BYTES = 1 << 20;

/** Reads a file front to back in large pieces, for callers that ask for ranges in increasing order. */
export class SequentialReader {
  chunk = new Uint8Array(READ_BYTES);
  private readonly fd: number;
  private chunkStart = 0;
  private chunkEnd = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /** Makes bytes [offset, offset + length) of the file available in `chunk`; returns where they start in it. */
  at(offset: number, length: number): number {
    if (offset < this.chunkStart || offset + length > this.chunkEnd) {
      if (this.chunk.length < length) this.chunk = new Uint8Array(length);
      let read = 0;
      while (read < this.chunk.length) {
        const n = readSync(this.fd, this.chunk, read, this.chunk.length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      this.chunkStart = offset;
      this.chunkEnd = offset + read;
      if (offset + length > this.chunkEnd) throw new Error(`${this.path} ended before bytes ${offset}..${offset + length}`);
    }
    return offset - this.chunkStart;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface AppenderOptions {
  /** Appends are gathered in a buffer of this size; 0 writes each one out at once (for large pieces). */
  bufferBytes?: number;
  /**
   * An output, not scratch: hashed as it is written (so the store need not read it again) and
   * synced to disk when closed. Scratch files are neither: they are read back and removed.
   */
  output?: boolean;
}

/** A file written front to back: a scratch file, or one of the step's outputs. */
export class Appender {
  private readonly fd: number;
  private readonly buffer: Uint8Array;
  private readonly hash: Hash | undefined;
  private used = 0;
  private position = 0;

  constructor(readonly path: string, options: AppenderOptions = {}) {
    this.fd = openSync(path, 'w');
    this.buffer = new Uint8Array(options.bufferBytes ?? 1 << 20);
    this.hash = options.output ? createHash('sha256') : undefined;
  }

  /** Bytes appended so far: where the next append starts. */
  get offset(): number {
    return this.position + this.used;
  }

  append(bytes: Uint8Array, start = 0, end = bytes.length): void {
    if (this.used + end - start > this.buffer.length) this.flush();
    if (end - start > this.buffer.length) this.writeOut(bytes.subarray(start, end));
    else {
      this.buffer.set(bytes.subarray(start, end), this.used);
      this.used += end - start;
    }
  }

  /** Closes the file; an output is synced first, and its SHA-256 returned. */
  close(): string {
    try {
      this.flush();
      if (!this.hash) return '';
      fsyncSync(this.fd);
      return this.hash.digest('hex');
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes the file without writing what is left, after a failure. */
  abandon(): void {
    closeSync(this.fd);
  }

  private flush(): void {
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(bytes: Uint8Array): void {
    this.hash?.update(bytes);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
    this.position += bytes.length;
  }
}
