import { describe, expect, it } from 'vitest';
import { parseQueueUrl, queueNameOf, redact, redactUrl } from './connection.js';

describe('queue URLs', () => {
  it('reads host, port, database, user and password, and shows none of the credentials', () => {
    const location = parseQueueUrl('rediss://ann:p%40ss@cache.example:6380/3', {});
    expect(location.display).toBe('rediss://cache.example:6380/3');
    expect(location.options).toMatchObject({ host: 'cache.example', port: 6380, db: 3, username: 'ann', password: 'p@ss', tls: {} });
    expect(redact('AUTH failed for p@ss', location)).toBe('AUTH failed for ***');
  });

  it('takes the password from MLDP_QUEUE_PASSWORD when the URL has none, and defaults to port 6379, database 0, no TLS', () => {
    const location = parseQueueUrl('redis://127.0.0.1', { MLDP_QUEUE_PASSWORD: 'pw' });
    expect(location.display).toBe('redis://127.0.0.1/0');
    expect(location.options).toMatchObject({ port: 6379, db: 0, password: 'pw', tls: undefined });
    expect(parseQueueUrl('redis://[::1]:7000/1', {}).options).toMatchObject({ host: '::1', port: 7000, db: 1 });
  });

  it.each([
    ['http://:secret@host:6379', /^the queue http:\/\/:\*\*\*@host:6379 is not a redis:\/\/ or rediss:\/\/ URL$/],
    ['redis://:secret@host/abc', /names the database "abc", not a number$/],
    ['not a url', /^the queue "not a url" is not a URL$/],
  ])('refuses %s without showing its password', (url, message) => {
    expect(() => parseQueueUrl(url, {})).toThrow(message);
  });

  it('redacts passwords in URLs and names one queue per project', () => {
    expect(redactUrl('redis://user:secret@h:1/0')).toBe('redis://user:***@h:1/0');
    expect(redactUrl('redis://h:1/0')).toBe('redis://h:1/0');
    expect(queueNameOf('songs')).toBe('mldp-songs');
  });
});
