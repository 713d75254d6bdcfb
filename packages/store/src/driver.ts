import type { Readable } from 'node:stream';
import type { BlobInfo } from './hashing.js';
import type { LockSlot } from './locks.js';
import type { VerifiedStamps } from './verified-stamps.js';

export type { BlobInfo };

/** A small text document (manifest, alias pointer, run record) with a version tag for compare-and-swap. */
export interface StoredDoc {
  text: string;
  etag: string;
}

export interface IngestOptions {
  /** Move the file in (it is scratch output) rather than copy it. */
  move?: boolean;
  /** Refuse the file (storing nothing) unless its content has this sha256. */
  expectedSha256?: string;
  /**
   * The file's sha256 as computed by its producer over exactly the bytes it wrote (with `move`):
   * the local driver then moves it in without reading it again.
   */
  sha256?: string;
}

/**
 * Everything the store needs from a storage backend. Keys are `/`-separated relative paths;
 * nothing outside a driver knows where or how they are kept.
 */
export interface StoreDriver {
  /** Human-readable location, for messages. */
  readonly location: string;
  /** Refuses every write with a clear error. */
  readonly readOnly: boolean;

  isInitialized(): Promise<boolean>;
  init(): Promise<void>;

  readDoc(key: string): Promise<StoredDoc | undefined>;
  /** Creates the document only if the key is free; returns false when it already exists. */
  createDoc(key: string, text: string): Promise<boolean>;
  /** Replaces the document only if its etag is still `expectedEtag` (undefined: must not exist). */
  swapDoc(key: string, text: string, expectedEtag: string | undefined): Promise<boolean>;
  /** Unconditional write (atomic: readers see the old or the new text, never a mix). */
  putDoc(key: string, text: string): Promise<void>;
  deleteDoc(key: string): Promise<void>;
  /** Keys directly or indirectly below `prefix` (which ends with `/`). */
  listDocs(prefix: string): Promise<string[]>;

  /**
   * Runs `action` holding the store-wide lock `name` (such as `artifacts/PROJECT/NAME`): one
   * process at a time, on any machine sharing the store. A lock whose holder is gone is taken
   * over; a live one is waited for, up to MLDP_LOCK_TIMEOUT, then refused with a clear error.
   */
  withLock<T>(name: string, purpose: string, action: () => Promise<T>): Promise<T>;
  /** The lock slots that exist now, for `store verify` and `store repair`. */
  locks(): Promise<Array<{ name: string; slot: LockSlot }>>;

  /** Hashes the local file while storing it under its sha256; stores nothing twice. */
  ingestBlob(localPath: string, options?: IngestOptions): Promise<BlobInfo>;
  statBlob(sha256: string): Promise<{ size: number } | undefined>;
  openBlob(sha256: string): Promise<Readable>;
  /** A local path to read the blob from without copying, where the backend has one. */
  localBlobPath?(sha256: string): string | undefined;
  /** Where stat data of blob files found intact are kept, so unchanged files are not re-hashed on every use. */
  readonly verifiedStamps?: VerifiedStamps;
  /** Remote backends: a local copy of the blob, fetched once into a bounded read cache and verified. */
  fetchBlob?(sha256: string): Promise<string>;

  /** A fresh private scratch folder for a step's outputs; removed by `release`. */
  createWorkDir(): Promise<string>;
  releaseWorkDir(dir: string): Promise<void>;
  /** Leftovers of writers that died (temp files, unfinished uploads), for `store verify`. */
  staleTemps(): Promise<string[]>;
  /** Removes those leftovers; returns what it removed. */
  sweepStaleTemps(): Promise<string[]>;
  /** A local folder for things derived from the store, such as the HTML report. */
  localOutputDir(name: string): string;
}
