import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { plural, sleep } from '@mldp/runtime';
import { DownloadError } from './errors.js';

export interface FetchOptions {
  connectTimeoutMs: number;
  /** Longest pause between two chunks (or before the response starts). */
  idleTimeoutMs: number;
  /** Further attempts after the first, for retryable failures. */
  retries: number;
  /** First backoff delay; doubled after each attempt. */
  retryDelayMs: number;
  maxRedirects: number;
  /** Sent as conditional-request headers (If-None-Match / If-Modified-Since). */
  headers?: Record<string, string>;
  onProgress?: (bytes: number, total?: number) => void;
  onRetry?: (attempt: number, error: DownloadError, delayMs: number) => void;
  /** Where the bytes go; a test seam for write failures such as a full disk. */
  openSink?: (path: string) => Writable;
}

export interface FetchResult {
  finalUrl: string;
  status: number;
  size: number;
  sha256: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  retries: 2,
  retryDelayMs: 500,
  maxRedirects: 5,
};

/**
 * Streams `url` into `target`, hashing as it goes, with timeouts, bounded redirects, and retries
 * with exponential backoff on network errors and 5xx (never on 4xx). A 304 returns status 304
 * and writes nothing. On failure `target` is removed.
 */
export async function fetchToFile(url: URL, target: string, options: FetchOptions): Promise<FetchResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchFollowingRedirects(url, target, options);
    } catch (error) {
      await fs.rm(target, { force: true });
      const failure = toDownloadError(error, url);
      if (!failure.retryable || attempt >= options.retries) {
        if (attempt > 0 && failure.retryable) {
          throw new DownloadError(failure.code, `${failure.message} (gave up after ${plural(attempt + 1, 'attempt')})`, false, {
            hint: failure.hint,
            cause: failure,
          });
        }
        throw failure;
      }
      const delay = options.retryDelayMs * 2 ** attempt;
      options.onRetry?.(attempt + 1, failure, delay);
      await sleep(delay);
    }
  }
}

