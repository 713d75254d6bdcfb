import { isUtf8 } from 'node:buffer';
import { formatCsvLine } from './csv-writer.js';
import { DataError, openInputFile } from './errors.js';
import { UnclosedQuoteError, recordEnd, tokenizeRecords } from './csv-tokenizer.js';
import { firstInvalidUtf8, pandasColumnNames } from './pandas-csv-reader.js';

/**
 * The byte-level CSV scanner on the hot path of preprocess, check_data and segregate. It finds
 * records and field boundaries in the raw bytes in one loop and hands them to the caller without
 * making a string per cell: with a string parser, per-cell strings were preprocess's largest
 * cost (parsing and GC).
 * Records with a quote take the slow path: their text goes through the tokenizer that follows
 * pandas' (csv-tokenizer.ts), so both follow one set of rules.
 *
 * It reads tables whose layout can be copied as it is: every row with the header's number of
 * fields, records ending in LF or CRLF, no NUL byte and no line of only spaces. Anything else
 * (which pandas reads its own way: short rows padded, an implicit index, CR line ends) is an
 * `E_CSV_IRREGULAR` DataError, on which callers turn to canonicalizeTable.
 */
export const IRREGULAR = 'E_CSV_IRREGULAR';

export interface ByteRecord {
  /** The record as CSV text without its line end (the original bytes, or minimally re-quoted). */
  line: Buffer;
  lineStart: number;
  lineEnd: number;
  /**
   * Where the record's own bytes are in the file, without its line end: `line` may hold them
   * re-quoted (a record with quotes), and a caller that reads the file again needs the original.
   */
  fileStart: number;
  fileEnd: number;
  /** Each field's unquoted content is `fields[fieldStart[f] .. fieldEnd[f])`; empty is null. */
  fields: Buffer;
  fieldStart: Int32Array;
  fieldEnd: Int32Array;
  /** 1-based line number of the record's first line, for messages. */
  lineNumber: number;
  /**
   * The record was plain (no quotes, no CR inside): its fields are slices of its line and hold
   * no comma, quote or line break, so they can be copied into CSV output as they are.
   */
  plain: boolean;
}

export interface ByteCsvHandlers {
  header(columns: string[]): void;
  /** Called synchronously for each data record; the record's buffers are reused afterwards. */
  record(record: ByteRecord): void;
  /** After each read, with the bytes read so far. */
  progress?(bytesRead: number): void;
}

export interface ByteCsvOptions {
  /** Read size; tests use tiny reads to split records and characters everywhere. */
  chunkBytes?: number;
  /**
   * Only the first N fields of plain records are located (0: none, just the lines); the rest of
   * the line is skipped with a native search. For files mldp wrote itself, whose field counts
   * are known to be right: plain records are then not checked for their number of fields.
   */
  leadingFields?: number | ((columns: string[]) => number);
}

const LF = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;

