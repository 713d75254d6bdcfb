import { basename, extname, resolve } from 'node:path';
import { UsageError } from '@mldp/runtime';
import { pathOfFileUrl } from '@mldp/store';

export type Source = { kind: 'http'; url: URL } | { kind: 'file'; path: string };

/**
 * Classifies `--file-url`: http(s) URLs, file:// URLs and plain paths (relative to `cwd`).
 * `what` names the input in messages (the pipeline checks `data.file_url` with it).
 */
export function parseSource(fileUrl: string, cwd = process.cwd(), what = '--file-url'): Source {
  if (!fileUrl || !fileUrl.trim()) throw new UsageError(`${what} is empty`, { hint: 'give a URL or a file path' });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(fileUrl)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    try {
      return { kind: 'http', url: new URL(fileUrl) };
    } catch {
      throw new UsageError(`${what} "${fileUrl}" is not a valid URL`, { hint: 'check its spelling' });
    }
  }
  if (scheme === 'file') return { kind: 'file', path: pathOfFileUrl(fileUrl, what) };
  if (scheme && scheme.length > 1) {
    throw new UsageError(`${what} "${fileUrl}" uses the unsupported scheme "${scheme}:"`, {
      hint: 'use an http(s):// or file:// URL, or a file path',
    });
  }
  return { kind: 'file', path: resolve(cwd, fileUrl) };
}

/** The file name to store: the URL's last path segment, without query or fragment. */
export function fileNameOf(source: Source, fallback: string): string {
  const raw = source.kind === 'http' ? decodeURIComponentSafe(source.url.pathname.split('/').pop() ?? '') : basename(source.path);
  const safe = raw.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').replace(/\.{2,}/g, '.');
  return safe || fallback;
}

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.parquet': 'application/vnd.apache.parquet',
  '.json': 'application/json',
  '.txt': 'text/plain',
};

export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
