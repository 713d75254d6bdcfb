import { describe, expect, it } from 'vitest';
import { pathOfFileUrl } from './file-url.js';

describe('pathOfFileUrl', () => {
  it.each([
    ['file:///srv/data/songs.csv', '/srv/data/songs.csv'],
    ['file://localhost/srv/data/songs.csv', '/srv/data/songs.csv'],
    ['file:/srv/data/songs.csv', '/srv/data/songs.csv'],
    ['file:///srv/my%20data/songs.csv', '/srv/my data/songs.csv'],
  ])('reads %s as %s', (url, path) => {
    expect(pathOfFileUrl(url, '--file-url')).toBe(path);
  });

  it.each([
    ['file://evil.example.com/etc/passwd', '--file-url "file://evil.example.com/etc/passwd" names the host "evil.example.com", but a file URL can only name a file on this machine; write file:///etc/passwd for /etc/passwd on this machine'],
    ['file://../../etc/passwd', '--file-url "file://../../etc/passwd" is a relative path written as a file URL; write the relative path without "file://" (../../etc/passwd), or file:///ABSOLUTE/PATH'],
    ['file://./songs.csv', '--file-url "file://./songs.csv" is a relative path written as a file URL; write the relative path without "file://" (./songs.csv), or file:///ABSOLUTE/PATH'],
    ['file:songs.csv', '--file-url "file:songs.csv" is not a file URL: a file: URL holds an absolute path; write the path without "file:" (songs.csv), or file:///ABSOLUTE/PATH'],
    ['file://%2e%2e/etc/passwd', '--file-url "file://%2e%2e/etc/passwd" is a relative path written as a file URL; write the relative path without "file://" (../etc/passwd)'],
    ['file://127.0.0.1/etc/passwd', '--file-url "file://127.0.0.1/etc/passwd" names the host "127.0.0.1"'],
    ['file://[::1]/etc/passwd', '--file-url "file://[::1]/etc/passwd" names the host "[::1]"'],
  ])('refuses %s with a usage error naming it and the spelling that works', (url, line) => {
    let error: { toLine(): string; exitCode: number } | undefined;
    try {
      pathOfFileUrl(url, '--file-url');
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.exitCode).toBe(2);
    expect(error?.toLine().startsWith(line)).toBe(true);
  });
});