export async function scanCsvBytes(path: string, handlers: ByteCsvHandlers, options: ByteCsvOptions = {}): Promise<{ rows: number; bytes: number }> {
  const chunk = options.chunkBytes ?? 1 << 20;
  const handle = await openInputFile(path);
  const scanner = new Scanner(path, handlers, options.leadingFields);
  let buf = Buffer.allocUnsafe(Math.max(chunk * 2, 64));
  let length = 0;
  let bytesRead = 0;
  // The next chunk is read (on libuv's thread pool) while this one is scanned: waiting for each
  // read left the main thread idle for a noticeable part of each pass.
  const incoming = Buffer.allocUnsafe(chunk);
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(incoming, 0, chunk, null);
  try {
    for (;;) {
      const { bytesRead: n } = await pending!;
      pending = undefined;
      if (buf.length - length < n) {
        // A record longer than the buffer: grow it.
        const grown = Buffer.allocUnsafe(Math.max(buf.length * 2, length + chunk));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      incoming.copy(buf, length, 0, n);
      bytesRead += n;
      length += n;
      const eof = n === 0;
      if (!eof) pending = handle.read(incoming, 0, chunk, null);
      const consumed = scanner.scan(buf, length, eof, bytesRead);
      handlers.progress?.(bytesRead);
      if (eof) break;
      buf.copy(buf, 0, consumed, length);
      length -= consumed;
    }
  } finally {
    // A read still under way must finish before the file is closed.
    await pending?.catch(() => undefined);
    await handle.close();
  }
  if (!scanner.columns) throw new DataError('E_EMPTY_FILE', `${path} is empty: it has no header row`, { hint: 'check that the right file was given' });
  return { rows: scanner.rows, bytes: bytesRead };
}

class Scanner {
  columns: string[] | undefined;
  rows = 0;
  private line = 1;
  private atStart = true;
  /** The file offset of the buffer being scanned, for messages that point at bytes. */
  private bufferOffset = 0;
  private width = 0;
  private fieldStart = new Int32Array(64);
  private fieldEnd = new Int32Array(64);
  private readonly record: ByteRecord;

  private leadingFields: number | undefined;
  /** Where the next quote is at or after the scan position (-1: none in the buffer). */
  private nextQuote = -1;
  /** The file offset of the buffer's first byte. */
  private base = 0;

  constructor(
    private readonly path: string,
    private readonly handlers: ByteCsvHandlers,
    private readonly leadingFieldsOf?: number | ((columns: string[]) => number),
  ) {
    this.record = { line: Buffer.alloc(0), lineStart: 0, lineEnd: 0, fileStart: 0, fileEnd: 0, fields: Buffer.alloc(0), fieldStart: this.fieldStart, fieldEnd: this.fieldEnd, lineNumber: 0, plain: true };
  }

  /** Handles every complete record in `buf[0, length)`; returns the bytes consumed. */
  scan(buf: Buffer, length: number, eof: boolean, bytesRead: number): number {
    this.bufferOffset = bytesRead - length;
    let i = 0;
    if (this.atStart) {
      if (length < 3 && !eof) return 0;
      this.atStart = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    }
    const start = i;
    const record = this.record;
    this.nextQuote = -1;
    this.base = bytesRead - length;
    // A plain Uint8Array view: indexing it measured faster than indexing the Buffer.
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, length);
    while (i < length) {
      if (!this.columns) {
        const next = this.slowRecord(buf, i, length, eof);
        if (next < 0) break;
        i = next;
        continue;
      }
      if (this.leadingFields !== undefined) {
        const next = this.partialRecord(buf, bytes, i, length, eof);
        if (next < 0) break;
        i = next;
        continue;
      }
      // The fast path: one loop over the bytes, noting commas, up to the line end. Most bytes
      // (digits, letters, '.', '-') are above ',' and cost one comparison.
      const recordStart = i;
      let fields = 0;
      let starts = this.fieldStart;
      let ends = this.fieldEnd;
      starts[0] = i;
      let c = 0;
      for (; i < length; i++) {
        c = bytes[i];
        if (c > COMMA) continue;
        if (c === COMMA) {
          if (fields + 1 >= starts.length) {
            this.growFields();
            starts = this.fieldStart;
            ends = this.fieldEnd;
          }
          ends[fields++] = i;
          starts[fields] = i + 1;
        } else if (c === LF || c === QUOTE || c === CR || c === 0) break;
      }
      if (c === 0 && i < length) throw this.irregular('holds a NUL byte');
      if (c === QUOTE || (c === CR && !(i + 1 < length && buf[i + 1] === LF))) {
        if (c === CR && i + 1 >= length && !eof) {
          i = recordStart;
          break;
        }
        const next = this.slowRecord(buf, recordStart, length, eof);
        if (next < 0) {
          i = recordStart;
          break;
        }
        i = next;
        continue;
      }
      if (i === length && !eof) {
        i = recordStart;
        break;
      }
      // i is at LF, at the CR of CRLF, or at the end of the file.
      const lineEnd = i;
      this.fieldEnd[fields] = lineEnd;
      i = c === CR ? i + 2 : i + 1;
      if (lineEnd === recordStart) {
        this.line++;
        continue; // an empty line
      }
      if (fields + 1 !== this.width) throw this.irregular(`has ${fields + 1} fields where the header has ${this.width}`);
      if (this.width === 1 && isBlank(bytes, recordStart, lineEnd)) throw this.irregular('holds only spaces');
      record.line = buf;
      record.fields = buf;
      record.plain = true;
      record.lineStart = recordStart;
      record.lineEnd = lineEnd;
      record.fileStart = this.base + recordStart;
      record.fileEnd = this.base + lineEnd;
      record.lineNumber = this.line++;
      this.rows++;
      this.handlers.record(record);
    }
    const consumed = Math.min(i, length);
    if (!isUtf8(buf.subarray(start, consumed))) {
      const offset = bytesRead - length + start + firstInvalidUtf8(buf.subarray(start, consumed));
      throw new DataError('E_INVALID_UTF8', `${this.path} is not valid UTF-8 at byte offset ${offset}`, { hint: 're-save the file as UTF-8' });
    }
    return consumed;
  }

  /**
   * A plain record of which only the leading fields are located: commas up to them, then a
   * native search for the line end. Returns the index after it, or -1 when more bytes are needed.
   */
  private partialRecord(buf: Buffer, bytes: Uint8Array, from: number, length: number, eof: boolean): number {
    // The buffer holds stale bytes past `length`: matches there do not count.
    let newline = buf.indexOf(LF, from);
    if (newline >= length) newline = -1;
    if (newline < 0 && !eof) return -1;
    let lineEnd = newline < 0 ? length : newline;
    if (this.nextQuote < from && this.nextQuote !== -2) {
      const quote = buf.indexOf(QUOTE, from);
      this.nextQuote = quote < 0 || quote >= length ? -2 : quote; // -2: none up to the end of the data
    }
    if (this.nextQuote >= 0 && this.nextQuote < lineEnd) {
      if (this.leadingFields === 0) return this.quotedLine(buf, from, length, eof);
      return this.leadingBeforeQuote(buf, bytes, from, length, eof) ?? this.slowRecord(buf, from, length, eof);
    }
    if (lineEnd > from && bytes[lineEnd - 1] === CR) lineEnd--;
    if (lineEnd === from) {
      this.line++;
      return (newline < 0 ? length : newline) + 1;
    }
    const starts = this.fieldStart;
    const ends = this.fieldEnd;
    const wanted = Math.min(this.leadingFields!, this.width);
    let field = 0;
    starts[0] = from;
    for (let i = from; i < lineEnd && field < wanted; i++) {
      if (bytes[i] === COMMA) {
        ends[field++] = i;
        starts[field] = i + 1;
      }
    }
    if (field < wanted) ends[field] = lineEnd;
    const record = this.record;
    record.line = buf;
    record.fields = buf;
    record.plain = true;
    record.lineStart = from;
    record.lineEnd = lineEnd;
    record.fileStart = this.base + from;
    record.fileEnd = this.base + lineEnd;
    record.lineNumber = this.line++;
    this.rows++;
    this.handlers.record(record);
    return (newline < 0 ? length : newline) + 1;
  }

  /**
   * A record whose first quote comes after the leading fields (in the songs data, quotes are in
   * the trailing text columns): those fields are plain slices of the line, and the record's end
   * is found from the quote on. Undefined when a quote comes sooner: the record is parsed in full.
   * The slow path for such records was a noticeable cost in segregate and check_data.
   */
  private leadingBeforeQuote(buf: Buffer, bytes: Uint8Array, from: number, length: number, eof: boolean): number | undefined {
    const starts = this.fieldStart;
    const ends = this.fieldEnd;
    const wanted = Math.min(this.leadingFields!, this.width);
    const quote = this.nextQuote;
    let field = 0;
    starts[0] = from;
    let i = from;
    for (; i < quote && field < wanted; i++) {
      if (bytes[i] === COMMA) {
        ends[field++] = i;
        starts[field] = i + 1;
      }
    }
    // The last wanted field must end (at a comma) before the quote.
    if (field < wanted) return undefined;
    return this.quotedLine(buf, from, length, eof);
  }

  /**
   * A quoted record passed on as its bytes (with the fields located so far), to be parsed by the
   * caller (parseQuotedLine).
   */
  private quotedLine(buf: Buffer, from: number, length: number, eof: boolean): number {
    const { end, newlines, strayCr } = recordEnd(buf, from, length);
    if (end === length && !eof) return -1;
    if (strayCr) throw this.irregular('ends a line with a CR alone');
    const record = this.record;
    record.line = buf;
    record.fields = buf;
    record.plain = false;
    record.lineStart = from;
    record.lineEnd = end > from && buf[end - 1] === CR ? end - 1 : end;
    record.fileStart = this.base + from;
    record.fileEnd = this.base + record.lineEnd;
    record.lineNumber = this.line;
    this.line += newlines + 1;
    this.rows++;
    this.handlers.record(record);
    return end + 1;
  }

  /**
   * A record with quotes (or the header): finds its end outside quotes, then parses its text
   * with the string parser. Returns the index after it, or -1 when more bytes are needed.
   */
  private slowRecord(buf: Buffer, from: number, length: number, eof: boolean): number {
    const { end, newlines, strayCr } = recordEnd(buf, from, length);
    if (end === length && !eof) return -1;
    if (!isUtf8(buf.subarray(from, end))) {
      const offset = this.bufferOffset + from + firstInvalidUtf8(buf.subarray(from, end));
      throw new DataError('E_INVALID_UTF8', `${this.path} is not valid UTF-8 at byte offset ${offset} (line ${this.line})`, { hint: 're-save the file as UTF-8' });
    }
    if (strayCr) throw this.irregular('ends a line with a CR alone');
    const lineEnd = end > from && buf[end - 1] === CR ? end - 1 : end;
    if (this.columns && this.readQuotedRecord(buf, from, lineEnd, newlines)) return end + 1;
    const records = this.tokenize(buf, from, lineEnd, eof && end === length);
    const lineNumber = this.line;
    this.line += newlines + 1;
    if (records.length > 1) throw this.irregular('holds a CR that ends a record');
    const fields = records[0];
    if (!fields) return end + 1; // a line of only spaces
    if (!this.columns) {
      this.columns = pandasColumnNames(fields);
      this.width = this.columns.length;
      while (this.fieldStart.length <= this.width) this.growFields();
      this.handlers.header(this.columns);
      const leading = this.leadingFieldsOf;
      this.leadingFields = typeof leading === 'function' ? leading(this.columns) : leading;
    } else {
      if (fields.length !== this.width) throw this.irregular(`has ${fields.length} fields where the header has ${this.width}`);
      this.record.fileStart = this.base + from;
      this.record.fileEnd = this.base + lineEnd;
      this.emitParsed(fields.map((cell) => (cell === '' ? null : cell)), undefined, lineNumber);
    }
    return end + 1;
  }

  /** A data record that unquoteMinimalRecord reads, handed on with its line as it is; false if it cannot. */
  private readQuotedRecord(buf: Buffer, from: number, lineEnd: number, newlines: number): boolean {
    const record = this.record;
    // A record with a field too many or too few: the tokenizer's path reports it.
    if (unquoteMinimalRecord(record, buf, from, lineEnd, this.width + 1) !== this.width) return false;
    record.line = buf;
    record.lineStart = from;
    record.lineEnd = lineEnd;
    record.fileStart = this.base + from;
    record.fileEnd = this.base + lineEnd;
    record.lineNumber = this.line;
    this.line += newlines + 1;
    this.rows++;
    this.handlers.record(record);
    return true;
  }

  private emitParsed(cells: ReadonlyArray<string | null>, raw: string | undefined, lineNumber: number): void {
    layOutCells(this.record, cells, raw);
    this.record.lineNumber = lineNumber;
    this.rows++;
    this.handlers.record(this.record);
  }

  private growFields(): void {
    const start = new Int32Array(this.fieldStart.length * 2);
    const end = new Int32Array(this.fieldStart.length * 2);
    start.set(this.fieldStart);
    end.set(this.fieldEnd);
    this.fieldStart = this.record.fieldStart = start;
    this.fieldEnd = this.record.fieldEnd = end;
  }

  /** The records of a slow record's bytes; an unclosed quote is an error only at the end of the file. */
  private tokenize(buf: Buffer, from: number, to: number, atEnd: boolean): string[][] {
    try {
      return tokenizeRecords(buf, from, to);
    } catch (error) {
      if (!(error instanceof UnclosedQuoteError) || !atEnd) throw error;
      throw new DataError('E_CSV_UNCLOSED_QUOTE', `${this.path} has a quoted field that is never closed, from line ${this.line}`, {
        hint: 'close the quote, or double any quote inside a quoted field ("")',
      });
    }
  }

  private irregular(what: string): DataError {
    return new DataError(IRREGULAR, `${this.path} at line ${this.line} ${what}`, { hint: 'read it as pandas would (canonicalizeTable)' });
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 32 && bytes[i] !== 9) return false;
  return true;
}

