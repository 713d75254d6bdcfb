import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/**
 * Remembers that a blob file was hashed and found intact, with the file's size, inode and change
 * time, the way git's index remembers stat data. A later use whose stat data still match skips
 * re-hashing: any write, chmod or replacement of the file changes its ctime (which users cannot
 * set back). Re-hashing a large input took seconds of every step that used it; `store verify`
 * still re-hashes everything.
 */
export class VerifiedStamps {
  constructor(readonly dir: string) {}

  async isIntact(sha256: string, path: string): Promise<boolean> {
    const [stamp, stat] = await Promise.all([fs.readFile(this.stampPath(sha256), 'utf8').catch(() => ''), fs.stat(path).catch(() => undefined)]);
    return stat !== undefined && stamp === stampOf(stat);
  }

  /** Best effort: a store that cannot be written (read-only) simply re-hashes next time. */
  async record(sha256: string, path: string): Promise<void> {
    try {
      const stat = await fs.stat(path);
      await fs.mkdir(this.dir, { recursive: true });
      const temp = `${this.stampPath(sha256)}.${process.pid}`;
      await fs.writeFile(temp, stampOf(stat));
      await fs.rename(temp, this.stampPath(sha256));
    } catch {
      // nothing: the stamp is only a shortcut
    }
  }

  private stampPath(sha256: string): string {
    return join(this.dir, sha256);
  }
}

function stampOf(stat: { size: number; ino: number; ctimeMs: number; mtimeMs: number; dev: number }): string {
  return `${stat.size} ${stat.dev} ${stat.ino} ${stat.ctimeMs} ${stat.mtimeMs}`;
}
