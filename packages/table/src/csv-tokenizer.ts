/**
 * pandas' C tokenizer (pandas/_libs/src/parser/tokenizer.c, `tokenize_bytes` and
 * `parser_handle_eof`) with read_csv's defaults: `,` separates fields, a `"` opens a quoted field
 * only at the start of a field (elsewhere it is an ordinary character), `""` inside quotes is a
 * quote, text after a closing quote joins the field, records end at LF, CR or CRLF, and lines that
 * are empty or hold only spaces and tabs are skipped. It works on bytes (every special character
 * is ASCII) and hands each record's fields over as text.
 */

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const SPACE = 32;
const TAB = 9;

const START_RECORD = 0;
const START_FIELD = 1;
const IN_FIELD = 2;
const IN_QUOTED_FIELD = 3;
const QUOTE_IN_QUOTED_FIELD = 4;
const EAT_CRNL = 5;
const EAT_CRNL_NOP = 6;
const WHITESPACE_LINE = 7;

export interface TokenizerEvents {
  /** A record's fields (a NUL byte ends a field's text, as a C string) and its first line (1-based). */
  record(fields: string[], line: number): void;
}

export class UnclosedQuoteError extends Error {
  constructor(readonly line: number) {
    super(`EOF inside a quoted field starting at line ${line}`);
  }
}

export class CsvTokenizer {
  private state = START_RECORD;
  private field = new Uint8Array(256);
  private fieldLength = 0;
  private fields: string[] = [];
  /** The spaces and tabs of a line that may turn out blank (WHITESPACE_LINE). */
  private blanks: number[] = [];
  private line = 1;
  private recordLine = 1;
  private lastWasCr = false;
  private head: number[] | undefined = [];

  constructor(private readonly events: TokenizerEvents) {}

  /** Tokenizes `bytes[start, end)`, a piece of the file following the previous one. */
  feed(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let i = start;
    // The file's first three bytes may be a UTF-8 BOM, which is skipped; they may come in pieces.
    while (this.head !== undefined && i < end) {
      this.head.push(bytes[i++]);
      if (this.head.length === 3) this.endHead();
    }
    while (i < end) {
      // The bytes of a field up to its next special character are copied in one go: most of a
      // file is field content, and stepping through it byte by byte was most of the time.
      if (this.state === IN_FIELD || this.state === IN_QUOTED_FIELD) {
        const quoted = this.state === IN_QUOTED_FIELD;
        let j = i;
        if (quoted) while (j < end && bytes[j] !== QUOTE) j++;
        else {
          for (; j < end; j++) {
            const c = bytes[j];
            if (c === COMMA || c === LF || c === CR) break;
          }
        }
        if (j > i) {
          if (quoted) this.countLines(bytes, i, j);
          else this.lastWasCr = false;
          this.pushRun(bytes, i, j);
          i = j;
          if (i === end) break;
        }
      }
      this.take(bytes[i++]);
    }
  }

  /** The end of the file. */
  finish(): void {
    if (this.head !== undefined) this.endHead();
    switch (this.state) {
      case IN_QUOTED_FIELD:
        throw new UnclosedQuoteError(this.recordLine);
      case IN_FIELD:
      case START_FIELD:
      case QUOTE_IN_QUOTED_FIELD:
        this.endField();
        this.endLine();
        break;
      case EAT_CRNL:
        this.endLine();
        break;
      default:
        break;
    }
  }

  private endHead(): void {
    const head = this.head!;
    this.head = undefined;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return;
    for (const c of head) this.take(c);
  }

  private take(c: number): void {
    this.step(c);
    this.countLine(c);
  }

  /** Counts physical lines: an LF, a CR, or a CRLF as one. */
  private countLine(c: number): void {
    if (c === LF) {
      if (!this.lastWasCr) this.line++;
      this.lastWasCr = false;
    } else if (c === CR) {
      this.line++;
      this.lastWasCr = true;
    } else this.lastWasCr = false;
  }

