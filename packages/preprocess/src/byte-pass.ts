import { join } from 'node:path';
import type { Reporter } from '@mldp/store';
import {
  type ByteRecord,
  ByteLineWriter,
  type CellBytesScan,
  type ColumnType,
  type ParquetGroup,
  ExactDeduplicator,
  RunningStats,
  TableStats,
  TypeTracker,
  formatCsvField,
  formatCsvLine,
  hashBytes,
  layOutCells,
  locatePlainFields,
  openTable,
  parseQuotedLine,
  scanCellBytes,
  scanCsvBytes,
} from '@mldp/table';
import { type ColumnProfile, profileInBackground } from './column-profile.js';

export interface BytePassResult {
  rowsIn: number;
  rowsOut: number;
  stats: TableStats;
  outputPath: string;
  /** The output's sha256, computed while writing it. */
  sha256: string;
}

export interface BytePassLayout {
  /** Indexes of the columns the text feature joins. */
  textIndexes: number[];
  outColumns: string[];
}

/**
 * The one-pass preprocess on bytes: each record's bytes are hashed, checked against the rows kept
 * so far (read back from the output on a hash hit, so a collision never drops a distinct row),
 * and copied to the output with the text feature appended, while each cell's type and number are
 * read from its bytes. The same output as the string-based pass, which took 9.5 s on 1M CSV rows
 * where this takes about half (README, Performance).
 */
class DeduplicatingSink {
  private readonly writer: ByteLineWriter;
  // Each kept line starts with the record's bytes followed by a comma (the feature comes after).
  private readonly dedup: ExactDeduplicator;
  private readonly trackers: TypeTracker[] | undefined;
  private readonly numeric: RunningStats[];
  private readonly nulls: number[];
  private readonly isNumeric: boolean[];
  private readonly values: Float64Array;
  private readonly isNull: Uint8Array;
  private readonly scan: CellBytesScan = { kind: 'string', canonical: true, value: Number.NaN };
  /** The span of the text feature's columns, the fields a profiled record's line is searched for. */
  private readonly firstText: number;
  private readonly lastText: number;
  rowsIn = 0;
  rowsOut = 0;

  /**
   * `declaredTypes` (Parquet) replaces type tracking. `profiled`: another thread profiles every
   * row of that CSV file (column-profile.ts), so records come as lines (`leadingFields: 0`),
   * only the text fields are located, and only duplicates' cells are read, to be taken out of it.
   */
  constructor(
    readonly outputPath: string,
    private readonly layout: BytePassLayout,
    private readonly width: number,
    private readonly declaredTypes?: ColumnType[],
    private readonly profiled?: { path: string; columns: string[] },
    expectedRows = 0,
  ) {
    this.writer = new ByteLineWriter(outputPath);
    this.dedup = new ExactDeduplicator((offset, length) => this.writer.readBack(offset, length), [0x2c], expectedRows);
    this.trackers = declaredTypes || profiled ? undefined : Array.from({ length: width }, () => new TypeTracker());
    this.numeric = Array.from({ length: width }, () => new RunningStats());
    this.nulls = new Array<number>(layout.outColumns.length).fill(0);
    this.isNumeric = Array.from({ length: width }, (_, c) => declaredTypes?.[c] === 'int' || declaredTypes?.[c] === 'float');
    this.values = new Float64Array(width);
    this.isNull = new Uint8Array(width);
    this.firstText = Math.min(...layout.textIndexes);
    this.lastText = Math.max(...layout.textIndexes);
    this.writer.appendText(formatCsvLine(layout.outColumns));
    this.writer.endLine();
  }

