import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function sha256Stream(stream: Readable): Promise<BlobInfo> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export function sha256File(path: string): Promise<BlobInfo> {
  return sha256Stream(createReadStream(path, { highWaterMark: 1 << 20 }));
}

export interface BlobInfo {
  sha256: string;
  size: number;
}

/** The digest of an artifact version: a sha256 over its files' names, sizes and hashes, in name order. */
export function artifactDigest(files: ReadonlyArray<{ path: string; size: number; sha256: string }>): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) => `${file.path}\t${file.size}\t${file.sha256}\n`);
  return sha256Text(lines.join(''));
}
