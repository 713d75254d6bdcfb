import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { openStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/mldp-download.js');
const DATA = join(import.meta.dirname, '../../../data/genres_mod1.parquet');

/** A real HTTP server on 127.0.0.1: `/stall` never answers, `/bad-length` sends `Content-Length: abc`, `/moved` redirects to a closed port. */
let server: Server;
let rawServer: ReturnType<typeof createTcpServer>;
let base: string;
let rawBase: string;
let closedPort: number;
let hits = 0;

beforeAll(async () => {
  closedPort = await freePort();
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/moved.csv') return void res.writeHead(302, { location: `http://127.0.0.1:${closedPort}/target.csv` }).end();
    // '/stall': headers are never sent.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Node's own server refuses to send a bad Content-Length, so this one writes the bytes itself.
  rawServer = createTcpServer((socket) => {
    socket.once('data', () => {
      hits++;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: abc\r\nConnection: close\r\n\r\nhello');
    });
  });
  await new Promise<void>((resolve) => rawServer.listen(0, '127.0.0.1', resolve));
  rawBase = `http://127.0.0.1:${(rawServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => rawServer.close(resolve));
});

let dir: ReturnType<typeof tempDir>;
let store: string;
beforeEach(() => {
  dir = tempDir();
  store = join(dir.path, 'store');
  hits = 0;
});
afterEach(() => dir.remove());

function download(...args: string[]) {
  return runNode(BIN, ['--store', store, '--project', 'cli', '--artifact-name', 'raw.csv', ...args], { timeoutMs: 30_000 });
}

/** One line on stderr, no stack, nothing stored, no run recorded. */
async function expectRefusedBeforeRunning(result: Awaited<ReturnType<typeof download>>, code: number, message: RegExp): Promise<void> {
  expect(result.stderr.trimEnd()).toMatch(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.code).toBe(code);
  // No run record and no artifact of any project.
  expect(existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []).toEqual([]);
  expect(existsSync(join(store, 'artifacts')) ? readdirSync(join(store, 'artifacts')) : []).toEqual([]);
}

describe('mldp-download flags follow the rules of the config schema', () => {
  it.each([
    [['--idle-timeout', '0'], /^error: --idle-timeout \(download\.idle_timeout\) "0" is out of range; give a number in \(0, 86400\] \(seconds the server may stay silent\)$/],
    [['--connect-timeout', '0'], /^error: --connect-timeout \(download\.connect_timeout\) "0" is out of range; give a number in \(0, 86400\]/],
    [['--idle-timeout', 'abc'], /^error: --idle-timeout \(download\.idle_timeout\) "abc" is not a number; give a number in \(0, 86400\]/],
    [['--idle-timeout', '0x10'], /^error: --idle-timeout \(download\.idle_timeout\) "0x10" is not a number/],
    [['--idle-timeout='], /^error: --idle-timeout \(download\.idle_timeout\) has no value; give a number in \(0, 86400\]/],
    [['--retry-delay', '1e9'], /^error: --retry-delay \(download\.retry_delay\) "1e9" is out of range; give a number in \[0, 86400\]/],
    [['--retries', '1.5'], /^error: --retries \(download\.retries\) "1.5" is out of range; give a whole number in \[0, 20\]/],
    [['--retries', '21'], /^error: --retries \(download\.retries\) "21" is out of range; give a whole number in \[0, 20\]/],
    [['--max_redirects', '-1'], /^error: --max-redirects \(download\.max_redirects\) "-1" is out of range; give a whole number in \[0, 50\]/],
    [['--idle-timeout', '1', '--idle-timeout', '2'], /^error: --idle-timeout is given 2 times \("1", "2"\); give it once$/],
    [['--sha256', 'a', '--sha256', 'b'], /^error: --sha256 is given 2 times \("a", "b"\); give it once$/],
    [['--sha256', 'xyz'], /^error: --sha256 \(data\.sha256\) "xyz" is not allowed; give a text matching \^\[0-9a-fA-F\]\{64\}\$, or null \(expected sha256 of the content, 64 hex digits as sha256sum prints; a mismatch stores nothing\)$/],
  ])('refuses %j with one line naming what was typed, exit 2, before connecting', async (flags, message) => {
    const result = await download('--file-url', `${base}/stall`, ...flags);
    await expectRefusedBeforeRunning(result, 2, message);
    expect(hits).toBe(0);
  });

  it.each(['--store', '--project'])('refuses an empty %s rather than using the current folder or no project', async (flag) => {
    const result = await runNode(BIN, ['--file-url', DATA, '--artifact-name', 'raw.csv', flag, ''], { cwd: dir.path });
    expect(result.stderr).toBe(`error: ${flag} has no value; give it one: ${flag} VALUE\n`);
    expect(result.code).toBe(2);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('takes values at the edges of the rules', async () => {
    const result = await download('--file-url', DATA, '--idle-timeout', '86400', '--connect-timeout', '0.001', '--retries', '0', '--retry-delay', '0', '--max-redirects', '50');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('with a short idle timeout, gives up on a stalled server instead of waiting forever', async () => {
    const result = await download('--file-url', `${base}/stall`, '--idle-timeout', '0.3', '--retries', '0');
    expect(result.stderr).toMatch(/^error: http:\/\/127.0.0.1:\d+\/stall sent nothing for 300 ms; /);
    expect(result.code).toBe(1);
  });
});

describe('mldp-download file URLs', () => {
  it.each([
    ['file://evil.example.com/etc/passwd', /^error: --file-url "file:\/\/evil.example.com\/etc\/passwd" names the host "evil.example.com", but a file URL can only name a file on this machine; write file:\/\/\/etc\/passwd for \/etc\/passwd on this machine$/],
    ['file://../../etc/passwd', /^error: --file-url "file:\/\/..\/..\/etc\/passwd" is a relative path written as a file URL; write the relative path without "file:\/\/" \(..\/..\/etc\/passwd\), or file:\/\/\/ABSOLUTE\/PATH$/],
    ['file://./data.csv', /^error: --file-url "file:\/\/.\/data.csv" is a relative path written as a file URL; write the relative path without "file:\/\/" \(.\/data.csv\)/],
    ['file:etc/passwd', /^error: --file-url "file:etc\/passwd" is not a file URL: a file: URL holds an absolute path; write the path without "file:" \(etc\/passwd\)/],
    ['file:///tmp/a%2Fb', /^error: --file-url "file:\/\/\/tmp\/a%2Fb" is not a usable file URL: .*encoded \/ characters/],
  ])('refuses %s with one line and the spelling that works, exit 2', async (url, message) => {
    await expectRefusedBeforeRunning(await download('--file-url', url), 2, message);
  });

  it.each([`file://${DATA}`, `file://localhost${DATA}`, `file:${DATA}`])('reads %s, a file of this machine', async (url) => {
    const result = await download('--file-url', url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const opened = await openStore({ location: store, project: 'cli' });
    const version = await opened.artifacts.resolve('raw.csv:latest');
    expect(version.files[0].sha256).toBe(createHash('sha256').update(readFileSync(DATA)).digest('hex'));
  });
});

