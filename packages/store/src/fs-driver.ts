import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { MldpError } from '@mldp/runtime';
import type { BlobInfo, IngestOptions, StoreDriver, StoredDoc } from './driver.js';
import { ChecksumMismatchError, StoreError, fsError } from './errors.js';
import { LOCKS_PREFIX, STORE_MARKER, artifactsPrefix, lockKey } from './keys.js';
import { storeMarkerText } from './store-format.js';
import { sha256Text } from './hashing.js';
import { type LockSlot, withLock } from './locks.js';
import { ScratchArea, mkdirp } from './scratch.js';
import { VerifiedStamps } from './verified-stamps.js';


/**
 * The local file-system driver. Documents are files written to a temp name and renamed (or
 * hard-linked, for create-only) into place; blobs live under `blobs/sha256/ab/<sha>`, read-only.
 * Temp files and folders are named after their owner's pid, so leftovers of killed processes
 * are recognised and swept.
 */
export class FsDriver implements StoreDriver {
  readonly location: string;
  readonly verifiedStamps: VerifiedStamps;
  private readonly scratch: ScratchArea;

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  constructor(
    readonly root: string,
    private readonly options: { readOnly?: boolean } = {},
  ) {
    this.root = resolve(root);
    this.location = this.root;
    this.scratch = new ScratchArea(join(this.root, 'tmp'));
    this.verifiedStamps = new VerifiedStamps(join(this.root, 'verified'));
  }

  async isInitialized(): Promise<boolean> {
    return fileExists(join(this.root, STORE_MARKER));
  }

  async init(): Promise<void> {
    this.assertWritable('initialise the store');
    await this.mkdir(join(this.root, 'tmp'));
    await this.createDoc(STORE_MARKER, storeMarkerText());
  }

  async readDoc(key: string): Promise<StoredDoc | undefined> {
    const path = this.docPath(key);
    try {
      const text = await fs.readFile(path, 'utf8');
      return { text, etag: sha256Text(text) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fsError('read', path, error);
    }
  }

  async createDoc(key: string, text: string): Promise<boolean> {
    return this.createComplete(this.docPath(key), text, 'write');
  }

  /**
   * Creates a file with its whole text, or returns false if it exists: written to a temp file,
   * then hard-linked into place (link() fails if the target exists), so that no reader ever
   * sees it half-written.
   */
  private async createComplete(path: string, text: string, doing: 'write' | 'lock'): Promise<boolean> {
    const temp = await this.writeTemp(text, path);
    try {
      await this.mkdir(dirname(path));
      await fs.link(temp, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fsError(doing, path, error);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  async swapDoc(key: string, text: string, expectedEtag: string | undefined): Promise<boolean> {
    const path = this.docPath(key);
    return this.withDocLock(path, async () => {
      const current = await this.readDoc(key);
      if (current?.etag !== expectedEtag) return false;
      await this.putDoc(key, text);
      return true;
    });
  }

  async putDoc(key: string, text: string): Promise<void> {
    const path = this.docPath(key);
    const temp = await this.writeTemp(text, path);
    try {
      await this.mkdir(dirname(path));
      await fs.rename(temp, path);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw fsError('write', path, error);
    }
  }

  async deleteDoc(key: string): Promise<void> {
    this.assertWritable(`delete ${key}`);
    await fs.rm(this.docPath(key), { force: true });
  }

  async listDocs(prefix: string): Promise<string[]> {
    const base = this.docPath(prefix);
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw fsError('list', dir, error);
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (!entry.name.endsWith('.lock')) keys.push(relative(this.root, path).split(sep).join('/'));
      }
    };
    await walk(base);
    return keys.sort();
  }

  /** The stored blob still has its content: stamped intact and unchanged since, else hashed again. */
  private async isIntact(sha256: string, path: string): Promise<boolean> {
    if (await this.verifiedStamps.isIntact(sha256, path)) return true;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256;
  }

  async ingestBlob(localPath: string, options: IngestOptions = {}): Promise<BlobInfo> {
    this.assertWritable('store a file');
    const temp = await this.scratch.tempPath('.blob');
    const hash = createHash('sha256');
    let size = 0;
    try {
      let producerHash: string | undefined;
      if (options.move && options.sha256 && !options.expectedSha256 && (await sameDevice(localPath, join(this.root, 'tmp')))) {
        // The producer hashed what it wrote: a rename, no read at all.
        producerHash = options.sha256.toLowerCase();
        size = (await fs.stat(localPath)).size;
        await fs.rename(localPath, temp);
      } else if (options.move && (await sameDevice(localPath, join(this.root, 'tmp')))) {
        // One read to hash, then a rename: no second copy of a large output.
        for await (const chunk of createReadStream(localPath, { highWaterMark: 1 << 20 })) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        await fs.rename(localPath, temp);
      } else {
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        await pipeline(createReadStream(localPath, { highWaterMark: 1 << 20 }), counter, createWriteStream(temp));
      }
      const sha256 = producerHash ?? hash.digest('hex');
      if (options.expectedSha256 && options.expectedSha256.toLowerCase() !== sha256) {
        throw new ChecksumMismatchError(localPath, options.expectedSha256.toLowerCase(), sha256);
      }
      const target = this.blobPath(sha256);
      if ((await fileExists(target)) && (await this.isIntact(sha256, target))) {
        await fs.rm(temp, { force: true });
      } else {
        // New content, or a stored copy that no longer matches its name: this one takes its place
        // (so logging the same content again repairs what `store verify` found corrupt).
        await this.mkdir(dirname(target));
        await fs.chmod(temp, 0o444);
        await fs.rename(temp, target);
        // Just hashed on the way in (here or by its producer): its first use need not hash it again.
        if (!this.readOnly) await this.verifiedStamps.record(sha256, target);
      }
      return { sha256, size };
    } catch (error) {
      await fs.rm(temp, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await fileExists(localPath))) {
        throw fsError('read', localPath, error);
      }
      if (error instanceof MldpError) throw error;
      // A full store disk is about the store, not the file being stored.
      const full = ['ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException).code ?? '');
      throw full ? fsError(`store ${localPath} in`, this.root, error) : fsError('store a blob from', localPath, error);
    }
  }

  async statBlob(sha256: string): Promise<{ size: number } | undefined> {
    try {
      const stat = await fs.stat(this.blobPath(sha256));
      return { size: stat.size };
    } catch {
      return undefined;
    }
  }

  async openBlob(sha256: string): Promise<Readable> {
    const path = this.blobPath(sha256);
    await fs.access(path).catch((error) => {
      throw fsError('read', path, error);
    });
    return createReadStream(path, { highWaterMark: 1 << 20 });
  }

  localBlobPath(sha256: string): string {
    return this.blobPath(sha256);
  }

  async createWorkDir(): Promise<string> {
    this.assertWritable('create a work folder');
    return this.scratch.createDir();
  }

  localOutputDir(name: string): string {
    return join(this.root, name);
  }

  async releaseWorkDir(dir: string): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
  }

  /** Temp entries left by processes that are gone: reported by verify. */
  async staleTemps(): Promise<string[]> {
    return this.scratch.stale();
  }

  async sweepStaleTemps(): Promise<string[]> {
    this.assertWritable('remove temp files');
    return this.scratch.sweep();
  }

  private blobPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new StoreError(`invalid blob id "${sha256}"`);
    return join(this.root, 'blobs', 'sha256', sha256.slice(0, 2), sha256);
  }

