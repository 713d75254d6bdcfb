import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { basename, join } from 'node:path';
import { MldpError, type Reporter, silentReporter, sleep } from '@mldp/runtime';
import { ReadCache } from './read-cache.js';
import { VerifiedStamps } from './verified-stamps.js';
import type { BlobInfo, IngestOptions, StoreDriver, StoredDoc } from './driver.js';
import { ChecksumMismatchError, CorruptFileError, StoreError, fsError } from './errors.js';
import { LOCKS_PREFIX, STORE_MARKER, isLockKey, lockKey } from './keys.js';
import { storeMarkerText } from './store-format.js';
import { sha256File } from './hashing.js';
import { type LockSlot, withLock } from './locks.js';
import type { S3Location, S3Settings } from './s3-location.js';
import { isConditionalConflict, isNetworkError, isNotFound, isPreconditionFailed, s3Error } from './s3-errors.js';

/** Files up to this size go up in one PutObject; larger ones stream as multipart uploads of this part size. */
const PART_SIZE = 8 * 1024 * 1024;
const UPLOAD_QUEUE = 4;
const DOWNLOAD_ATTEMPTS = 3;
const CONFLICT_RETRIES = 20;
/** Unfinished multipart uploads older than this are reported by `store verify`. */
const STALE_UPLOAD_MS = 60 * 60 * 1000;

/**
 * The S3 driver: one bucket and prefix shared by many machines. Versions are claimed with
 * create-only puts (If-None-Match: *), aliases move by compare-and-swap (If-Match), blobs are
 * stored once by sha256 and read through a bounded local cache. No renames; the locks that
 * serialize an artifact's commits are lease objects taken with those same conditional puts.
 */
export class S3Driver implements StoreDriver {
  readonly location: string;
  readonly client: S3Client;
  readonly endpoint: string;
  readonly verifiedStamps: VerifiedStamps;
  /** Shows the progress of transfers of large files (the caller's reporter draws it on a terminal only). */
  private readonly transfers: Reporter;

  constructor(
    readonly where: S3Location,
    readonly settings: S3Settings,
    readonly readCache: ReadCache = new ReadCache(),
    private readonly options: { readOnly?: boolean; reporter?: Reporter } = {},
  ) {
    this.transfers = options.reporter ?? silentReporter;
    this.location = `s3://${where.bucket}${where.prefix ? `/${where.prefix}` : ''}`;
    this.verifiedStamps = new VerifiedStamps(join(readCache.dir, 'verified'));
    this.endpoint = settings.endpoint ?? `the AWS S3 endpoint of ${settings.region}`;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      maxAttempts: settings.maxAttempts,
      retryMode: 'standard',
      // With the default (WHEN_SUPPORTED) streamed bodies need trailing checksums, which
      // S3-compatible stores such as Ceph reject (411 MissingContentLength).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    });
  }

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  async isInitialized(): Promise<boolean> {
    return (await this.head(STORE_MARKER)) !== undefined;
  }