  private step(c: number): void {
    switch (this.state) {
      case START_RECORD:
        this.recordLine = this.line;
        if (c === LF) return;
        if (c === CR) {
          this.state = EAT_CRNL_NOP;
          return;
        }
        if (c === SPACE || c === TAB) {
          this.blanks.length = 0;
          this.blanks.push(c);
          this.state = WHITESPACE_LINE;
          return;
        }
        this.state = START_FIELD;
        return this.step(c);
      case WHITESPACE_LINE:
        if (c === LF) this.state = START_RECORD;
        else if (c === CR) this.state = EAT_CRNL_NOP;
        else if (c === SPACE || c === TAB) this.blanks.push(c);
        else {
          // Not a blank line after all: read it again from its start.
          this.state = START_FIELD;
          for (const blank of this.blanks) this.step(blank);
          this.step(c);
        }
        return;
      case EAT_CRNL_NOP:
        this.state = START_RECORD;
        // tokenizer.c drops a comma that follows a skipped line's CR.
        if (c !== LF && c !== COMMA) this.step(c);
        return;
      case START_FIELD:
        if (this.endsRecord(c)) return;
        if (c === QUOTE) this.state = IN_QUOTED_FIELD;
        else if (c === COMMA) this.endField();
        else {
          this.push(c);
          this.state = IN_FIELD;
        }
        return;
      case IN_FIELD:
        if (this.endsRecord(c)) return;
        if (c === COMMA) {
          this.endField();
          this.state = START_FIELD;
        } else this.push(c);
        return;
      case IN_QUOTED_FIELD:
        if (c === QUOTE) this.state = QUOTE_IN_QUOTED_FIELD;
        else this.push(c);
        return;
      case QUOTE_IN_QUOTED_FIELD:
        if (c === QUOTE) {
          this.push(c);
          this.state = IN_QUOTED_FIELD;
        } else if (c === COMMA) {
          this.endField();
          this.state = START_FIELD;
        } else if (c === LF) {
          this.endField();
          this.endLine();
        } else if (c === CR) {
          this.endField();
          this.state = EAT_CRNL;
        } else {
          this.push(c);
          this.state = IN_FIELD;
        }
        return;
      case EAT_CRNL:
        if (c === LF) this.endLine();
        else if (c === COMMA) {
          // A CR-terminated line followed by a comma: the comma ends the next record's first field.
          this.endLine();
          this.recordLine = this.line;
          this.endField();
          this.state = START_FIELD;
        } else {
          this.endLine();
          this.step(c);
        }
        return;
    }
  }

  private pushRun(bytes: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (this.fieldLength + length > this.field.length) {
      const grown = new Uint8Array(Math.max(this.field.length * 2, this.fieldLength + length));
      grown.set(this.field.subarray(0, this.fieldLength));
      this.field = grown;
    }
    this.field.set(bytes.subarray(from, to), this.fieldLength);
    this.fieldLength += length;
  }

  /** Line counting for bytes taken as a run (take() counts the others). */
  private countLines(bytes: Uint8Array, from: number, to: number): void {
    for (let k = from; k < to; k++) this.countLine(bytes[k]);
  }

  private push(c: number): void {
    if (this.fieldLength === this.field.length) {
      const grown = new Uint8Array(this.field.length * 2);
      grown.set(this.field);
      this.field = grown;
    }
    this.field[this.fieldLength++] = c;
  }

  /** A line break outside quotes ends the field and the record (a CR may be followed by its LF). */
  private endsRecord(c: number): boolean {
    if (c === LF) {
      this.endField();
      this.endLine();
      return true;
    }
    if (c === CR) {
      this.endField();
      this.state = EAT_CRNL;
      return true;
    }
    return false;
  }

  private endField(): void {
    let length = this.fieldLength;
    const nul = this.field.subarray(0, length).indexOf(0);
    if (nul >= 0) length = nul;
    this.fields.push(length === 0 ? '' : Buffer.from(this.field.buffer, 0, length).toString('utf8'));
    this.fieldLength = 0;
  }

  private endLine(): void {
    const fields = this.fields;
    this.fields = [];
    this.state = START_RECORD;
    this.events.record(fields, this.recordLine);
  }
}

/** The records of a complete piece of CSV text (a record or a few), by the tokenizer's rules. */
export function tokenizeRecords(bytes: Uint8Array, start: number, end: number): string[][] {
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer({ record: (fields) => records.push(fields) });
  tokenizer.feed(bytes, start, end);
  tokenizer.finish();
  return records;
}

/**
 * Where the record starting at `from` ends by the tokenizer's rules: the LF that ends it outside
 * quotes (or `length`), the LFs inside it, and whether a CR outside quotes ends a line other than
 * as CRLF (a record the byte scanner does not copy through).
 */
export function recordEnd(bytes: Uint8Array, from: number, length: number): { end: number; newlines: number; strayCr: boolean } {
  let newlines = 0;
  let strayCr = false;
  let atFieldStart = true;
  let quoted = false;
  let i = from;
  for (; i < length; i++) {
    const c = bytes[i];
    if (quoted) {
      if (c === QUOTE) {
        // A doubled quote stays inside; any other character after a quote closes it.
        if (i + 1 < length && bytes[i + 1] === QUOTE) i++;
        else quoted = false;
      } else if (c === LF) newlines++;
      continue;
    }
    if (c === LF) break;
    if (c === COMMA) atFieldStart = true;
    else {
      if (c === QUOTE && atFieldStart) quoted = true;
      else if (c === CR && !(i + 1 < length && bytes[i + 1] === LF)) strayCr = true;
      atFieldStart = false;
    }
  }
  return { end: i, newlines, strayCr };
}
