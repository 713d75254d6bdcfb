import { createReadStream } from 'node:fs';
import { formatCsvLine } from './csv-writer.js';
import { DataError } from './errors.js';
import type { Row } from './types.js';

/**
 * The CSV reader on the hot path. csv-parse reads ~20-26 MB/s here; this parser reads a
 * record without quotes with one indexOf and one split, and only walks quoted records character
 * by character, which measured 5x faster on the benchmark files (see README, Performance).
 * csv-parse stays the oracle: a differential test feeds both the same tricky input.
 *
 * Rules, as csv-parse with { bom, skip_empty_lines }: `,` separates, records end at LF or CRLF,
 * `"` quotes a field (doubled inside), a quote inside an unquoted field or text after a closing
 * quote is an error, empty lines are skipped, an empty field is null.
 */

const BATCH_ROWS = 4096;

/**
 * A batch of rows; `raw[i]` is row i's text when it needed no unquoting (so it can be copied as
 * is). When fields were picked, `raw[i]` is always there, with minimal quoting.
 */
export type RowBatch = Row[] & { raw?: Array<string | undefined> };

export interface FastCsvState {
  bytesRead: number;
}

export interface FastCsvOptions {
  /** Read size; tests use tiny chunks to split records and characters everywhere. */
  chunkBytes?: number;
  /**
   * Called with the header; returns the indexes of the fields to keep in each row (in that
   * order), or undefined for all. Unkept fields are never sliced out of the text; `[]` keeps
   * none, for callers that copy `raw` lines through.
   */
  pick?: (header: string[]) => number[] | undefined;
}

export async function* readCsvFast(path: string, state: FastCsvState, options: FastCsvOptions = {}): AsyncGenerator<RowBatch | { header: string[] }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new RecordParser(path, options.pick);
  let carry = '';
  let offset = 0;
  const source = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw invalidUtf8(path, offset + chunk.length);
      }
      offset += chunk.length;
      state.bytesRead = offset;
      const input = carry + text;
      const consumed = parser.parse(input, false);
      carry = input.slice(consumed);
      yield* parser.drain(false);
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw invalidUtf8(path, offset);
    }
    const input = carry + tail;
    parser.parse(input, true);
    yield* parser.drain(true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DataError('E_FILE_MISSING', `${path} does not exist`, { hint: 'check the path' });
    throw error;
  } finally {
    source.destroy();
  }
  if (!parser.header) throw new DataError('E_EMPTY_FILE', `${path} is empty: it has no header row`, { hint: 'check that the right file was given' });
}

/**
 * Parses the complete text of one record (or the header, when `header` is undefined) by the
 * rules above: the slow path of the byte-level scanner, for records with quotes or stray CRs.
 * Returns undefined for an empty line.
 */
export function parseRecordText(path: string, text: string, header: string[] | undefined, line: number): { cells: Row; raw: string | undefined } | undefined {
  const parser = new RecordParser(path);
  parser.header = header;
  parser.line = line;
  parser.parse(text, true);
  if (!header) return parser.header ? { cells: parser.header, raw: undefined } : undefined;
  const [batch] = [...parser.drain(true)].filter((item): item is RowBatch => Array.isArray(item));
  return batch ? { cells: batch[0], raw: batch.raw?.[0] } : undefined;
}

class RecordParser {
  header: string[] | undefined;
  private headerSent = false;
  private rows: Row[] = [];
  private raw: Array<string | undefined> = [];
  /** 1-based line number of the next record's first line, for error messages. */
  line = 1;
  private picked: number[] | undefined;
  /** For each field of the header, its place in a picked row, or -1. */
  private slotOf: Int32Array | undefined;

  constructor(
    private readonly path: string,
    private readonly pick?: (header: string[]) => number[] | undefined,
  ) {}

  /** Parses whole records from `text`; returns how many characters were consumed. */
  parse(text: string, final: boolean): number {
    let i = 0;
    const n = text.length;
    // The next quote at or after i; found once per chunk rather than once per record.
    let quote = text.indexOf('"');
    while (i < n) {
      const newline = text.indexOf('\n', i);
      if (newline < 0 && !final) break;
      const end = newline < 0 ? n : newline;
      if (quote >= 0 && quote < i) quote = text.indexOf('"', i);
      if (quote < 0 || quote >= end) {
        // The fast path: a record on one line without quotes.
        const lineEnd = end > i && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        if (lineEnd > i) {
          const line = text.slice(i, lineEnd);
          const raw = line.indexOf('\r') < 0 ? line : undefined;
          if (this.slotOf) this.takePicked(line, raw);
          else this.take(line.split(','), raw);
        }
        this.line++;
        i = end + 1;
        continue;
      }
      const next = this.parseQuoted(text, i, final);
      if (next < 0) break;
      i = next;
    }
    return Math.min(i, n);
  }