/**
 * Lays text cells out in `record`: its line minimally quoted (or `raw`, when it is already the
 * record's CSV text), its fields' unquoted bytes in a buffer of their own. Not plain.
 */
export function layOutCells(record: ByteRecord, cells: ReadonlyArray<string | null>, raw?: string): ByteRecord {
  record.line = Buffer.from(raw ?? formatCsvLine(cells));
  record.lineStart = 0;
  record.lineEnd = record.line.length;
  const encoded = cells.map((cell) => Buffer.from(cell ?? ''));
  record.fields = Buffer.concat(encoded);
  let at = 0;
  for (let f = 0; f < encoded.length; f++) {
    record.fieldStart[f] = at;
    at += encoded[f].length;
    record.fieldEnd[f] = at;
  }
  record.plain = false;
  return record;
}

/**
 * Locates fields `first..last` of a plain record scanned with `leadingFields: 0`, from the nearer
 * end of its line: a plain line holds no quotes, so each comma ends a field. Its number of fields
 * is not checked here: the caller reads the file in full elsewhere (preprocess's profile pass).
 */
export function locatePlainFields(record: ByteRecord, first: number, last: number, width: number): void {
  const { line, fieldStart: starts, fieldEnd: ends } = record;
  if (first >= width - 1 - last) {
    let field = width - 1;
    ends[field] = record.lineEnd;
    for (let i = record.lineEnd - 1; i >= record.lineStart && field >= first; i--) {
      if (line[i] === COMMA) {
        starts[field--] = i + 1;
        ends[field] = i;
      }
    }
    if (field >= 0 && field >= first) starts[field] = record.lineStart;
    return;
  }
  let field = 0;
  starts[0] = record.lineStart;
  for (let i = record.lineStart; i < record.lineEnd && field < last + 1; i++) {
    if (line[i] === COMMA) {
      ends[field++] = i;
      starts[field] = i + 1;
    }
  }
  if (field <= last) ends[field] = record.lineEnd;
}

