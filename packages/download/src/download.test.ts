import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Store, openStore, sha256File, verifyStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { download } from './download.js';
import { DownloadError } from './errors.js';

const DATA = join(import.meta.dirname, '../../../data/genres_mod1.parquet');
const BIN = join(import.meta.dirname, '../bin/mldp-download.js');
const BODY = readFileSync(DATA);
const FAST = { retryDelayMs: 10, idleTimeoutMs: 500, connectTimeoutMs: 2000 };

/** A real HTTP server on 127.0.0.1 whose behaviour each test scripts by path. */
let server: Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    switch (path) {
      case '/data/genres.parquet':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY.length, etag: '"abc"', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' });
        return res.end(BODY);
      case '/missing.parquet':
        res.writeHead(404);
        return res.end('not found');
      case '/flaky.parquet':
        if (count === 1) {
          res.writeHead(500);
          return res.end('oops');
        }
        res.writeHead(200, { 'content-length': BODY.length });
        return res.end(BODY);
      case '/broken.parquet':
        res.writeHead(500);
        return res.end('always broken');
      case '/cut.parquet':
        res.writeHead(200, { 'content-length': BODY.length });
        res.write(BODY.subarray(0, 1000));
        return setTimeout(() => res.socket?.destroy(), 20);
      case '/redirect':
        res.writeHead(302, { location: '/data/genres.parquet?x=1#frag' });
        return res.end();
      case '/loop':
        res.writeHead(301, { location: '/loop' });
        return res.end();
      case '/slow.parquet':
        res.writeHead(200, { 'content-length': BODY.length });
        res.write(BODY.subarray(0, 10));
        return; // never finishes: the idle timeout must fire
      default:
        res.writeHead(400);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('download', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store') });
    hits.clear();
  });
  afterEach(() => {
    server.closeAllConnections();
    dir.remove();
  });

  const params = (fileUrl: string, extra: object = {}) => ({ fileUrl, artifactName: 'raw_data.parquet', artifactType: 'raw_data', fetch: FAST, ...extra });
  const expectNothingStored = async () => {
    expect(await store.artifacts.versionLabels(store.project, 'raw_data.parquet')).toEqual([]);
    expect(readdirSync(join(store.location, 'tmp'))).toEqual([]);
    expect((await verifyStore(store)).ok).toBe(true);
  };

  it('fetches a 200 response into v0 with the source metadata; the name drops query and fragment', async () => {
    const result = await download(params(`${base}/data/genres.parquet?token=1#top`), store);
    expect(result.artifact.version).toBe('v0');
    expect(result.sha256).toBe((await sha256File(DATA)).sha256);
    expect(result.artifact.files[0].path).toBe('genres.parquet');
    expect(result.artifact.metadata).toMatchObject({ source_url: `${base}/data/genres.parquet?token=1#top`, etag: '"abc"', last_modified: 'Wed, 01 Jan 2025 00:00:00 GMT', content_type: 'application/octet-stream' });
  });

  it('follows a redirect; the file keeps the base name of the URL given, as curl -O does', async () => {
    const result = await download(params(`${base}/redirect`), store);
    expect(result.artifact.files[0].path).toBe('redirect');
    expect(result.sha256).toBe((await sha256File(DATA)).sha256);
    expect(result.artifact.metadata.final_url).toBe(`${base}/data/genres.parquet?x=1`);
  });

  it('retries a 500 and succeeds on the next attempt', async () => {
    const result = await download(params(`${base}/flaky.parquet`), store);
    expect(result.artifact.version).toBe('v0');
    expect(hits.get('/flaky.parquet')).toBe(2);
  });

  it.each([
    ['a 404, without retrying', '/missing.parquet', 'E_HTTP_STATUS', /HTTP 404/, 1],
    ['500 three times (retries used up)', '/broken.parquet', 'E_HTTP_STATUS', /HTTP 500.*gave up after 3 attempts/, 3],
    ['a body cut short', '/cut.parquet', 'E_TRUNCATED', /cut short: received 1000 of 912625 bytes/, 3],
    ['too many redirects', '/loop', 'E_TOO_MANY_REDIRECTS', /redirected more than 5 times/, 6],
    ['a stall past the idle timeout', '/slow.parquet', 'E_IDLE_TIMEOUT', /sent nothing for 500 ms/, 3],
  ])('fails on %s, storing nothing', async (_, path, code, message, attempts) => {
    const error = await download(params(`${base}${path}`), store).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(hits.get(path)).toBe(attempts);
    await expectNothingStored();
  });

  it('fails on a refused connection and an unknown host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(download(params(`http://127.0.0.1:${port}/x.csv`), store)).rejects.toMatchObject({ code: 'E_CONNECTION_REFUSED' });
    await expect(download(params('http://no-such-host.invalid/x.csv'), store)).rejects.toMatchObject({ code: expect.stringMatching(/E_UNKNOWN_HOST|E_DNS|E_NETWORK/) });
    await expectNothingStored();
  });

  it('refuses content whose sha256 differs from the expected one', async () => {
    const error = await download(params(`${base}/data/genres.parquet`, { sha256: 'ab'.repeat(32) }), store).catch((e) => e);
    expect(error.code).toBe('E_CHECKSUM');
    await expectNothingStored();
    const local = await download(params(DATA, { sha256: 'ab'.repeat(32) }), store).catch((e) => e);
    expect(local.code).toBe('E_CHECKSUM');
    await expectNothingStored();
  });

  it('stores nothing when writing fails (a full disk)', async () => {
    const fullDisk = () =>
      new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
        },
      });
    const error = await download(params(`${base}/data/genres.parquet`, { fetch: { ...FAST, openSink: fullDisk } }), store).catch((e) => e);
    expect(error).toMatchObject({ code: 'E_WRITE' });
    expect(error.message).toMatch(/no space left/);
    await expectNothingStored();
  });

  it('copies a local path or file:// URL; identical content keeps v0', async () => {
    const first = await download(params(DATA), store);
    const second = await download(params(`file://${DATA}`), store);
    expect(first.artifact.version).toBe('v0');
    expect(second.created).toBe(false);
    expect(await store.artifacts.versionLabels(store.project, 'raw_data.parquet')).toEqual(['v0']);
  });

  it('fails on a missing local path and on a directory', async () => {
    await expect(download(params(join(dir.path, 'nope.csv')), store)).rejects.toMatchObject({ code: 'E_SOURCE_MISSING' });
    await expect(download(params(dir.path), store)).rejects.toMatchObject({ code: 'E_SOURCE_NOT_FILE' });
    await expectNothingStored();
  });
});