  *drain(final: boolean): Generator<RowBatch | { header: string[] }> {
    if (this.header && !this.headerSent) {
      this.headerSent = true;
      yield { header: this.header };
    }
    while (this.rows.length >= BATCH_ROWS || (final && this.rows.length > 0)) {
      const batch = this.rows.splice(0, BATCH_ROWS) as RowBatch;
      batch.raw = this.raw.splice(0, batch.length);
      yield batch;
    }
  }

  /** Walks a record that contains quotes; returns the index after it, or -1 if it is incomplete. */
  private parseQuoted(text: string, start: number, final: boolean): number {
    const fields: string[] = [];
    const n = text.length;
    let i = start;
    let lines = 0;
    for (;;) {
      if (i < n && text.charCodeAt(i) === 34) {
        const open = i;
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            if (final) throw this.error('E_CSV_UNCLOSED_QUOTE', `has a quoted field that is never closed at line ${this.line + lines}`, 'close the quote, or double any quote inside a quoted field ("")');
            return -1;
          }
          value += text.slice(from, close);
          if (close + 1 >= n && !final) return -1;
          if (text.charCodeAt(close + 1) === 34) {
            value += '"';
            from = close + 2;
            continue;
          }
          lines += countNewlines(text, open, close);
          i = close + 1;
          break;
        }
        fields.push(value);
      } else {
        // An unquoted field: up to the next comma or line end; a quote inside it is an error.
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10) break;
          if (c === 34) throw this.error('E_CSV_QUOTE', `has a misplaced quote at line ${this.line + lines}`, 'quote the whole field and double any quote inside it ("")');
          j++;
        }
        if (j >= n && !final) return -1;
        fields.push(j > i && text.charCodeAt(j - 1) === 13 && (j >= n || text.charCodeAt(j) === 10) ? text.slice(i, j - 1) : text.slice(i, j));
        i = j;
        if (i < n && text.charCodeAt(i) === 44) {
          i++;
          continue;
        }
        return this.endRecord(fields, i, lines);
      }
      // After a closing quote: a separator, or the end of the record.
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 10 || c === -1) return this.endRecord(fields, i, lines);
      if (c === 13) {
        if (i + 1 >= n) {
          if (!final) return -1;
          return this.endRecord(fields, i, lines);
        }
        if (text.charCodeAt(i + 1) === 10) return this.endRecord(fields, i + 1, lines);
      }
      throw this.error('E_CSV_QUOTE', `has a misplaced quote at line ${this.line + lines}`, 'quote the whole field and double any quote inside it ("")');
    }
  }

  /** Takes the record ending at `at` (its LF, or the end of the text). */
  private endRecord(fields: string[], at: number, lines: number): number {
    this.take(fields, undefined);
    this.line += lines + 1;
    return at + 1;
  }

  private take(fields: string[], raw: string | undefined): void {
    if (!this.header) {
      this.header = fields;
      this.picked = this.pick?.(fields);
      if (this.picked) {
        this.slotOf = new Int32Array(fields.length).fill(-1);
        this.picked.forEach((field, slot) => (this.slotOf![field] = slot));
      }
      return;
    }
    if (fields.length !== this.header.length) throw this.fieldCount(fields.length);
    const cells: Row = fields;
    for (let f = 0; f < cells.length; f++) if (cells[f] === '') cells[f] = null;
    if (this.picked) {
      // With a pick, `raw` always holds the record with minimal quoting, so it can be copied.
      this.rows.push(this.picked.map((f) => cells[f]));
      this.raw.push(raw ?? formatCsvLine(cells));
      return;
    }
    this.rows.push(cells);
    this.raw.push(raw);
  }

  /** The fast path with a pick: walks the commas, slicing only the fields kept. */
  private takePicked(line: string, raw: string | undefined): void {
    const slotOf = this.slotOf!;
    const row: Row = new Array(this.picked!.length);
    let field = 0;
    let from = 0;
    for (;;) {
      const comma = line.indexOf(',', from);
      const end = comma < 0 ? line.length : comma;
      if (field < slotOf.length) {
        const slot = slotOf[field];
        if (slot >= 0) row[slot] = end > from ? line.slice(from, end) : null;
      }
      field++;
      if (comma < 0) break;
      from = comma + 1;
    }
    if (field !== slotOf.length) throw this.fieldCount(field);
    this.rows.push(row);
    this.raw.push(raw ?? formatCsvLine(line.split(',').map((cell) => (cell === '' ? null : cell))));
  }

  private fieldCount(found: number): DataError {
    return this.error('E_CSV_FIELD_COUNT', `at line ${this.line} has ${found} fields, unlike the header (${this.header!.length})`, 'fix that row: every row needs as many fields as the header (quote fields that contain commas)');
  }

  private error(code: string, message: string, hint: string): DataError {
    return new DataError(code, `${this.path} ${message}`, { hint });
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) count++;
  return count;
}

function invalidUtf8(path: string, offset: number): DataError {
  return new DataError('E_INVALID_UTF8', `${path} is not valid UTF-8 (in the bytes before offset ${offset})`, { hint: 're-save the file as UTF-8' });
}