  /** Why the location is not a store yet: no bucket, or a bucket without the marker. */
  async describeMissingStore(): Promise<string> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.where.bucket }));
      return `no mldp store at ${this.location}`;
    } catch (error) {
      if (isNotFound(error) || (error as { name?: string }).name === 'NoSuchBucket') return `the bucket ${this.where.bucket} does not exist at ${this.endpoint}`;
      throw s3Error('check', this.location, error, this.endpoint);
    }
  }

  /** Creates the bucket if it is missing (and allowed), then writes the store marker. */
  async init(): Promise<void> {
    this.assertWritable('initialise the store');
    let created = false;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.where.bucket }));
    } catch (error) {
      if (!isNotFound(error)) throw s3Error('check the bucket of', this.location, error, this.endpoint);
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.where.bucket }));
        created = true;
      } catch (createError) {
        const name = (createError as { name?: string }).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw s3Error('create the bucket of', this.location, createError, this.endpoint);
      }
    }
    if (created) await this.expireUnfinishedUploads();
    await this.createDoc(STORE_MARKER, storeMarkerText());
  }

  async readDoc(key: string): Promise<StoredDoc | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      return { text, etag: unquote(out.ETag) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Error('read', this.url(key), error, this.endpoint);
    }
  }

  async createDoc(key: string, text: string): Promise<boolean> {
    return this.conditionalPut(key, text, { IfNoneMatch: '*' });
  }

  async swapDoc(key: string, text: string, expectedEtag: string | undefined): Promise<boolean> {
    // Ceph honours If-Match only with the ETag's quotes removed; readDoc keeps them removed.
    return this.conditionalPut(key, text, expectedEtag === undefined ? { IfNoneMatch: '*' } : { IfMatch: expectedEtag });
  }

  async putDoc(key: string, text: string): Promise<void> {
    this.assertWritable(`write ${key}`);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key: this.key(key), Body: text, ContentType: contentTypeOf(key) }));
    } catch (error) {
      throw s3Error('write', this.url(key), error, this.endpoint);
    }
  }

  async deleteDoc(key: string): Promise<void> {
    this.assertWritable(`delete ${key}`);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
    } catch (error) {
      throw s3Error('delete', this.url(key), error, this.endpoint);
    }
  }

  async listDocs(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const strip = this.key('').length;
    try {
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.where.bucket, Prefix: this.key(prefix) })) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(strip));
      }
    } catch (error) {
      throw s3Error('list', this.url(prefix), error, this.endpoint);
    }
    return keys.sort();
  }

  withLock<T>(name: string, purpose: string, action: () => Promise<T>): Promise<T> {
    this.assertWritable(`lock ${name}`);
    return withLock(this.lockSlot(lockKey(name)), name, purpose, action);
  }

  async locks(): Promise<Array<{ name: string; slot: LockSlot }>> {
    return (await this.listDocs(LOCKS_PREFIX)).filter(isLockKey).map((key) => ({ name: key, slot: this.lockSlot(key) }));
  }

  /** A lease object: created with If-None-Match, taken over with If-Match, so one writer wins each race. */
  private lockSlot(key: string): LockSlot {
    const read = async () => {
      const doc = await this.readDoc(key);
      return doc && { text: doc.text, token: doc.etag };
    };
    const remove = () => this.deleteDoc(key);
    return {
      read,
      remove,
      create: (text) => this.createDoc(key, text),
      replace: (token, text) => this.swapDoc(key, text, token),
      async removeIf(token) {
        if ((await read())?.token !== token) return false;
        await remove();
        return true;
      },
    };
  }

  async ingestBlob(localPath: string, options: IngestOptions = {}): Promise<BlobInfo> {
    this.assertWritable('store a file');
    let blob: BlobInfo;
    try {
      blob = await sha256File(localPath);
    } catch (error) {
      throw fsError('read', localPath, error);
    }
    if (options.expectedSha256 && options.expectedSha256.toLowerCase() !== blob.sha256) {
      throw new ChecksumMismatchError(localPath, options.expectedSha256.toLowerCase(), blob.sha256);
    }
    const existing = await this.statBlob(blob.sha256);
    // Content-addressed: a blob already there (from any version or artifact) is not sent again.
    if (existing?.size !== blob.size) await this.upload(localPath, blob);
    if (options.move) await fs.rm(localPath, { force: true });
    return blob;
  }

  async statBlob(sha256: string): Promise<{ size: number } | undefined> {
    return this.head(blobKey(sha256));
  }

  async openBlob(sha256: string): Promise<Readable> {
    const key = blobKey(sha256);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
      return out.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) {
        throw new StoreError(`blob ${sha256} is missing from ${this.location}`, { hint: 'run "mldp store verify" and log the artifact again' });
      }
      throw s3Error('read', this.url(key), error, this.endpoint);
    }
  }

  /** The blob from the read cache, downloading it (streamed, sha256-verified) on a miss. */
  async fetchBlob(sha256: string): Promise<string> {
    const cached = await this.readCache.lookup(sha256);
    if (cached) return cached;
    for (let attempt = 1; ; attempt++) {
      const temp = await this.readCache.scratch.tempPath('.part');
      try {
        const hash = createHash('sha256');
        const transfers = this.transfers;
        let received = 0;
        const hashing = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            received += chunk.length;
            transfers.progress(`download ${sha256.slice(0, 12)}`, received, undefined, 'bytes');
            callback(null, chunk);
          },
        });
        await pipeline(await this.openBlob(sha256), hashing, createWriteStream(temp));
        this.transfers.endProgress();
        const actual = hash.digest('hex');
        if (actual !== sha256) throw new CorruptFileError(`blob ${sha256} of ${this.location}`, sha256, actual);
        const path = await this.readCache.add(sha256, temp);
        await this.verifiedStamps.record(sha256, path);
        return path;
      } catch (error) {
        this.transfers.endProgress();
        await fs.rm(temp, { force: true });
        // A connection lost mid-body is not retried by the SDK (the body is a live stream).
        if (attempt < DOWNLOAD_ATTEMPTS && isNetworkError(error)) {
          await sleep(200 * attempt);
          continue;
        }
        throw s3Error('download', this.url(blobKey(sha256)), error, this.endpoint);
      }
    }
  }

  async createWorkDir(): Promise<string> {
    return this.readCache.scratch.createDir();
  }

  async releaseWorkDir(dir: string): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
  }

  localOutputDir(name: string): string {
    return join(this.readCache.dir, 'stores', this.where.bucket, this.where.prefix || '_', name);
  }

  async staleTemps(): Promise<string[]> {
    const uploads = await this.staleUploads();
    return [...(await this.readCache.scratch.stale()), ...uploads.map((upload) => `${this.url(upload.key)} (unfinished upload of ${upload.initiated.toISOString()})`)];
  }

  async sweepStaleTemps(): Promise<string[]> {
    this.assertWritable('remove unfinished uploads');
    const removed = await this.readCache.scratch.sweep();
    for (const upload of await this.staleUploads()) {
      try {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.where.bucket, Key: this.key(upload.key), UploadId: upload.uploadId }));
      } catch (error) {
        throw s3Error('abort the unfinished upload of', this.url(upload.key), error, this.endpoint);
      }
      removed.push(`${this.url(upload.key)} (unfinished upload of ${upload.initiated.toISOString()})`);
    }
    return removed;
  }

  /** Multipart uploads under the store's prefix that were started long ago and never finished. */
  private async staleUploads(): Promise<Array<{ key: string; uploadId: string; initiated: Date }>> {
    const stale: Array<{ key: string; uploadId: string; initiated: Date }> = [];
    const strip = this.key('').length;
    try {
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (;;) {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.where.bucket, Prefix: this.key(''), KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
        for (const upload of page.Uploads ?? []) {
          if (upload.Key && upload.UploadId && upload.Initiated && Date.now() - upload.Initiated.getTime() > STALE_UPLOAD_MS) {
            stale.push({ key: upload.Key.slice(strip), uploadId: upload.UploadId, initiated: upload.Initiated });
          }
        }
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        uploadIdMarker = page.NextUploadIdMarker;
      }
    } catch (error) {
      throw s3Error('list the unfinished uploads of', this.location, error, this.endpoint);
    }
    return stale;
  }

  /** Streams the file up; multipart beyond one part, never holding more than a few parts in memory. */
  private async upload(localPath: string, blob: BlobInfo): Promise<void> {
    const key = blobKey(blob.sha256);
    try {
      if (blob.size <= PART_SIZE) {
        const bytes = await fs.readFile(localPath);
        assertUnchanged(localPath, blob.sha256, createHash('sha256').update(bytes).digest('hex'));
        await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key: this.key(key), Body: bytes, ContentLength: bytes.length }));
        return;
      }
      const hash = createHash('sha256');
      const body = createReadStream(localPath, { highWaterMark: 1 << 20 }).pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            callback(null, chunk);
          },
        }),
      );
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.where.bucket, Key: this.key(key), Body: body },
        partSize: PART_SIZE,
        queueSize: UPLOAD_QUEUE,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', (progress) => this.transfers.progress(`upload ${basename(localPath)}`, progress.loaded ?? 0, blob.size, 'bytes'));
      await upload.done();
      this.transfers.endProgress();
      try {
        assertUnchanged(localPath, blob.sha256, hash.digest('hex'));
      } catch (error) {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) })).catch(() => undefined);
        throw error;
      }
    } catch (error) {
      this.transfers.endProgress();
      if (error instanceof MldpError) throw error;
      throw s3Error('upload', `${localPath} to ${this.url(key)}`, error, this.endpoint);
    }
  }

  private async conditionalPut(key: string, text: string, condition: { IfNoneMatch?: string; IfMatch?: string }): Promise<boolean> {
    this.assertWritable(`write ${key}`);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key: this.key(key), Body: text, ContentType: contentTypeOf(key), ...condition }));
        return true;
      } catch (error) {
        // AWS gives 404 for If-Match on a missing key, Ceph 412: both mean "not what you expected".
        if (isPreconditionFailed(error) || (condition.IfMatch && isNotFound(error))) return false;
        if (isConditionalConflict(error) && attempt < CONFLICT_RETRIES) {
          await sleep(20 + Math.random() * 30 * (attempt + 1));
          continue;
        }
        throw s3Error('write', this.url(key), error, this.endpoint);
      }
    }
  }

  private async head(key: string): Promise<{ size: number } | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
      return { size: out.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Error('read', this.url(key), error, this.endpoint);
    }
  }

  /** A freshly created bucket drops parts of uploads that a killed writer never finished. */
  private async expireUnfinishedUploads(): Promise<void> {
    await this.client
      .send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: this.where.bucket,
          LifecycleConfiguration: {
            Rules: [{ ID: 'mldp-abort-unfinished-uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
          },
        }),
      )
      .catch(() => undefined); // best effort: not every S3-compatible store has lifecycle rules
  }

  private key(key: string): string {
    if (key.includes('\0') || key.split('/').some((part) => part === '..')) {
      throw new StoreError(`refusing key "${key.replace(/\0/g, '\\0')}": it points outside the store`);
    }
    return this.where.prefix ? `${this.where.prefix}/${key}` : key;
  }

  private url(key: string): string {
    return `${this.location}/${key}`;
  }

  private assertWritable(action: string): void {
    if (this.options.readOnly) {
      throw new StoreError(`cannot ${action}: the store at ${this.location} is read-only`, {
        hint: 'unset MLDP_STORE_READONLY or point MLDP_STORE at a writable store',
      });
    }
  }
}

function blobKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new StoreError(`invalid blob id "${sha256}"`);
  return `blobs/sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** The key of a blob is its hash, so the bytes sent must be the bytes hashed. */
function assertUnchanged(localPath: string, hashed: string, sent: string): void {
  if (sent !== hashed) {
    throw new StoreError(`${localPath} changed while it was being stored`, { hint: 'do not modify output files while a step logs them; run the step again' });
  }
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/"/g, '');
}

function contentTypeOf(key: string): string {
  return key.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8';
}
