/**
 * The two store drivers the contract tests run against: a local folder, and an S3 bucket on
 * the Ceph cluster that the vitest globalSetup started (tests/global-setup.ts). Where Ceph
 * cannot run, the S3 driver's tests are skipped, and say so.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { isProcessAlive } from '@mldp/runtime';
import { join } from 'node:path';
import { DeleteObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FsDriver } from '../fs-driver.js';
import type { S3Driver } from '../s3-driver.js';
import type { Store } from '../store.js';
import { initStore } from '../store.js';
import { missingRequirement, tempDir } from '@mldp/testkit';

export interface Backend {
  name: 'fs' | 's3';
  /** A fresh, initialised, empty store location; removed by `cleanup`. */
  fresh(): Promise<string>;
  /** Replaces a blob's bytes behind the store's back. */
  corruptBlob(store: Store, sha256: string, bytes: string): Promise<void>;
  deleteBlob(store: Store, sha256: string): Promise<void>;
  /** Blob keys in the store. */
  blobCount(store: Store): Promise<number>;
  /** Leftovers in the local scratch area of this store's writers. */
  scratchEntries(store: Store): string[];
  /** Traces of writes cut short: temp files (fs), unfinished multipart uploads (s3). */
  interruptedWrites(store: Store): Promise<number>;
  cleanup(): void;
}

const BUCKET = 'mldp-contract';

function fsBackend(): Backend {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  return {
    name: 'fs',
    async fresh() {
      const dir = tempDir();
      dirs.push(dir);
      const location = join(dir.path, 'store');
      await initStore({ location });
      return location;
    },
    async corruptBlob(store, sha256, bytes) {
      const { chmodSync, writeFileSync } = await import('node:fs');
      const path = (store.driver as FsDriver).localBlobPath(sha256);
      chmodSync(path, 0o644);
      writeFileSync(path, bytes);
    },
    async deleteBlob(store, sha256) {
      const { rmSync } = await import('node:fs');
      rmSync((store.driver as FsDriver).localBlobPath(sha256));
    },
    async blobCount(store) {
      return (await store.driver.listDocs('blobs/')).length;
    },
    scratchEntries(store) {
      return readdirSync(join((store.driver as FsDriver).root, 'tmp'));
    },
    async interruptedWrites(store) {
      return readdirSync(join((store.driver as FsDriver).root, 'tmp')).length;
    },
    cleanup() {
      for (const dir of dirs.splice(0)) dir.remove();
    },
  };
}

function s3Backend(): Backend {
  const objectKey = (store: Store, sha256: string) => {
    const driver = store.driver as S3Driver;
    const prefix = driver.where.prefix ? `${driver.where.prefix}/` : '';
    return `${prefix}blobs/sha256/${sha256.slice(0, 2)}/${sha256}`;
  };
  const client = (store: Store): S3Client => (store.driver as S3Driver).client;
  return {
    name: 's3',
    async fresh() {
      const location = `s3://${BUCKET}/t-${randomBytes(6).toString('hex')}`;
      await initStore({ location });
      return location;
    },
    async corruptBlob(store, sha256, bytes) {
      await client(store).send(new PutObjectCommand({ Bucket: BUCKET, Key: objectKey(store, sha256), Body: bytes }));
    },
    async deleteBlob(store, sha256) {
      await client(store).send(new DeleteObjectCommand({ Bucket: BUCKET, Key: objectKey(store, sha256) }));
    },
    async blobCount(store) {
      return (await store.driver.listDocs('blobs/')).length;
    },
    scratchEntries() {
      // The cache's scratch area is shared by the test files running at once: only leftovers of dead writers count.
      const entries = existsSync(join(process.env.MLDP_CACHE_DIR!, 'tmp')) ? readdirSync(join(process.env.MLDP_CACHE_DIR!, 'tmp')) : [];
      return entries.filter((entry) => !isProcessAlive(Number.parseInt(entry, 10)));
    },
    async interruptedWrites(store) {
      const driver = store.driver as S3Driver;
      const page = await driver.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: `${driver.where.prefix}/` }));
      return page.Uploads?.length ?? 0;
    },
    cleanup() {},
  };
}

/** Whether the S3 store of the global setup is there; says why not, once per test file. */
export const S3_MISSING = missingRequirement({ for: 'the S3 driver tests of this file', s3: true });

export const BACKENDS: Backend[] = S3_MISSING ? [fsBackend()] : [fsBackend(), s3Backend()];
