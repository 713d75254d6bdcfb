import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@mldp/runtime';
import { fsError } from './errors.js';

/**
 * A folder of temp files and folders named `<pid>-<random>`, so leftovers of killed processes
 * are recognised by their dead owner and swept, while live processes' entries are kept.
 */
export class ScratchArea {
  private swept = false;

  constructor(readonly dir: string) {}

  /** A fresh name in the area (nothing is created). */
  async tempPath(suffix = ''): Promise<string> {
    await this.prepare();
    return join(this.dir, `${process.pid}-${randomBytes(6).toString('hex')}${suffix}`);
  }

  async createDir(): Promise<string> {
    const dir = await this.tempPath();
    await mkdirp(dir);
    return dir;
  }

  /** Entries whose owning process is gone. */
  async stale(): Promise<string[]> {
    const entries = await fs.readdir(this.dir).catch(() => [] as string[]);
    return entries.filter((entry) => !isProcessAlive(Number.parseInt(entry, 10))).map((entry) => join(this.dir, entry));
  }

  /** Removes what dead processes left; returns what it removed. */
  async sweep(): Promise<string[]> {
    const stale = await this.stale();
    await Promise.all(stale.map((path) => fs.rm(path, { recursive: true, force: true })));
    return stale;
  }

  /** Creates the area and, once per process, removes what dead processes left. */
  private async prepare(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await mkdirp(this.dir);
    await this.sweep();
  }
}

export async function mkdirp(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    throw fsError('create the folder', dir, error);
  }
}
