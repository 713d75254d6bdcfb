import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '@mldp/runtime';
import { fsError } from './errors.js';
import { ScratchArea, mkdirp } from './scratch.js';

const DEFAULT_MAX_BYTES = 10 * 1024 ** 3; // 10 GB
/** Blobs used this recently are never pruned, so a step that was just handed a path can open it. */
const IN_USE_MS = 60_000;

export interface ReadCacheOptions {
  /** Default: $MLDP_CACHE_DIR, else $XDG_CACHE_HOME/mldp, else ~/.cache/mldp. */
  dir?: string;
  /** Default: $MLDP_CACHE_MAX_SIZE (e.g. "2GB"), else 10 GB. */
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
}

export interface PruneResult {
  removed: number;
  freedBytes: number;
  keptBytes: number;
  keptFiles: number;
}

/**
 * The local, content-addressed copy of remote blobs: `blobs/sha256/ab/<sha>`, shared by every
 * remote store (a sha256 names the same bytes everywhere). Its size is bounded: when a fetch
 * takes it over the bound, the least recently used blobs go first (use touches a file's mtime).
 */
export class ReadCache {
  readonly dir: string;
  readonly maxBytes: number;
  readonly scratch: ScratchArea;

  constructor(options: ReadCacheOptions = {}) {
    const env = options.env ?? process.env;
    this.dir = options.dir ?? defaultCacheDir(env);
    this.maxBytes = options.maxBytes ?? parseCacheSize(env.MLDP_CACHE_MAX_SIZE, 'MLDP_CACHE_MAX_SIZE') ?? DEFAULT_MAX_BYTES;
    this.scratch = new ScratchArea(join(this.dir, 'tmp'));
  }

  pathOf(sha256: string): string {
    return join(this.dir, 'blobs', 'sha256', sha256.slice(0, 2), sha256);
  }

  /** The cached blob's path, marked as just used; undefined when it is not cached. */
  async lookup(sha256: string): Promise<string | undefined> {
    const path = this.pathOf(sha256);
    const now = new Date();
    try {
      await fs.utimes(path, now, now);
      return path;
    } catch {
      return undefined;
    }
  }

  /**
   * Adds a verified file (moved in from the cache's scratch area), then prunes to the bound.
   * Concurrent adds of one blob are harmless: both renames put the same bytes in place.
   */
  async add(sha256: string, verifiedFile: string): Promise<string> {
    const path = this.pathOf(sha256);
    await mkdirp(dirname(path));
    try {
      await fs.chmod(verifiedFile, 0o444);
      await fs.rename(verifiedFile, path);
    } catch (error) {
      await fs.rm(verifiedFile, { force: true });
      throw fsError('add to the read cache', path, error);
    }
    await this.prune(this.maxBytes, sha256);
    return path;
  }

  /** Removes least recently used blobs until at most `maxBytes` remain. */
  async prune(maxBytes = this.maxBytes, keep?: string, inUseMs = IN_USE_MS): Promise<PruneResult> {
    const blobs = await this.entries();
    let total = blobs.reduce((sum, blob) => sum + blob.size, 0);
    const result: PruneResult = { removed: 0, freedBytes: 0, keptBytes: total, keptFiles: blobs.length };
    const now = Date.now();
    for (const blob of blobs.sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= maxBytes) break;
      if (blob.sha256 === keep || now - blob.usedAt < inUseMs) continue;
      await fs.rm(blob.path, { force: true });
      await fs.rm(join(this.dir, 'verified', blob.sha256), { force: true });
      total -= blob.size;
      result.removed++;
      result.freedBytes += blob.size;
    }
    result.keptBytes = total;
    result.keptFiles = blobs.length - result.removed;
    return result;
  }

  async entries(): Promise<Array<{ sha256: string; path: string; size: number; usedAt: number }>> {
    const root = join(this.dir, 'blobs', 'sha256');
    const found = [];
    for (const shard of await fs.readdir(root).catch(() => [] as string[])) {
      for (const name of await fs.readdir(join(root, shard)).catch(() => [] as string[])) {
        const path = join(root, shard, name);
        const stat = await fs.stat(path).catch(() => undefined);
        if (stat?.isFile()) found.push({ sha256: name, path, size: stat.size, usedAt: stat.mtimeMs });
      }
    }
    return found;
  }
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLDP_CACHE_DIR) return env.MLDP_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mldp');
}

// Binary units, as mldp prints sizes (1 MB = 1024 KB).
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** "500MB", "2GB", "1.5g" or a plain byte count; undefined for an unset value. */
export function parseCacheSize(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`${what} "${value}" is not a size`, { hint: 'write a byte count or a size such as 500MB, 2GB or 1GiB' });
  }
  return Math.floor(Number(match[1]) * unit);
}
