import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@mldp/runtime';
import type { StoreDriver } from './driver.js';
import { DERIVED_PREFIX, derivedKey, derivedPrefix, parseDerivedKey } from './keys.js';

/** Where the derived data of a file is recorded: its blob's sha256 and size. */
interface DerivedPointer {
  sha256: string;
  size: number;
}

const SHA256 = /^[0-9a-f]{64}$/;
const KIND = /^[a-z0-9][a-z0-9.-]{0,63}$/;

/**
 * Data computed from a file's content, kept beside it in the store so that later steps need
 * not compute it again: preprocess records its output's counts, which check_data then reads
 * instead of parsing the table (see @mldp/table's TableCounts). Keyed by the source file's
 * sha256 and a kind that names the format and its version, so it can never describe other
 * bytes. It is a cache: a missing, corrupt or unreadable entry is a miss, never an error, and
 * a read-only store simply records nothing.
 */
export class DerivedData {
  constructor(private readonly driver: StoreDriver) {}

  /** Records `bytes` as the `kind` data of the file whose content has `sourceSha256`. */
  async put(sourceSha256: string, kind: string, bytes: Uint8Array, scratchDir: string): Promise<void> {
    assertKey(sourceSha256, kind);
    if (this.driver.readOnly) return;
    const path = join(scratchDir, `derived-${kind}-${process.pid}`);
    await writeFile(path, bytes);
    const blob = await this.driver.ingestBlob(path, { move: true, sha256: sha256Of(bytes) });
    const pointer: DerivedPointer = { sha256: blob.sha256, size: blob.size };
    await this.driver.putDoc(derivedKey(sourceSha256, kind), `${JSON.stringify(pointer)}\n`);
  }

  /** The `kind` data of the file whose content has `sourceSha256`, verified; undefined if there is none intact. */
  async get(sourceSha256: string, kind: string): Promise<Buffer | undefined> {
    assertKey(sourceSha256, kind);
    try {
      const doc = await this.driver.readDoc(derivedKey(sourceSha256, kind));
      if (!doc) return undefined;
      const pointer = JSON.parse(doc.text) as DerivedPointer;
      if (typeof pointer.sha256 !== 'string' || !SHA256.test(pointer.sha256)) return undefined;
      const bytes = await this.readBlob(pointer.sha256);
      return bytes && sha256Of(bytes) === pointer.sha256 ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every recorded entry, for `store verify`. */
  async list(): Promise<Array<{ key: string; sourceSha256: string; kind: string }>> {
    const keys = await this.driver.listDocs(DERIVED_PREFIX);
    return keys.flatMap((key) => {
      const parsed = parseDerivedKey(key);
      return parsed ? [{ key, ...parsed }] : [];
    });
  }

  /**
   * Copies the entries of the file whose content has `sourceSha256` into another store's
   * (`store copy`), where it has none of that kind; returns how many were copied.
   */
  async copyTo(target: DerivedData, sourceSha256: string): Promise<number> {
    if (target.driver.readOnly) return 0;
    let copied = 0;
    for (const key of await this.driver.listDocs(derivedPrefix(sourceSha256))) {
      const doc = await this.driver.readDoc(key);
      if (!doc || (await target.driver.readDoc(key))) continue;
      const pointer = JSON.parse(doc.text) as DerivedPointer;
      const local = this.driver.localBlobPath?.(pointer.sha256) ?? (await this.driver.fetchBlob?.(pointer.sha256));
      if (!local) continue;
      await target.driver.ingestBlob(local, { expectedSha256: pointer.sha256 });
      await target.driver.putDoc(key, doc.text);
      copied++;
    }
    return copied;
  }

  private async readBlob(sha256: string): Promise<Buffer | undefined> {
    const local = this.driver.localBlobPath?.(sha256) ?? (await this.driver.fetchBlob?.(sha256));
    if (local) return readFile(local);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.driver.openBlob(sha256)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

function assertKey(sourceSha256: string, kind: string): void {
  if (!SHA256.test(sourceSha256)) throw new UsageError(`derived data needs a file's sha256 (64 hex digits), got "${sourceSha256}"`);
  if (!KIND.test(kind)) throw new UsageError(`derived data kind "${kind}" is not a valid name`, { hint: 'use lowercase letters, digits, "." and "-"' });
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
