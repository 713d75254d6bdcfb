import { CsvTokenizer, UnclosedQuoteError } from './csv-tokenizer.js';
import { DataError, openInputFile } from './errors.js';
import type { Cell } from './types.js';
import { plural } from '@mldp/runtime';

/**
 * Reads a CSV file's records as pandas.read_csv(path) lays them out (pandas 1.5.3, the C
 * parser): the first record is the header; a first data row with more fields than the header
 * makes its leading fields the index (an "implicit index", dropped by to_csv(index=False)); a
 * shorter row is padded with nulls; a row longer than the first is an error, as are an unclosed
 * quote, invalid UTF-8 and a file without a header.
 */
export interface PandasCsvHandlers {
  /**
   * The column names (pandas': empty ones `Unnamed: i`, repeats `a.1`, `a.2`) and the table's
   * width in fields, index included, which sets pandas' chunk size (see chunkRowsFor). Called
   * once, before the first row.
   */
  header(columns: string[], width: number): void;
  /** A data row's cells (null for an empty field, or a missing one), without the index. */
  row(cells: Cell[], line: number): void;
  /** After each read, with the bytes read so far. */
  progress?(bytesRead: number): void;
}

const READ_BYTES = 1 << 20;
const BATCH_ROWS = 4096;

export async function readCsvAsPandas(path: string, handlers: PandasCsvHandlers): Promise<{ rows: number }> {
  let rows = 0;
  for await (const item of pandasCsvBatches(path, handlers.progress)) {
    if ('columns' in item) handlers.header(item.columns, item.width);
    else {
      for (let r = 0; r < item.rows.length; r++) handlers.row(item.rows[r], item.lines[r]);
      rows += item.rows.length;
    }
  }
  return { rows };
}

export type PandasCsvItem = { columns: string[]; width: number } | { rows: Cell[][]; lines: number[] };

/** The same as a generator: the header first, then the rows in batches of a few thousand. */
export async function* pandasCsvBatches(path: string, progress?: (bytesRead: number) => void): AsyncGenerator<PandasCsvItem> {
  const pending: PandasCsvItem[] = [];
  let batch: { rows: Cell[][]; lines: number[] } = { rows: [], lines: [] };
  const layout = new RowLayout(path, {
    header: (columns, width) => pending.push({ columns, width }),
    row: (cells, line) => {
      batch.rows.push(cells);
      batch.lines.push(line);
      if (batch.rows.length === BATCH_ROWS) {
        pending.push(batch);
        batch = { rows: [], lines: [] };
      }
    },
  });
  const tokenizer = new CsvTokenizer({ record: (fields, line) => layout.record(fields, line) });
  const validator = new Utf8Validator(path);
  const handle = await openInputFile(path);
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let bytesRead = 0;
    for (;;) {
      const { bytesRead: n } = await handle.read(buffer, 0, READ_BYTES, null);
      if (n === 0) break;
      validator.check(buffer, n, bytesRead);
      tokenizer.feed(buffer, 0, n);
      bytesRead += n;
      progress?.(bytesRead);
      yield* pending.splice(0);
    }
    validator.finish(bytesRead);
    tokenizer.finish();
    layout.finish();
    if (batch.rows.length) pending.push(batch);
    yield* pending.splice(0);
  } catch (error) {
    if (error instanceof UnclosedQuoteError) {
      throw new DataError('E_CSV_UNCLOSED_QUOTE', `${path} has a quoted field that is never closed, from line ${error.line}`, {
        hint: 'close the quote, or double any quote inside a quoted field ("")',
      });
    }
    throw error;
  } finally {
    await handle.close();
  }
}

/** The header, the index columns, padding and field-count errors (tokenizer.c `end_line`, parsers.pyx `_get_header`). */
class RowLayout {
  rows = 0;
  private header: string[] | undefined;
  private width = 0;
  private leading = 0;

  constructor(
    private readonly path: string,
    private readonly handlers: PandasCsvHandlers,
  ) {}