/**
 * Parses a record that `leadingFields: 0` passed on as its line (one with quotes) into its cells,
 * laid out by layOutCells: its line becomes the minimally quoted text, as pandas would write it.
 */
export function parseQuotedLine(record: ByteRecord): ByteRecord {
  if (unquoteMinimalRecord(record, record.line, record.lineStart, record.lineEnd, record.fieldStart.length) > 0) return record;
  // The scanner found the record's end by the tokenizer's rules, so it holds one record.
  const [fields] = tokenizeRecords(record.line, record.lineStart, record.lineEnd);
  return layOutCells(record, fields.map((cell) => (cell === '' ? null : cell)));
}

/** The unquoted fields of records read by unquoteMinimalRecord, reused from record to record. */
let unquoted = Buffer.allocUnsafe(1 << 12);

/**
 * The common quoted record, read from its bytes: each field either plain or wholly quoted
 * (`""` standing for a quote), and quoted exactly where pandas' to_csv quotes (the field holds a
 * comma, a quote or a line break), so that its line is already the minimally quoted text
 * layOutCells would make. Its fields' unquoted bytes go to a buffer of their own; the line stays
 * where it is. Returns the number of fields, or 0, having changed nothing that counts, for anything else (text after a
 * closing quote, a quote inside a plain field, CR, NUL, a single column, more fields than
 * `maxFields`): the tokenizer reads those. Making a string of every field of these records was
 * a large share of the quoted records' cost, in every step that reads CSV.
 */
