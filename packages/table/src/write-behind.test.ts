import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { BehindFile, WriteBehind } from './write-behind.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** Deterministic bytes, more than one of the writer's slots (1 MB) at a time. */
function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('WriteBehind', () => {
  for (const threaded of [true, false]) {
    it(`writes interleaved files in pieces of any size, hashed and synced as asked (${threaded ? 'writer thread' : 'in the caller'})`, () => {
      const behind = threaded ? new WriteBehind('test: writing') : undefined;
      try {
        const contents = [bytesOf(3_500_000, 1), bytesOf(700_001, 2)];
        const paths = contents.map((_, f) => join(dir.path, `${threaded}-${f}.bin`));
        const files = [new BehindFile(paths[0], behind, { hash: true, sync: true }), new BehindFile(paths[1], behind, { hash: false, sync: false })];
        const positions = [0, 0];
        // Pieces of 1 byte to 2.5 MB, alternating between the files; the source buffer is reused at once.
        const sizes = [1, 2_500_000, 333, 1 << 20, 65_536];
        for (let step = 0; positions.some((p, f) => p < contents[f].length); step++) {
          const f = step % 2;
          const length = Math.min(sizes[step % sizes.length], contents[f].length - positions[f]);
          if (length === 0) continue;
          const scratch = contents[f].slice(positions[f], positions[f] + length);
          files[f].write(scratch, 0, length, positions[f]);
          scratch.fill(0);
          positions[f] += length;
        }
        expect(files[0].close()).toBe(sha256(contents[0]));
        expect(files[1].close()).toBe('');
        expect(sha256(readFileSync(paths[0]))).toBe(sha256(contents[0]));
        expect(sha256(readFileSync(paths[1]))).toBe(sha256(contents[1]));
      } finally {
        behind?.stop();
      }
    });

    it(`reports a failed write with the file's path and code (${threaded ? 'writer thread' : 'in the caller'})`, () => {
      const behind = threaded ? new WriteBehind('test: writing') : undefined;
      try {
        const path = join(dir.path, 'no-such-folder', 'out.bin');
        const fail = () => {
          const file = new BehindFile(path, behind, { hash: true, sync: true });
          file.write(bytesOf(10, 3), 0, 10, 0);
          file.close();
        };
        expect(fail).toThrow(expect.objectContaining({ code: 'ENOENT', path }));
      } finally {
        behind?.stop();
      }
    });
  }
});