describe('mldp-download server faults', () => {
  it('names the redirect target that refused the connection, not the original host', async () => {
    const result = await download('--file-url', `${base}/moved.csv`, '--retries', '0');
    expect(result.stderr).toBe(`error: cannot connect to 127.0.0.1:${closedPort}: connection refused (redirected from ${base}/moved.csv); check the host and port, and that the server is running\n`);
    expect(result.code).toBe(1);
  });

  it('refuses a Content-Length of "abc" at once, with what to do, storing nothing', async () => {
    const result = await download('--file-url', `${rawBase}/bad.csv`, '--retries', '2', '--retry-delay', '0.01');
    expect(result.stderr).toBe(
      `error: ${rawBase}/bad.csv sent a malformed HTTP response: Invalid character in Content-Length; the server is misconfigured or does not speak HTTP: check the URL and port, or ask its operator to fix it\n`,
    );
    expect(result.code).toBe(1);
    expect(hits).toBe(1);
    const opened = await openStore({ location: store, project: 'cli' });
    expect(await opened.artifacts.list()).toEqual([]);
    expect(readdirSync(join(store, 'tmp'))).toEqual([]);
  });

  it('prints an artifact name holding a newline on one line', async () => {
    const result = await runNode(BIN, ['--store', store, '--project', 'cli', '--artifact-name', 'raw\nfile.csv', '--file-url', DATA]);
    expect(result.stderr).toBe('error: --artifact-name (download.artifact_name) "raw\\nfile.csv" is not allowed; give a name of letters, digits, ".", "_" and "-", starting with a letter or digit, at most 200 characters (name of the artifact to log)\n');
    expect(result.code).toBe(2);
    expect(existsSync(join(store, 'artifacts'))).toBe(false);
  });
});

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