async function fetchFollowingRedirects(start: URL, target: string, options: FetchOptions): Promise<FetchResult> {
  let url = start;
  for (let hop = 0; ; hop++) {
    // A failure is named after the URL that failed: after a redirect, the target, not the start.
    const response = await request(url, options).catch((error: unknown) => {
      throw hop === 0 ? error : redirected(toDownloadError(error, url), start);
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
      response.resume();
      if (hop >= options.maxRedirects) {
        throw new DownloadError('E_TOO_MANY_REDIRECTS', `${start} redirected more than ${plural(options.maxRedirects, 'time')}`, false, {
          hint: 'check the URL; raise --max-redirects if the chain is legitimate',
        });
      }
      url = new URL(response.headers.location, url);
      url.hash = '';
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new DownloadError('E_BAD_REDIRECT', `${start} redirected to unsupported ${url.protocol} URL ${url}`, false);
      }
      continue;
    }
    if (status === 304) {
      response.resume();
      return { finalUrl: url.toString(), status, size: 0, sha256: '', ...headersOf(response) };
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new DownloadError(
        'E_HTTP_STATUS',
        `GET ${url} answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
        status >= 500 || status === 429,
        { hint: status === 404 ? 'check the URL: the server has no such file' : status >= 500 ? 'the server failed; try again later' : 'check the URL and access rights' },
      );
    }
    return receiveBody(url, response, target, options);
  }
}

function request(url: URL, options: FetchOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { headers: { 'user-agent': 'mldp-download', ...options.headers } });
    const connectTimer = setTimeout(() => {
      req.destroy(new DownloadError('E_CONNECT_TIMEOUT', `connecting to ${url.host} timed out after ${options.connectTimeoutMs} ms`, true, {
        hint: 'check that the host is reachable; raise --connect-timeout for slow networks',
      }));
    }, options.connectTimeoutMs);
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    let response: IncomingMessage | undefined;
    req.setTimeout(options.idleTimeoutMs, () => {
      const stalled = new DownloadError('E_IDLE_TIMEOUT', `${url} sent nothing for ${options.idleTimeoutMs} ms`, true, {
        hint: 'the server stalled; try again later or raise --idle-timeout',
      });
      // Destroying the response with the error makes a stalled body fail as a timeout, not a cut.
      response?.destroy(stalled);
      req.destroy(stalled);
    });
    req.once('response', (res) => {
      clearTimeout(connectTimer);
      response = res;
      resolve(res);
    });
    req.once('error', (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
  });
}

async function receiveBody(url: URL, response: IncomingMessage, target: string, options: FetchOptions): Promise<FetchResult> {
  const lengthHeader = response.headers['content-length'];
  const expected = lengthHeader !== undefined ? Number(lengthHeader) : undefined;
  const hash = createHash('sha256');
  let size = 0;
  let aborted = false;
  response.once('aborted', () => {
    aborted = true;
  });
  response.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
    options.onProgress?.(size, expected);
  });
  const sink = options.openSink ? options.openSink(target) : createWriteStream(target);
  try {
    await pipeline(response, sink);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || aborted) {
      throw truncated(url, size, expected);
    }
    throw new DownloadError('E_WRITE', `cannot write the download of ${url} to ${target}: ${(error as Error).message}`, false, {
      hint: 'check free disk space and permissions of the store folder',
      cause: error,
    });
  }
  if (aborted || (expected !== undefined && size !== expected)) throw truncated(url, size, expected);
  return { finalUrl: url.toString(), status: response.statusCode ?? 200, size, sha256: hash.digest('hex'), ...headersOf(response) };
}

function redirected(failure: DownloadError, start: URL): DownloadError {
  return new DownloadError(failure.code, `${failure.message} (redirected from ${start})`, failure.retryable, { hint: failure.hint, cause: failure });
}

function truncated(url: URL, size: number, expected: number | undefined): DownloadError {
  return new DownloadError(
    'E_TRUNCATED',
    `${url} was cut short: received ${size} of ${expected ?? 'an unknown number of'} bytes`,
    true,
    { hint: 'the connection dropped; try again' },
  );
}

function headersOf(response: IncomingMessage): Pick<FetchResult, 'contentType' | 'etag' | 'lastModified'> {
  return {
    contentType: response.headers['content-type'],
    etag: response.headers.etag,
    lastModified: response.headers['last-modified'],
  };
}

function toDownloadError(error: unknown, url: URL): DownloadError {
  if (error instanceof DownloadError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const detail = (error as Error)?.message ?? String(error);
  if (code.startsWith('HPE_')) {
    // Node's HTTP parser refused the response (a Content-Length of "abc", a bad header): not worth retrying.
    const reason = (error as { reason?: string }).reason ?? detail;
    return new DownloadError('E_BAD_RESPONSE', `${url} sent a malformed HTTP response: ${reason}`, false, {
      hint: 'the server is misconfigured or does not speak HTTP: check the URL and port, or ask its operator to fix it',
      cause: error,
    });
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new DownloadError('E_CONNECTION_REFUSED', `cannot connect to ${url.host}: connection refused`, true, {
        hint: 'check the host and port, and that the server is running',
      });
    case 'ENOTFOUND':
      return new DownloadError('E_UNKNOWN_HOST', `cannot resolve the host "${url.hostname}"`, false, {
        hint: 'check the spelling of the URL and your network',
      });
    case 'EAI_AGAIN':
      return new DownloadError('E_DNS', `looking up "${url.hostname}" failed temporarily`, true);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DownloadError('E_NETWORK', `network error while fetching ${url}: ${code}`, true, { hint: 'check your network and try again' });
    default:
      return new DownloadError('E_NETWORK', `fetching ${url} failed: ${detail}`, true, { cause: error });
  }
}
