import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsvLine } from './csv-writer.js';
import { type CsvRecordReading, readCsvRecords } from './csv-records.js';
import type { Cell } from './types.js';

const dir = tempDir();
afterAll(() => dir.remove());

// Cells meant to trip a byte-level reader: every kind of quoting pandas does, multi-byte text, nulls.
const TEXTS: Cell[] = ['plain', '0.5', '-3', null, 'a, b', 'say "hi"', 'two\nlines', '"', 'café', '日本語', 'emoji 🎵', ' x '];

/** A table as pandas writes it (what mldp's steps write), with quoted fields in every column somewhere. */
function pandasTable(seed: number, rows: number, width: number): { path: string; bytes: Buffer; header: string[]; cells: Cell[][] } {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const header = Array.from({ length: width }, (_, c) => `c${c}`);
  const cells = Array.from({ length: rows }, () => Array.from({ length: width }, () => TEXTS[next() % TEXTS.length]));
  // A record of nulls only in a single-column table is written `""`: not that case here.
  const bytes = Buffer.from([header, ...cells].map((row) => `${formatCsvLine(row)}\n`).join(''));
  const path = join(dir.path, `t${seed}-${width}.csv`);
  writeFileSync(path, bytes);
  return { path, bytes, header, cells };
}

async function records(path: string, reading: CsvRecordReading & { columns: (header: string[]) => number[] }) {
  let chosen: number[] = [];
  const got: Array<{ fields: Cell[]; line: string; span: [number, number]; lineNumber: number }> = [];
  await readCsvRecords(
    path,
    {
      header: () => undefined,
      record: (r) => {
        const fields = chosen.map((c) => (r.fieldEnd[c] > r.fieldStart[c] ? r.fields.toString('utf8', r.fieldStart[c], r.fieldEnd[c]) : null));
        got.push({ fields, line: r.line.toString('utf8', r.lineStart, r.lineEnd), span: [r.fileStart, r.fileEnd], lineNumber: r.lineNumber });
      },
    },
    { ...reading, columns: (header) => (chosen = reading.columns(header)) },
  );
  return got;
}

describe('readCsvRecords', () => {
  const choices: Array<[string, (width: number) => number[]]> = [
    ['every column', (w) => Array.from({ length: w }, (_, c) => c)],
    ['the leading columns', () => [1, 0]],
    ['one trailing column', (w) => [w - 2]],
    ['the last column', (w) => [w - 1]],
    ['columns at both ends', (w) => [0, w - 1]],
    ['no column', () => []],
  ];

  it.each(choices)('locates %s in every record, at every read size, with each record\'s span in the file', async (_, choose) => {
    for (const width of [2, 7]) {
      const table = pandasTable(width * 31, 400, width);
      for (const chunkBytes of [64, 1 << 20]) {
        const got = await records(table.path, { columns: () => choose(width), chunkBytes, pandasLines: true });
        expect(got.map((r) => r.fields)).toEqual(table.cells.map((row) => choose(width).map((c) => row[c])));
        // Lines as pandas writes them are these lines: the file's own bytes, at the record's span.
        expect(got.map((r) => r.line)).toEqual(table.cells.map((row) => formatCsvLine(row)));
        expect(got.map((r) => table.bytes.toString('utf8', ...r.span))).toEqual(table.cells.map((row) => formatCsvLine(row)));
      }
    }
  });

  it('numbers records by their first line, counting the line breaks inside quoted fields', async () => {
    const table = pandasTable(5, 50, 3);
    const got = await records(table.path, { columns: (header) => [header.length - 1] });
    let line = 2;
    for (const [r, row] of table.cells.entries()) {
      expect(got[r].lineNumber).toBe(line);
      line += formatCsvLine(row).split('\n').length;
    }
  });

  it("gives a record's line as pandas writes it when the file quotes more than pandas does", async () => {
    const path = join(dir.path, 'over-quoted.csv');
    writeFileSync(path, 'a,b,c\n"1","x",2\n3,"say ""hi""","y"\n');
    for (const columns of [() => [0], () => [2], () => []]) {
      const got = await records(path, { columns, pandasLines: true });
      expect(got.map((r) => r.line)).toEqual(['1,x,2', '3,"say ""hi""",y']);
      expect(got.map((r) => readFileSync(path, 'utf8').slice(...r.span))).toEqual(['"1","x",2', '3,"say ""hi""","y"']);
    }
  });
});
