import { closeSync, openSync, readSync, writeSync } from 'node:fs';

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

/** A scratch file written front to back through a buffer (not synced: it is read back and removed). */
export class Appender {
  private readonly fd: number;
  private readonly buffer: Uint8Array;
  private used = 0;
  private position = 0;

  constructor(readonly path: string, bufferBytes = 1 << 20) {
    this.fd = openSync(path, 'w');
    this.buffer = new Uint8Array(bufferBytes);
  }

  /** Bytes appended so far: where the next append starts. */
  get offset(): number {
    return this.position + this.used;
  }

  append(bytes: Uint8Array, start: number, end: number): void {
    if (this.used + end - start > this.buffer.length) this.flush();
    if (end - start > this.buffer.length) this.writeOut(bytes.subarray(start, end));
    else {
      this.buffer.set(bytes.subarray(start, end), this.used);
      this.used += end - start;
    }
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
    this.position += bytes.length;
  }
}
