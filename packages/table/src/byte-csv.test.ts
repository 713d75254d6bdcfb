import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { IRREGULAR, parseQuotedLine, scanCsvBytes } from './byte-csv.js';
import { formatCsvLine } from './csv-writer.js';
import { oracle, trickyCsv } from './test-support/tricky-csv.js';
import type { Row } from './types.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** Every record as the scanner gives it: header, then cells decoded from the field bytes, and the copyable lines. */
async function scan(content: string | Buffer, chunkBytes?: number, leadingFields?: number): Promise<{ rows: Row[]; lines: string[] }> {
  const path = join(dir.path, `t${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, content);
  const rows: Row[] = [];
  const lines: string[] = [];
  await scanCsvBytes(
    path,
    {
      header: (columns) => rows.push(columns),
      record: (r) => {
        const cells: Row = [];
        for (let f = 0; f < Math.min(rows[0].length, leadingFields ?? Infinity); f++) cells.push(r.fieldEnd[f] > r.fieldStart[f] ? r.fields.toString('utf8', r.fieldStart[f], r.fieldEnd[f]) : null);
        rows.push(cells);
        lines.push(r.line.toString('utf8', r.lineStart, r.lineEnd));
      },
    },
    { chunkBytes, leadingFields },
  );
  return { rows, lines };
}

describe('the byte-level CSV scanner against csv-parse and pandas rules', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('gives identical records on generated tricky CSV (seed %i), at every chunk size', async (seed) => {
    const content = trickyCsv(seed, 150, 1 + (seed % 5));
    const expected = oracle(content);
    for (const chunkBytes of [64, 1000]) expect((await scan(content, chunkBytes)).rows).toEqual(expected);
    const { rows, lines } = await scan(content);
    expect(rows).toEqual(expected);
    // Each line, read back as CSV, is the same record: it can be copied into CSV output.
    expect(lines.map((line) => oracle(`${expected[0].join(',')}\n${line}\n`)[1])).toEqual(expected.slice(1));
    // Tiny reads re-scan a record that spans many reads, so they get a shorter file.
    const short = trickyCsv(seed + 100, 25, 1 + (seed % 5));
    for (const chunkBytes of [1, 2, 3, 7]) expect((await scan(short, chunkBytes)).rows).toEqual(oracle(short));
  });

  it('copies plain records byte for byte and re-quotes only those it had to parse', async () => {
    const content = 'a,b,c\r\n1,x y,3\r\n"q",2,\n\n4,"a,b",6\n';
    const { lines } = await scan(content);
    expect(lines).toEqual(['1,x y,3', formatCsvLine(['q', '2', null]), '4,"a,b",6']);
  });

  it('says where each record lies in the file, for every path through the scanner and any chunk size', async () => {
    const content = '\ufeffa,b,c\r\n1,x y,3\r\n"q",2,\n\n4,"a,b",6\n7,"multi\nline",9\r\nlast,,row';
    const bytes = Buffer.from(content);
    const original = ['1,x y,3', '"q",2,', '4,"a,b",6', '7,"multi\nline",9', 'last,,row'];
    for (const leadingFields of [undefined, 0, 1, 2]) {
      for (const chunkBytes of [1, 5, 1 << 20]) {
        const path = join(dir.path, `offsets-${leadingFields}-${chunkBytes}.csv`);
        writeFileSync(path, bytes);
        const found: string[] = [];
        await scanCsvBytes(path, { header: () => undefined, record: (r) => found.push(bytes.toString('utf8', r.fileStart, r.fileEnd)) }, { chunkBytes, leadingFields });
        expect(found).toEqual(original);
      }
    }
  });

  it('locates leading fields before a quote without parsing the rest, and finds the record end after it', async () => {
    const written = 'a,b,c,d\n1,x,"p, q",z\n2,"y",w,v\n3,x,"multi\nline ""q""",end\n4,x,y,z\n';
    for (const chunkBytes of [3, 1 << 20]) {
      const two = await scan(written, chunkBytes, 2);
      expect(two.rows).toEqual([['a', 'b', 'c', 'd'], ['1', 'x'], ['2', 'y'], ['3', 'x'], ['4', 'x']]);
      expect(two.lines).toEqual(['1,x,"p, q",z', '2,y,w,v', '3,x,"multi\nline ""q""",end', '4,x,y,z']);
    }
  });

  it('locates only the leading fields of a file mldp wrote, with the same records and lines', async () => {
    for (const seed of [21, 22, 23]) {
      // Rewritten with minimal quoting and LF, as mldp writes CSV.
      const [header, ...records] = oracle(trickyCsv(seed, 120, 4));
      const written = [header, ...records].map((row) => `${formatCsvLine(row)}\n`).join('');
      const full = await scan(written);
      for (const chunkBytes of [50, 1 << 20]) {
        const none = await scan(written, chunkBytes, 0);
        expect(none.lines).toEqual(full.lines);
        const two = await scan(written, chunkBytes, 2);
        expect(two.rows).toEqual(full.rows.map((row, i) => (i === 0 ? row : row.slice(0, 2))));
        expect(two.lines).toEqual(full.lines);
      }
    }
  });

  it('parses quoted lines into the cells the tokenizer gives, and the minimally quoted line', async () => {
    for (const seed of [31, 32, 33]) {
      const [header, ...records] = oracle(trickyCsv(seed, 120, 4));
      const minimal = records.map((row) => formatCsvLine(row));
      // Every third record quotes every field, needed or not: its line is re-quoted.
      const written = records.map((row, i) => (i % 3 ? minimal[i] : row.map((cell) => (cell === null ? '' : `"${cell.replaceAll('"', '""')}"`)).join(',')));
      const path = join(dir.path, `quoted-${seed}.csv`);
      writeFileSync(path, `${formatCsvLine(header)}\n${written.join('\n')}\n`);
      let index = 0;
      const found: Array<{ cells: Row; line: string }> = [];
      const expected: Array<{ cells: Row; line: string }> = [];
      await scanCsvBytes(path, {
        header: () => undefined,
        record: (r) => {
          const i = index++;
          if (r.plain) return;
          parseQuotedLine(r);
          found.push({ cells: header.map((_, f) => (r.fieldEnd[f] > r.fieldStart[f] ? r.fields.toString('utf8', r.fieldStart[f], r.fieldEnd[f]) : null)), line: r.line.toString('utf8', r.lineStart, r.lineEnd) });
          expected.push({ cells: records[i], line: minimal[i] });
        },
      }, { leadingFields: 0 });
      expect(found.length).toBeGreaterThan(20);
      expect(found).toEqual(expected);
    }
  });

  it('splits multi-byte characters across every chunk boundary', async () => {
    const content = `name,city\n${Array.from({ length: 50 }, (_, i) => `é${i}😀 ü,Zürich€`).join('\n')}\n`;
    for (let chunk = 1; chunk <= 9; chunk++) expect((await scan(Buffer.from(content), chunk)).rows).toEqual(oracle(content));
  });

  it('reads the bundled data as csv-parse does', async () => {
    const content = readFileSync(join(import.meta.dirname, '../../../data/genres_mod1.csv'));
    expect((await scan(content)).rows).toEqual(oracle(content));
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,"x\n', 'E_CSV_UNCLOSED_QUOTE'],
    ['invalid UTF-8', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]), 'E_INVALID_UTF8'],
    ['an empty file', '', 'E_EMPTY_FILE'],
  ])('rejects %s', async (_, content, code) => {
    await expect(scan(content)).rejects.toMatchObject({ code });
  });

  // pandas reads these its own way (padding, an implicit index, CR line ends, skipped lines):
  // the scanner leaves them to canonicalizeTable rather than copy them through.
  it.each([
    ['too many fields', 'a,b\n1,2,3\n'],
    ['too few fields', 'a,b,c\n1,2\n'],
    ['too few fields after quotes', 'a,b,c\n"1",2\n'],
    ['CR line ends', 'a,b\r1,2\r'],
    ['a NUL byte', 'a,b\n1,x\u0000y\n'],
    ['a line of only spaces in a one-column file', 'a\n1\n   \n2\n'],
  ])('calls %s irregular', async (_, content) => {
    await expect(scan(content)).rejects.toMatchObject({ code: IRREGULAR });
  });

  it('reads quotes as pandas does: literal inside a field, text after a closing quote joins it', async () => {
    const { rows, lines } = await scan('a,b\n37°36\'37.8"N,"ab"cd\n"x""y",a "q" b\n');
    expect(rows).toEqual([['a', 'b'], ['37°36\'37.8"N', 'abcd'], ['x"y', 'a "q" b']]);
    expect(lines).toEqual(['"37°36\'37.8""N",abcd', '"x""y","a ""q"" b"']);
  });

  it('names the header as pandas does', async () => {
    expect((await scan('a,a,,b\n1,2,3,4\n')).rows[0]).toEqual(['a', 'a.1', 'Unnamed: 2', 'b']);
  });

  it('names the line of an irregular record, counting newlines inside quoted fields', async () => {
    await expect(scan('a,b\n"x\ny",1\n2,3,4\n')).rejects.toThrow(/at line 4 has 3 fields where the header has 2/);
  });
});
