import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/**
 * An output file written front to back from large buffers, hashed as it goes, so the store
 * need not read it again. (ByteLineWriter would copy every window into its own buffer first.)
 */
export class SplitFileWriter {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private position = 0;
  private digest = '';

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const piece = bytes.subarray(start, end);
    this.hash.update(piece);
    for (let done = 0; done < piece.length; ) done += writeSync(this.fd, piece, done, piece.length - done, this.position + done);
    this.position += piece.length;
  }

  /** Synced to disk before the store takes it. */
  close(): string {
    try {
      fsyncSync(this.fd);
      this.digest = this.hash.digest('hex');
    } finally {
      closeSync(this.fd);
    }
    return this.digest;
  }

  abandon(): void {
    closeSync(this.fd);
  }
}
