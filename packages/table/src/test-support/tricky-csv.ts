import { parse } from 'csv-parse/sync';
import type { Row } from '../types.js';

/** csv-parse, the oracle: on files like trickyCsv's (regular rows, quotes only around whole fields) its rules are pandas'. */
export function oracle(content: string | Buffer): Row[] {
  const records = parse(content, { bom: true, skip_empty_lines: true }) as string[][];
  return records.map((record, i) => (i === 0 ? record : record.map((cell) => (cell === '' ? null : cell))));
}

/** A deterministic generator of awkward CSV: quotes, separators and newlines in fields, CRLF, multi-byte text, long fields. */
export function trickyCsv(seed: number, rows: number, columns: number): string {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pieces = ['a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '€', '😀', '1.5', '-3', 'x'.repeat(3000), ''];
  const field = () => {
    const length = Math.floor(random() * 4);
    let value = '';
    for (let k = 0; k < length; k++) value += pieces[Math.floor(random() * pieces.length)];
    // A field of only spaces would make a line pandas skips as blank in a one-column file.
    const mustQuote = /[",\n\r]/.test(value) || /^ +$/.test(value);
    return mustQuote || random() < 0.1 ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const lines = [Array.from({ length: columns }, (_, c) => `c${c}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.from({ length: columns }, field).join(','));
  // One line ending per file: csv-parse takes the first one it sees for the whole file.
  const eol = seed % 3 === 0 ? '\r\n' : '\n';
  return (seed % 2 ? '\ufeff' : '') + lines.map((line) => line + eol).join('') + (random() < 0.5 ? eol : '');
}