  record(fields: string[], line: number): void {
    if (!this.header) {
      this.header = fields;
      return;
    }
    if (this.width === 0) this.start(fields.length);
    else if (fields.length > this.width) {
      throw new DataError('E_CSV_FIELD_COUNT', `${this.path} at line ${line} has ${plural(fields.length, 'field')}, more than the ${this.width} of the rows before it`, {
        hint: 'fix that row: quote fields that contain commas, or remove the extra fields',
      });
    }
    const cells: Cell[] = new Array(this.width - this.leading);
    for (let f = this.leading; f < this.width; f++) {
      const text = f < fields.length ? fields[f] : '';
      cells[f - this.leading] = text === '' ? null : text;
    }
    this.rows++;
    this.handlers.row(cells, line);
  }

  finish(): void {
    if (!this.header) throw new DataError('E_EMPTY_FILE', `${this.path} has no columns: it is empty or holds only blank lines`, { hint: 'check that the right file was given' });
    if (this.width === 0) this.start(this.header.length);
  }

  private start(firstRowFields: number): void {
    const header = this.header!;
    this.width = Math.max(header.length, firstRowFields);
    this.leading = this.width - header.length;
    this.handlers.header(pandasColumnNames(header), this.width);
  }
}

/**
 * Column names as pandas makes them from a header (parsers.pyx `_get_header`): an empty name is
 * `Unnamed: i`; a repeated name gets `.1`, `.2`, ... (skipping names the header holds by then),
 * the named columns first, then the unnamed ones.
 */
export function pandasColumnNames(header: readonly string[]): string[] {
  const names = header.map((name, i) => (name === '' ? `Unnamed: ${i}` : name));
  const unnamed = header.flatMap((name, i) => (name === '' ? [i] : []));
  const order = [...names.keys()].filter((i) => header[i] !== '').concat(unnamed);
  const counts = new Map<string, number>();
  for (const i of order) {
    const original = names[i];
    let name = original;
    let count = counts.get(name) ?? 0;
    if (count > 0) {
      while (count > 0) {
        counts.set(original, count + 1);
        name = `${original}.${count}`;
        if (names.includes(name)) count++;
        else count = counts.get(name) ?? 0;
      }
    }
    names[i] = name;
    counts.set(name, count + 1);
  }
  return names;
}

/** Checks a file's bytes are UTF-8 as they are read, naming the offset of the first bad byte. */
class Utf8Validator {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The start of a character that the last read cut off and the decoder holds for the next one. */
  private held: Uint8Array = new Uint8Array(0);

  constructor(private readonly path: string) {}

  check(buffer: Buffer, length: number, offset: number): void {
    const bytes = buffer.subarray(0, length);
    try {
      this.decoder.decode(bytes, { stream: true });
    } catch {
      throw this.error(offset - this.held.length + firstInvalidUtf8(Buffer.concat([this.held, bytes])));
    }
    // A character has at most 4 bytes: 3 bytes tell what is held, from this read alone unless it is shorter. Copied: the buffer is reused.
    const recent = length >= 3 ? bytes : Buffer.concat([this.held, bytes]);
    this.held = Uint8Array.from(recent.subarray(recent.length - unfinishedUtf8Tail(recent)));
  }

  finish(offset: number): void {
    try {
      this.decoder.decode();
    } catch {
      throw this.error(offset - this.held.length);
    }
  }

  private error(offset: number): DataError {
    return new DataError('E_INVALID_UTF8', `${this.path} is not valid UTF-8: the bytes at offset ${offset} are not`, { hint: 're-save the file as UTF-8' });
  }
}

/** How many bytes at the end of `bytes` begin a character that later bytes must finish (0 to 3). */
function unfinishedUtf8Tail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/**
 * The offset of the first byte that cannot belong to valid UTF-8 in `bytes` (a sequence cut at
 * the end counts as valid). Only called once a decoder has refused the bytes.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return bytes.length;
      const next = bytes[i + k];
      if (next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}
