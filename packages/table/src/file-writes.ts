import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Positioned writes to one file, and its close (synced to disk first, when asked). */
export interface FileWrites {
  write(bytes: Uint8Array, start: number, end: number, position: number): void;
  close(sync: boolean): void;
}

/** Opens `path` for writing (truncated); errors name the file, as write(2) does not. */
export function openFileWrites(path: string): FileWrites {
  const fd = named(path, () => openSync(path, 'w'));
  let closed = false;
  return {
    write(bytes, start, end, position) {
      named(path, () => {
        for (let done = start; done < end; ) done += writeSync(fd, bytes, done, end - done, position + done - start);
      });
    },
    close(sync) {
      if (closed) return;
      closed = true;
      try {
        if (sync) named(path, () => fsyncSync(fd));
      } finally {
        closeSync(fd);
      }
    },
  };
}

function named<T>(path: string, act: () => T): T {
  try {
    return act();
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (failure && typeof failure === 'object' && failure.code && !failure.path) failure.path = path;
    throw error;
  }
}
