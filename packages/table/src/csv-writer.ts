import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { Cell } from './types.js';

// Python's csv module quotes a field holding the delimiter, the quote or a character of the line
// terminator, which is '\n' for to_csv: a lone CR is written as it is. pandas cannot read such a
// file back as written (a CR ends a record for its reader), so mldp's own intermediate copies
// quote CRs too (`quoteCr`), and lines copied from them into output are re-quoted.
const NEEDS_QUOTES = /[",\n]/;
const NEEDS_QUOTES_OR_CR = /[",\n\r]/;

/** One field with minimal quoting, as Python's csv.QUOTE_MINIMAL (and so pandas) writes it. */
export function formatCsvField(cell: Cell, quoteCr = false): string {
  if (cell === null) return '';
  return (quoteCr ? NEEDS_QUOTES_OR_CR : NEEDS_QUOTES).test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** One record, without the line end. A lone empty field is quoted so the line is not blank. */
export function formatCsvLine(cells: readonly Cell[], quoteCr = false): string {
  if (cells.length === 1 && (cells[0] === null || cells[0] === '')) return '""';
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += formatCsvField(cells[i], quoteCr);
  }
  return line;
}

const FLUSH_BYTES = 1 << 20;

/**
 * The file a writer fills: closed once, since closing twice would close whatever file reused
 * the descriptor (and an EBADF would hide the first error).
 */
class OutputFile {
  readonly fd: number;
  closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  /** Writes what `flush` still holds, syncs and closes; a no-op once closed. */
  close(flush: () => void): void {
    if (this.closed) return;
    try {
      flush();
      fsyncSync(this.fd);
    } catch (error) {
      throw withPath(error, this.path);
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }

  /** Closes without flushing, for a failed write whose file will be removed; a no-op once closed. */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * Writes `\n`-terminated CSV lines through a ~1 MB buffer with synchronous writes (measured
 * faster than a stream for this many small lines), tracking each line's byte offset so a
 * written line can be read back (the exact check behind hash-based dedup).
 */
export class CsvFileWriter {
  private readonly file: OutputFile;
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushedBytes = 0;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly quoteCr = false,
  ) {
    this.file = new OutputFile(path);
  }

  /** Bytes written so far, including the buffer: the offset of the next line. */
  get offset(): number {
    return this.flushedBytes + this.pendingBytes;
  }

  writeHeader(columns: readonly string[]): void {
    this.writeLine(formatCsvLine(columns, this.quoteCr));
  }

  writeRow(cells: readonly Cell[]): void {
    this.writeLine(formatCsvLine(cells, this.quoteCr));
    this.rows++;
  }

  /** Writes a line (without its `\n`); returns its byte offset. */
  writeLine(line: string): number {
    const at = this.offset;
    this.pending.push(line, '\n');
    this.pendingBytes += Buffer.byteLength(line) + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return at;
  }

  /** Reads `length` bytes written earlier at `offset`. */
  readBack(offset: number, length: number): Buffer {
    if (offset + length > this.flushedBytes) this.flush();
    return readAt(this.file.fd, offset, length);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''));
    let written = 0;
    try {
      while (written < data.length) written += writeSync(this.file.fd, data, written, data.length - written, this.flushedBytes + written);
    } catch (error) {
      throw withPath(error, this.path);
    }
    this.flushedBytes += data.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.file.close(() => this.flush());
  }

  /** Closes without flushing, for a failed write whose file will be removed; a no-op once closed. */
  abandon(): void {
    this.file.abandon();
  }
}

/**
 * Writes lines assembled from byte ranges and strings straight into a ~1 MB buffer (no
 * intermediate strings), with the byte offset of each line for read-back, like CsvFileWriter.
 */
export class ByteLineWriter {
  private readonly file: OutputFile;
  private readonly hash = createHash('sha256');
  private buffer = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  private used = 0;
  private flushedBytes = 0;

  constructor(
    readonly path: string,
    private readonly quoteCr = false,
  ) {
    this.file = new OutputFile(path);
  }

  /** The offset at which the next line starts. */
  get offset(): number {
    return this.flushedBytes + this.used;
  }

  append(bytes: Buffer, start: number, end: number): void {
    this.reserve(end - start);
    if (end - start > 48) {
      // Buffer#copy, not set(subarray()): no view object per call (measured faster).
      this.used += bytes.copy(this.buffer, this.used, start, end);
      return;
    }
    // Short ranges (fields) copy faster in a loop than through a native call.
    const target = this.buffer;
    let at = this.used;
    for (let i = start; i < end; i++) target[at++] = bytes[i];
    this.used = at;
  }

  appendText(text: string): void {
    this.reserve(text.length * 3);
    this.used += this.buffer.write(text, this.used);
  }

  appendByte(byte: number): void {
    this.reserve(1);
    this.buffer[this.used++] = byte;
  }

  /** Ends the current line with \n, flushing when the buffer is full. */
  endLine(): void {
    this.appendByte(10);
    if (this.used >= FLUSH_BYTES) this.flush();
  }

  /**
   * The bytes written at `offset`, valid until the next write. Bytes still in the buffer are
   * returned from it: duplicates are often near their first copy, and flushing for each of them
   * (a small write and a read per duplicate) was a large cost of preprocess.
   */
  readBack(offset: number, length: number): Buffer {
    if (offset >= this.flushedBytes) {
      const start = offset - this.flushedBytes;
      return this.buffer.subarray(start, Math.min(start + length, this.used));
    }
    if (offset + length > this.flushedBytes) this.flush();
    if (this.readScratch.length < length) this.readScratch = Buffer.allocUnsafe(Math.max(length, 4096));
    return readAt(this.file.fd, offset, length, this.readScratch);
  }

  private readScratch = Buffer.alloc(0);

  /** The sha256 of everything written, once closed: the file is written front to back, so the store need not read it again. */
  get sha256(): string {
    return this.digest ?? '';
  }

  private digest: string | undefined;

  flush(): void {
    this.hash.update(this.buffer.subarray(0, this.used));
    let written = 0;
    try {
      while (written < this.used) written += writeSync(this.file.fd, this.buffer, written, this.used - written, this.flushedBytes + written);
    } catch (error) {
      throw withPath(error, this.path);
    }
    this.flushedBytes += this.used;
    this.used = 0;
  }

  close(): void {
    if (this.file.closed) return;
    this.file.close(() => this.flush());
    this.digest = this.hash.digest('hex');
  }

  /** A no-op once closed: see CsvFileWriter. */
  abandon(): void {
    this.file.abandon();
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }
}

/** A failed write(2) names no file: say which one, so the step's error can (ENOSPC, EIO, ...). */
function withPath(error: unknown, path: string): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (failure && typeof failure === 'object' && failure.code && !failure.path) failure.path = path;
  return error;
}

/** Up to `length` bytes of the file at `offset` (fewer at its end). */
function readAt(fd: number, offset: number, length: number, buffer = Buffer.allocUnsafe(length)): Buffer {
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, offset + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
