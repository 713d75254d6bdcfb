import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { openStore } from '@mldp/store';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');

let dir: ReturnType<typeof tempDir>;
let store: string;
beforeEach(() => {
  dir = tempDir();
  store = join(dir.path, 'store');
});
afterEach(() => dir.remove());

const mldp = (...args: string[]) => runNode(MLDP, ['--store', store, ...args], { cwd: ROOT, timeoutMs: 120_000 });

/** One line, the exit code, no stack trace. */
function expectOneLine(result: Awaited<ReturnType<typeof mldp>>, code: number, line: string | RegExp): void {
  if (typeof line === 'string') expect(result.stderr).toBe(`${line}\n`);
  else expect(result.stderr.trimEnd()).toMatch(line);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.code).toBe(code);
}

async function runsIn(location: string, project = 'ml_data_pipeline') {
  return (await openStore({ location, project })).runs.list();
}

describe('mldp run refuses bad input before any step runs', () => {
  it.each([
    [['run', '--config'], 'error: --config has no value; give it one: --config VALUE'],
    [['run', '--config='], 'error: --config has no value; give it one: --config VALUE'],
    [['run', '--config', 'a.yaml', '--config', 'b.yaml'], 'error: --config is given 2 times ("a.yaml", "b.yaml"); give it once'],
    [['run', 'main.execute_steps=[]'], /^error: \S+config.yaml: main.execute_steps is empty: it must list at least 1 of download, preprocess, check_data, segregate; see "Configuration" in the README$/],
    [['run', 'data.file_url=file://evil.example.com/etc/passwd'], 'error: data.file_url "file://evil.example.com/etc/passwd" names the host "evil.example.com", but a file URL can only name a file on this machine; write file:///etc/passwd for /etc/passwd on this machine'],
    [['run', 'data.file_url=file://../../etc/passwd'], 'error: data.file_url "file://../../etc/passwd" is a relative path written as a file URL; write the relative path without "file://" (../../etc/passwd), or file:///ABSOLUTE/PATH'],
    [['run', '--multirun', 'data.test_size=0.2,0.3', '--jobs', 'abc'], 'error: --jobs "abc" is not a number; give a whole number >= 1 (the number of jobs at a time)'],
    [['run', '--multirun', 'data.test_size=0.2,0.3', '--jobs', '0'], 'error: --jobs "0" is out of range; give a whole number >= 1 (the number of jobs at a time)'],
    [['run', '++download.idle_timeout=0'], /^error: \S+config.yaml: download.idle_timeout \(--idle-timeout of the download step\) = 0 is not allowed: it must be a number in \(0, 86400\]; see "Configuration" in the README$/],
    [['run', "++preprocess.text_feature=''"], /^error: \S+config.yaml: preprocess.text_feature \(--text-feature of the preprocess step\) is empty: give a non-empty text; /],
  ])('%j: one line, exit 2, no run recorded', async (args, line) => {
    expectOneLine(await mldp(...args), 2, line);
    expect(existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []).toEqual([]);
  });

  it('names a misspelt key of the config file as unknown, with the key meant', async () => {
    const config = join(dir.path, 'config.yaml');
    writeFileSync(config, readFileSync(join(ROOT, 'config.yaml'), 'utf8').replace(/^  test_size:/m, '  tset_size:'));
    expectOneLine(await mldp('run', '--config', config), 2, new RegExp(`^error: ${config}: unknown key data.tset_size \\(did you mean data.test_size\\?\\); allowed here: file_url, `));
  });
});

describe('mldp report refuses bad flags and a taken port on one line', () => {
  it.each([
    [['--port', 'abc', '--serve'], 'error: --port "abc" is not a number; give a whole number in [0, 65535] (the port for --serve; 0 for any free one)'],
    [['--port', '99999', '--serve'], 'error: --port "99999" is out of range; give a whole number in [0, 65535] (the port for --serve; 0 for any free one)'],
    [['--port', '-1', '--serve'], 'error: --port "-1" is out of range; give a whole number in [0, 65535] (the port for --serve; 0 for any free one)'],
  ])('%j: exit 2', async (flags, line) => {
    expectOneLine(await mldp('report', ...flags), 2, line);
  });

  it('--out naming a file, or a folder under one: exit 2, the file untouched', async () => {
    const file = join(dir.path, 'report.html');
    writeFileSync(file, 'mine');
    for (const out of [file, join(file, 'sub')]) {
      expectOneLine(await mldp('report', '--out', out), 2, `error: cannot write the report to ${out}: it is a file, or lies under one; give --out a folder (it is created if missing)`);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(readdirSync(dir.path).sort()).toEqual(['report.html', 'store']);
  });

  it('--serve on a port another program holds: exit 1', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const result = await mldp('report', '--serve', '--port', String(port));
      expect(result.stdout).toMatch(/^report: /);
      expectOneLine(result, 1, `error: cannot serve the report on 127.0.0.1:${port}: another program uses that port; choose another with --port N, or leave --port out for any free one`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

describe('mldp store commands refuse stores that are missing, newer or garbage', () => {
  it('store copy of a missing source: exit 1, neither store created', async () => {
    const missing = join(dir.path, 'missing');
    const target = join(dir.path, 'target');
    expectOneLine(await mldp('store', 'copy', missing, target), 1, `error: there is no mldp store at ${missing}; check the location (it is not created when only read from); nothing was written`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    ['{"format":"mldp-store","version":99,"created_by":"@mldp/store 3.1.0"}', /is a store of format 99, which @mldp\/store \S+ cannot read \(it reads format 1\); upgrade mldp to @mldp\/store 3.1.0 or newer; nothing was read or written$/],
    ['garbage{', /mldp-store.json is not an mldp store marker: it is not JSON; if this is an mldp store, restore the file/],
  ])('a store marked %s is refused by every command, and left as it is', async (marker, line) => {
    mkdirSync(store);
    writeFileSync(join(store, 'mldp-store.json'), marker);
    for (const args of [['artifacts', 'list'], ['store', 'verify'], ['run', 'main.execute_steps=download'], ['store', 'init']]) {
      expectOneLine(await mldp(...args), 1, line);
    }
    expect(readdirSync(store)).toEqual(['mldp-store.json']);
    expect(readFileSync(join(store, 'mldp-store.json'), 'utf8')).toBe(marker);
  });
});

describe('mldp run | head -1', () => {
  it('keeps running when the reader goes away: no stack trace, every run finished', () => {
    const errors = join(dir.path, 'stderr.txt');
    // A real shell pipeline: head exits after the first line, and mldp's next writes meet a closed pipe.
    const shell = spawnSync('bash', ['-c', `node "${MLDP}" run --store "${store}" 'main.execute_steps=[download,preprocess]' 2>"${errors}" | head -1; echo "mldp exit \${PIPESTATUS[0]}"`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const [first, status] = shell.stdout.trimEnd().split('\n');
    expect(first).toMatch(/^pipeline \S+ \(ml_data_pipeline\/dev\): download -> preprocess$/);
    expect(status).toBe('mldp exit 0');
    expect(readFileSync(errors, 'utf8')).toBe('');
    return runsIn(store).then((runs) => {
      expect(runs.map((run) => [run.step, run.status])).toEqual([
        ['preprocess', 'finished'],
        ['download', 'finished'],
        ['pipeline', 'finished'],
      ]);
    });
  });
});