  /** `numbers`: the cells' numbers where known (NaN: parse the cell's text). */
  take(record: ByteRecord, numbers?: Float64Array): void {
    if (this.profiled) return this.takeProfiled(record);
    const { fields, fieldStart, fieldEnd } = record;
    const row = this.rowsIn++;
    const { trackers, values, isNull, scan } = this;
    for (let c = 0; c < this.width; c++) {
      const start = fieldStart[c];
      const end = fieldEnd[c];
      if (start === end) {
        if (trackers) trackers[c].nulls++;
        isNull[c] = 1;
        continue;
      }
      isNull[c] = 0;
      if (trackers) {
        const tracker = trackers[c];
        if (tracker.isString) continue;
        scanCellBytes(fields, start, end, scan);
        tracker.observeKind(scan.kind, scan.canonical, row);
        values[c] = scan.value;
      } else if (this.isNumeric[c]) {
        const known = numbers ? numbers[c] : Number.NaN;
        values[c] = known === known ? known : scanCellBytes(fields, start, end, scan).value;
      }
    }
    if (!this.keepIfNew(record)) return;
    for (let c = 0; c < this.width; c++) {
      if (isNull[c]) this.nulls[c]++;
      else if (trackers ? trackers[c].mayBeNumeric : this.isNumeric[c]) this.numeric[c].push(values[c]);
    }
  }

  /** Copies a record unless it is a duplicate; a duplicate's cells go into the statistics to take out. */
  private takeProfiled(record: ByteRecord): void {
    this.rowsIn++;
    const plain = record.plain;
    if (!plain) parseQuotedLine(record, this.profiled!.path, this.profiled!.columns);
    else if (this.layout.textIndexes.length > 0) locatePlainFields(record, this.firstText, this.lastText, this.width);
    if (this.keepIfNew(record)) return;
    if (plain) locatePlainFields(record, 0, this.width - 1, this.width);
    const { fields, fieldStart, fieldEnd } = record;
    for (let c = 0; c < this.width; c++) {
      if (fieldStart[c] === fieldEnd[c]) this.nulls[c]++;
      else this.numeric[c].push(scanCellBytes(fields, fieldStart[c], fieldEnd[c], this.scan).value);
    }
  }

  /** Writes the record with its text feature unless an identical one was kept before; true if written. */
  private keepIfNew(record: ByteRecord): boolean {
    const line = record.line;
    const hash = hashBytes(line, record.lineStart, record.lineEnd);
    if (this.dedup.hasBytes(line, record.lineStart, record.lineEnd, hash)) return false;
    const offset = this.writer.offset;
    this.writer.append(line, record.lineStart, record.lineEnd);
    this.writer.appendByte(0x2c);
    this.appendFeature(record);
    this.writer.endLine();
    this.dedup.remember('', offset, hash);
    this.rowsOut++;
    return true;
  }

  /**
   * The result, or undefined (the output abandoned) when some cell's text is not what pandas
   * writes. With `profile` (see `profiled`), types come from it and duplicates are taken out of
   * its counts, which then hold the kept rows only.
   */
  finish(profile?: ColumnProfile): BytePassResult | undefined {
    const trackers = profile?.trackers ?? this.trackers;
    if (trackers && !trackers.every((t) => t.textIsCanonical)) {
      this.writer.abandon();
      return undefined;
    }
    if (profile) {
      for (let c = 0; c < this.width; c++) {
        this.numeric[c] = profile.stats[c].without(this.numeric[c]);
        this.nulls[c] = profile.nulls[c] - this.nulls[c];
      }
    }
    this.writer.close();
    const types: ColumnType[] = [...(this.declaredTypes ?? trackers!.map((t) => t.type)), 'string'];
    return {
      rowsIn: this.rowsIn,
      rowsOut: this.rowsOut,
      stats: TableStats.fromParts(this.layout.outColumns, types, this.nulls, this.numeric),
      outputPath: this.outputPath,
      sha256: this.writer.sha256,
    };
  }

  abandon(): void {
    this.writer.abandon();
  }

