import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCsvBytes } from './byte-csv.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('the byte-level CSV scanner names the offset of bytes that are not UTF-8, not of the end of the chunk or file', () => {
  // 'é' is c3 a9; the lone ff sits at a known offset, with more rows after it so that the end of the file is elsewhere.
  const head = Buffer.from('a,b\n1,caf\u00e9\n2,"quoted, \u00e9"\n');
  const content = Buffer.concat([head, Buffer.from('3,x'), Buffer.from([0xff]), Buffer.from('y\n'), Buffer.from('4,more rows after it\n'.repeat(50))]);
  const badOffset = head.length + 3;
  const path = join(dir.path, 'bad.csv');
  writeFileSync(path, content);

  it.each([1, 2, 3, 7, 64, 1 << 20])('in chunks of %i bytes', async (chunkBytes) => {
    await expect(scanCsvBytes(path, { header: () => undefined, record: () => undefined }, { chunkBytes })).rejects.toThrow(`${path} is not valid UTF-8 at byte offset ${badOffset}`);
  });

  it('inside a quoted field, with its line', async () => {
    const quoted = join(dir.path, 'quoted.csv');
    writeFileSync(quoted, Buffer.concat([Buffer.from('a,b\n1,"ok"\n2,"b'), Buffer.from([0xc0, 0xaf]), Buffer.from('d"\n3,z\n')]));
    await expect(scanCsvBytes(quoted, { header: () => undefined, record: () => undefined })).rejects.toThrow(`${quoted} is not valid UTF-8 at byte offset 15 (line 3)`);
  });
});