describe('mldp-download', () => {
  it('prints one error line, no stack, exits 1 on a 404 and 2 on a bad flag', async () => {
    const dir = tempDir();
    try {
      const env = { MLDP_STORE: join(dir.path, 'store'), MLDP_PROJECT: 'default' };
      const notFound = await runNode(BIN, ['--file-url', `${base}/missing.parquet`, '--artifact-name', 'raw.parquet'], { env });
      expect(notFound.code).toBe(1);
      expect(notFound.stderr.trim().split('\n')).toHaveLength(1);
      expect(notFound.stderr).toMatch(/^error: GET .*missing.parquet answered HTTP 404/);
      const usage = await runNode(BIN, ['--file_url', DATA, '--artifact_name', 'raw.parquet', '--retries', 'many'], { env });
      expect(usage.code).toBe(2);
      expect(usage.stderr).not.toMatch(/\n\s+at /);
      const ok = await runNode(BIN, ['--file_url', DATA, '--artifact_name', 'raw.parquet'], { env });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/logged raw.parquet:v0/);
      const store = await openStore({ location: env.MLDP_STORE });
      const [run] = await store.runs.list();
      expect(run).toMatchObject({ step: 'download', status: 'finished', outputs: ['raw.parquet:v0'] });
      const failed = (await store.runs.list()).find((r) => r.status === 'failed');
      expect(failed?.error).toMatch(/HTTP 404/);
      writeFileSync(join(dir.path, 'ignored'), '');
    } finally {
      dir.remove();
    }
  });
});