  /** The text feature: the text columns joined by a space, nulls as ''; quoted only where needed. */
  private appendFeature(record: ByteRecord): void {
    const { fields, fieldStart, fieldEnd } = record;
    const textIndexes = this.layout.textIndexes;
    if (record.plain) {
      // Fields of a plain record hold no comma, quote or line break: the feature needs no quotes.
      for (let t = 0; t < textIndexes.length; t++) {
        if (t) this.writer.appendByte(0x20);
        this.writer.append(fields, fieldStart[textIndexes[t]], fieldEnd[textIndexes[t]]);
      }
      return;
    }
    const text = textIndexes.map((i) => fields.toString('utf8', fieldStart[i], fieldEnd[i])).join(' ');
    this.writer.appendText(formatCsvField(text));
  }
}

/**
 * The one-pass case for CSV, straight from the file's bytes. Returns undefined, having written
 * nothing that stays, when the layout does not fit (undefined from `layoutOf`) or some cell's
 * text is not what pandas would write for its column's type: the caller then rewrites every cell.
 */
export async function deduplicateCsvBytes(
  inputPath: string,
  layoutOf: (columns: string[]) => BytePassLayout | undefined,
  artifactName: string,
  workDir: string,
  reporter: Reporter,
  sizeBytes: number,
): Promise<BytePassResult | undefined> {
  let sink: DeduplicatingSink | undefined;
  let unfit = false;
  let profile: (() => Promise<ColumnProfile>) | undefined;
  try {
    await scanCsvBytes(inputPath, {
      header: (columns) => {
        const layout = layoutOf(columns);
        if (!layout) {
          unfit = true;
          throw new StopPass();
        }
        profile = profileInBackground(inputPath);
        // ~100 bytes a row is typical of such tables; a wrong guess only costs a regrowth.
        sink = new DeduplicatingSink(join(workDir, artifactName), layout, columns.length, undefined, { path: inputPath, columns }, sizeBytes / 100);
      },
      record: (record) => sink!.take(record),
      progress: (bytes) => reporter.progress('preprocess', bytes, sizeBytes, 'bytes'),
    }, { leadingFields: 0 });
    reporter.endProgress();
    return sink!.finish(await profile!());
  } catch (error) {
    sink?.abandon();
    if (unfit) return undefined;
    throw error;
  }
}

/**
 * The one-pass case for Parquet: mldp formats each value as pandas would write it (so the text
 * is canonical by construction), lays each row out as CSV bytes, and feeds the same sink.
 */
export async function deduplicateParquetBytes(
  inputPath: string,
  layoutOf: (columns: string[]) => BytePassLayout | undefined,
  artifactName: string,
  workDir: string,
  reporter: Reporter,
): Promise<BytePassResult | undefined> {
  const reader = await openTable(inputPath);
  const layout = layoutOf(reader.columns);
  if (!layout) return undefined;
  const width = reader.columns.length;
  const sink = new DeduplicatingSink(join(workDir, artifactName), layout, width, reader.declaredTypes);
  const rows = new ColumnRows(width);
  try {
    for await (const group of reader.columnGroups!()) {
      rows.load(group);
      for (let r = 0; r < group.rows; r++) sink.take(rows.row(r), rows.numbers);
      reporter.progress('preprocess', reader.bytesRead(), reader.sizeBytes, 'bytes');
    }
    reporter.endProgress();
  } catch (error) {
    sink.abandon();
    throw error;
  }
  return sink.finish();
}

