import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, expect, it } from 'vitest';
import { readCsvAsPandas } from './pandas-csv-reader.js';

const dir = tempDir();
afterAll(() => dir.remove());

const CHUNK = 1 << 20;

async function refusal(content: Buffer): Promise<string> {
  const path = join(dir.path, `t${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, content);
  const error = await readCsvAsPandas(path, { header: () => undefined, row: () => undefined }).catch((caught: Error) => caught);
  return (error as Error).message.replace(path, 'FILE');
}

/** Rows of ASCII up to `end` bytes, then the rest. */
function padded(end: number, ...rest: Buffer[]): Buffer {
  const head = Buffer.from('a,b\n');
  const filler = Buffer.alloc(end - head.length, 'x');
  for (let i = 100; i < filler.length; i += 100) filler[i] = 0x0a;
  filler[0] = 0x31;
  return Buffer.concat([head, filler, ...rest]);
}

it('names the bad byte after a character split between two reads, not the start of the second read', async () => {
  // 'é' (c3 a9) straddles the 1 MiB read boundary; the bad byte ff comes 10 bytes into the second read.
  const content = padded(CHUNK - 1, Buffer.from([0xc3, 0xa9]), Buffer.from(',ok,123'), Buffer.from([0xff]), Buffer.from('\n1,2\n'));
  expect(await refusal(content)).toBe(`FILE is not valid UTF-8: the bytes at offset ${CHUNK + 8} are not`);
});

it('names the lead byte of a character cut off by the end of the file', async () => {
  const content = padded(100, Buffer.from('\n1,'), Buffer.from([0xe2, 0x82]));
  expect(await refusal(content)).toBe('FILE is not valid UTF-8: the bytes at offset 103 are not');
});

it('names a broken sequence that straddles two reads at its lead byte', async () => {
  const content = padded(CHUNK - 1, Buffer.from([0xe2, 0x41]), Buffer.from('\n1,2\n'));
  expect(await refusal(content)).toBe(`FILE is not valid UTF-8: the bytes at offset ${CHUNK - 1} are not`);
});