function unquoteMinimalRecord(record: ByteRecord, bytes: Uint8Array, start: number, end: number, maxFields: number): number {
  if (unquoted.length < end - start) unquoted = Buffer.allocUnsafe(Math.max(unquoted.length * 2, end - start));
  const out = unquoted;
  const starts = record.fieldStart;
  const ends = record.fieldEnd;
  let field = 0;
  let at = 0;
  let i = start;
  for (;;) {
    if (field >= maxFields) return 0;
    starts[field] = at;
    if (i < end && bytes[i] === QUOTE) {
      let needsQuotes = false;
      i++;
      for (;;) {
        if (i >= end) return 0; // unclosed
        const c = bytes[i];
        if (c === QUOTE) {
          if (i + 1 < end && bytes[i + 1] === QUOTE) {
            out[at++] = QUOTE;
            needsQuotes = true;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === CR || c === 0) return 0;
        if (c === COMMA || c === LF) needsQuotes = true;
        out[at++] = c;
        i++;
      }
      if (!needsQuotes || (i < end && bytes[i] !== COMMA)) return 0;
    } else {
      for (; i < end; i++) {
        const c = bytes[i];
        if (c > COMMA) {
          out[at++] = c;
          continue;
        }
        if (c === COMMA) break;
        if (c === QUOTE || c === CR || c === LF || c === 0) return 0;
        out[at++] = c;
      }
    }
    ends[field++] = at;
    if (i >= end) break;
    i++; // the comma
  }
  if (field < 2) return 0;
  record.fields = out;
  record.plain = false;
  return field;
}
