import { fileURLToPath } from 'node:url';
import { UsageError } from '@mldp/runtime';

/**
 * The local path a `file:` URL names (RFC 8089): `file:///abs/path`, `file://localhost/abs/path`
 * or `file:/abs/path`. A URL that names another host, or a relative path written as a URL
 * (`file://../data.csv`, whose "host" is `..`), is refused with the spelling that works: it
 * would otherwise read a different file than the one meant, or none.
 */
export function pathOfFileUrl(text: string, what: string): string {
  const rest = text.slice('file:'.length);
  if (!rest.startsWith('/')) {
    throw new UsageError(`${what} "${text}" is not a file URL: a file: URL holds an absolute path`, {
      hint: `write the path without "file:" (${rest || '...'}), or file:///ABSOLUTE/PATH`,
    });
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what} "${text}" is not a valid file URL`, { hint: 'write file:///ABSOLUTE/PATH, or give the path itself' });
  }
  if (url.host === '.' || url.host === '..') {
    const relative = decodeSafely(rest.slice(2));
    throw new UsageError(`${what} "${text}" is a relative path written as a file URL`, {
      hint: `write the relative path without "file://" (${relative}), or file:///ABSOLUTE/PATH`,
    });
  }
  if (url.host !== '') {
    throw new UsageError(`${what} "${text}" names the host "${url.host}", but a file URL can only name a file on this machine`, {
      hint: `write file://${url.pathname} for ${decodeSafely(url.pathname)} on this machine`,
    });
  }
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw new UsageError(`${what} "${text}" is not a usable file URL: ${(error as Error).message}`, { hint: 'write file:///ABSOLUTE/PATH, or give the path itself' });
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