const NEEDS_QUOTES = /[",\n\r]/;

/**
 * A row group's cells laid out as CSV records without a string per row: each column's texts (or,
 * for numbers, its dictionary of distinct texts) are encoded once into one buffer, and a record
 * is assembled by copying its cells' bytes. Building a line string per row, writing it and
 * finding its commas again took ~4 s of GC and copying on 1M rows. A row with a cell that needs
 * quotes (rare) is laid out from its texts instead.
 */
class ColumnRows {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private readonly record: ByteRecord;
  /** Per column: its bytes, where each entry ends, and each row's entry (undefined: entry r is row r's cell). */
  private columns: Array<{ bytes: Buffer; ends: Int32Array; codes?: Int32Array; values?: Float64Array }> = [];
  /** The numbers of the last row's coded cells, NaN for other cells (whose text is parsed). */
  readonly numbers: Float64Array;
  private group: ParquetGroup | undefined;
  private quoted = new Uint8Array(0);
  private lineNumber = 0;

  constructor(private readonly width: number) {
    this.numbers = new Float64Array(width);
    this.record = { line: this.buffer, lineStart: 0, lineEnd: 0, fields: this.buffer, fieldStart: new Int32Array(width + 1), fieldEnd: new Int32Array(width + 1), lineNumber: 0, plain: true };
  }

  load(group: ParquetGroup): void {
    this.group = group;
    this.quoted = new Uint8Array(group.rows);
    this.columns = group.texts.map((texts, c) => {
      const codes = group.codes[c];
      if (codes) {
        // Numbers as mldp formats them: ASCII, never quoted. An empty cell is code -1.
        const { bytes, ends } = encodeTexts(group.dictionaries[c]!, undefined);
        return { bytes, ends, codes, values: group.dictionaryValues[c] };
      }
      return encodeTexts(texts!, this.quoted);
    });
    // Room for the longest row: the longest entry of each column, and the commas.
    let longest = this.width;
    for (const { ends } of this.columns) {
      let most = 0;
      for (let e = 0; e < ends.length; e++) most = Math.max(most, ends[e] - (e > 0 ? ends[e - 1] : 0));
      longest += most;
    }
    if (longest > this.buffer.length) this.buffer = Buffer.allocUnsafe(longest);
  }

  /** Row r of the loaded group as a record (valid until the next call). */
  row(r: number): ByteRecord {
    const record = this.record;
    record.lineNumber = ++this.lineNumber;
    if (this.quoted[r] || this.width === 1) {
      this.numbers.fill(Number.NaN);
      return layOutCells(record, this.cellsOf(r));
    }
    const buffer = this.buffer;
    let at = 0;
    for (let c = 0; c < this.width; c++) {
      const { bytes, ends, codes, values } = this.columns[c];
      if (c > 0) buffer[at++] = 0x2c;
      record.fieldStart[c] = at;
      const entry = codes ? codes[r] : r;
      this.numbers[c] = values && entry >= 0 ? values[entry] : Number.NaN;
      if (entry >= 0) for (let i = entry > 0 ? ends[entry - 1] : 0; i < ends[entry]; i++) buffer[at++] = bytes[i];
      record.fieldEnd[c] = at;
    }
    record.line = record.fields = buffer;
    record.lineStart = 0;
    record.lineEnd = at;
    record.plain = true;
    return record;
  }

  private cellsOf(r: number): Array<string | null> {
    const group = this.group!;
    return group.texts.map((texts, c) => {
      if (texts) return texts[r];
      const code = group.codes[c]![r];
      return code < 0 ? null : group.dictionaries[c]![code];
    });
  }
}

/** Texts encoded into one buffer, with where each ends; rows whose text needs quotes are marked in `quoted`. */
function encodeTexts(texts: Array<string | null>, quoted: Uint8Array | undefined): { bytes: Buffer; ends: Int32Array } {
  const ends = new Int32Array(texts.length);
  let at = 0;
  let ascii = true;
  for (let r = 0; r < texts.length; r++) {
    const text = texts[r];
    if (text !== null) {
      at += text.length;
      if (quoted) {
        if (NEEDS_QUOTES.test(text)) quoted[r] = 1;
        if (ascii && !isAscii(text)) ascii = false;
      }
    }
    ends[r] = at;
  }
  const joined = texts.join('');
  if (ascii) return { bytes: Buffer.from(joined, 'latin1'), ends };
  // Multi-byte characters: the ends count bytes, not UTF-16 units.
  at = 0;
  for (let r = 0; r < texts.length; r++) {
    const text = texts[r];
    if (text !== null) at += Buffer.byteLength(text);
    ends[r] = at;
  }
  return { bytes: Buffer.from(joined), ends };
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The file cannot take this pass (the feature column exists already). */
class StopPass extends Error {}