  /** Maps a key to a path inside the root, refusing anything that would land outside it. */
  private docPath(key: string): string {
    const path = resolve(this.root, key);
    if (key.includes('\0') || (path !== this.root && !path.startsWith(this.root + sep))) {
      throw new StoreError(`refusing key "${key.replace(/\0/g, '\\0')}": it points outside the store`);
    }
    return path;
  }

  /** The text in a fresh temp file, to be renamed or linked to `target` (named in errors). */
  private async writeTemp(text: string, target: string): Promise<string> {
    this.assertWritable('write to the store');
    const temp = await this.scratch.tempPath('.doc');
    try {
      await fs.writeFile(temp, text);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw fsError('write', target, error);
    }
    return temp;
  }

  private mkdir(dir: string): Promise<void> {
    return mkdirp(dir);
  }

  private assertWritable(action: string): void {
    if (this.options.readOnly) {
      throw new StoreError(`cannot ${action}: the store at ${this.root} is read-only`, {
        hint: 'unset MLDP_STORE_READONLY or point MLDP_STORE at a writable store',
      });
    }
  }

  withLock<T>(name: string, purpose: string, action: () => Promise<T>): Promise<T> {
    this.assertWritable(`lock ${name}`);
    return withLock(this.lockSlot(this.docPath(lockKey(name))), name, purpose, action);
  }

  async locks(): Promise<Array<{ name: string; slot: LockSlot }>> {
    const found: Array<{ name: string; slot: LockSlot }> = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.endsWith('.lock')) found.push({ name: relative(this.root, path).split(sep).join('/'), slot: this.lockSlot(path) });
      }
    };
    // The store's locks, and each document's own compare-and-swap lock beside it.
    await walk(join(this.root, LOCKS_PREFIX));
    await walk(join(this.root, artifactsPrefix()));
    return found;
  }

  /** A document's own lock (for compare-and-swap), beside it. */
  private withDocLock<T>(path: string, action: () => Promise<T>): Promise<T> {
    this.assertWritable(`lock ${path}`);
    return withLock(this.lockSlot(`${path}.lock`), relative(this.root, path), 'compare-and-swap', action);
  }

  /** A lock file, created complete (createComplete), so a lock's text is never half-written. */
  private lockSlot(path: string): LockSlot {
    const create = (text: string): Promise<boolean> => this.createComplete(path, text, 'lock');
    const removeIf = async (token: string): Promise<boolean> => {
      // Move it aside first, so that the check and the removal concern one file: if another
      // writer replaced the lock meanwhile, theirs is put back.
      const aside = await this.scratch.tempPath('.stale-lock');
      try {
        await fs.rename(path, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw fsError('remove the lock', path, error);
      }
      const moved = await fs.stat(aside).catch(() => undefined);
      const same = moved !== undefined && lockToken(moved) === token;
      if (!same) await fs.link(aside, path).catch(() => undefined);
      await fs.rm(aside, { force: true });
      return same;
    };
    return {
      create,
      removeIf,
      async read() {
        try {
          const [stat, text] = await Promise.all([fs.stat(path), fs.readFile(path, 'utf8')]);
          return { text, token: lockToken(stat), ageMs: Date.now() - stat.mtimeMs };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw fsError('read the lock', path, error);
        }
      },
      async replace(token, text) {
        return (await removeIf(token)) && create(text);
      },
      async remove() {
        await fs.rm(path, { force: true });
      },
    };
  }
}

function lockToken(stat: { ino: number; mtimeMs: number; size: number }): string {
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

async function sameDevice(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.dev === sb.dev;
  } catch {
    return false;
  }
}
