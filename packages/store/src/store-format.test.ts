import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorLine } from '@mldp/runtime';
import { initStore, openStore } from './store.js';
import { STORE_FORMAT_VERSION } from './store-format.js';
import { tempDir } from '@mldp/testkit';

let dir: ReturnType<typeof tempDir>;
let location: string;
beforeEach(() => {
  dir = tempDir();
  location = join(dir.path, 'store');
});
afterEach(() => dir.remove());

async function refusal(open: () => Promise<unknown>): Promise<string> {
  const error = await open().then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeDefined();
  return errorLine(error);
}

describe('the store marker', () => {
  it('names the format and the release that made the store', async () => {
    await openStore({ location, project: 'p' });
    const marker = JSON.parse(readFileSync(join(location, 'mldp-store.json'), 'utf8'));
    expect(marker).toEqual({ format: 'mldp-store', version: STORE_FORMAT_VERSION, created_by: expect.stringMatching(/^@mldp\/store \d+\.\d+\.\d+/) });
  });

  it('opens a store whose marker predates created_by', async () => {
    mkdirSync(location);
    writeFileSync(join(location, 'mldp-store.json'), '{"format":"mldp-store","version":1}\n');
    await expect(openStore({ location, project: 'p' })).resolves.toBeDefined();
  });

  it('refuses a store of a newer format, naming the release it needs, and writes nothing to it', async () => {
    mkdirSync(location);
    writeFileSync(join(location, 'mldp-store.json'), '{"format":"mldp-store","version":99,"created_by":"@mldp/store 7.0.0"}\n');
    const line = await refusal(() => openStore({ location, project: 'p' }));
    expect(line).toMatch(new RegExp(`^${location} is a store of format 99, which @mldp/store \\S+ cannot read \\(it reads format 1\\); upgrade mldp to @mldp/store 7.0.0 or newer; nothing was read or written$`));
    expect(await refusal(() => initStore({ location }))).toBe(line);
    expect(readdirSync(location)).toEqual(['mldp-store.json']);
  });

  it('without created_by, says which format the needed release must read', async () => {
    mkdirSync(location);
    writeFileSync(join(location, 'mldp-store.json'), '{"format":"mldp-store","version":2}');
    expect(await refusal(() => openStore({ location, project: 'p' }))).toMatch(/upgrade mldp to a release that reads store format 2;/);
  });

  it.each([
    ['garbage{', 'it is not JSON'],
    ['[]', 'it lacks "format": "mldp-store"'],
    ['{"format":"other","version":1}', 'it lacks "format": "mldp-store"'],
    ['{"format":"mldp-store","version":"1"}', 'its version "1" is not a format number'],
    ['{"format":"mldp-store"}', 'its version undefined is not a format number'],
  ])('refuses the garbage marker %j clearly, exit 1', async (text, problem) => {
    mkdirSync(location);
    writeFileSync(join(location, 'mldp-store.json'), text);
    const error = await openStore({ location, project: 'p' }).catch((caught: unknown) => caught);
    expect(errorLine(error)).toBe(
      `${location}/mldp-store.json is not an mldp store marker: ${problem}; if this is an mldp store, restore the file as {"format":"mldp-store","version":1}; otherwise give --store another location`,
    );
    expect((error as { exitCode: number }).exitCode).toBe(1);
  });
});

describe('a store opened only to be read', () => {
  it('is not created where there is none', async () => {
    expect(await refusal(() => openStore({ location, project: 'p', create: false }))).toBe(
      `there is no mldp store at ${location}; check the location (it is not created when only read from); nothing was written`,
    );
    expect(existsSync(location)).toBe(false);
  });
});
