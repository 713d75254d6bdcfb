import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteLineWriter, CsvFileWriter } from './csv-writer.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('the byte line writer', () => {
  it('writes lines across many flushes, reads them back, and knows the sha256 of what it wrote', () => {
    const path = join(dir.path, 'out.csv');
    const writer = new ByteLineWriter(path);
    const offsets: number[] = [];
    const expected: string[] = [];
    const source = Buffer.from('héllo,wörld,€,x'.repeat(200));
    for (let i = 0; i < 20_000; i++) {
      offsets.push(writer.offset);
      const line = `${i},${'é'.repeat(i % 7)}`;
      writer.appendText(`${i},`);
      writer.append(source, 0, (i * 13) % source.length);
      writer.appendByte(0x2c);
      writer.appendText('é'.repeat(i % 7));
      writer.endLine();
      expected.push(`${i},${source.toString('utf8', 0, (i * 13) % source.length)},${line.slice(String(i).length + 1)}`);
    }
    const back = writer.readBack(offsets[123], Buffer.byteLength(expected[123]));
    expect(back.toString()).toBe(expected[123]);
    writer.close();
    const bytes = readFileSync(path);
    expect(bytes.toString()).toBe(`${expected.join('\n')}\n`);
    expect(writer.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

// /dev/full answers every write with ENOSPC: a real full disk without mounting one.
describe.runIf(existsSync('/dev/full'))('the writers on a full disk', () => {
  it.each([
    ['ByteLineWriter', () => {
      const writer = new ByteLineWriter('/dev/full');
      writer.appendText('a,b');
      writer.endLine();
      return writer;
    }],
    ['CsvFileWriter', () => {
      const writer = new CsvFileWriter('/dev/full');
      writer.writeLine('a,b');
      return writer;
    }],
  ])('%s reports ENOSPC with the file, and a later abandon closes nothing twice', (_name, make) => {
    const writer = make();
    let failure: NodeJS.ErrnoException | undefined;
    try {
      writer.close();
    } catch (error) {
      failure = error as NodeJS.ErrnoException;
    }
    expect(failure?.code).toBe('ENOSPC');
    expect(failure?.path).toBe('/dev/full');
    // The caller's cleanup after the failed close: it used to close the descriptor again (EBADF).
    expect(() => writer.abandon()).not.toThrow();
    expect(() => writer.close()).not.toThrow();
  });
});
