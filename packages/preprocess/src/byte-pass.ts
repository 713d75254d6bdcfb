import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import {
  type ByteRecord,
  ByteLineWriter,
  type CellBytesScan,
  type ColumnCounts,
  type ColumnType,
  DataError,
  ExactDeduplicator,
  IRREGULAR,
  RunningStats,
  type TableCounts,
  TableStats,
  formatCsvField,
  formatCsvLine,
  hashBytes,
  isNumberScan,
  locatePlainFields,
  parseQuotedLine,
  readCsvRecords,
  scanCellBytes,
} from '@mldp/table';
import { type BackgroundProfile, type ColumnProfile, profileInBackground } from './column-profile.js';
import { DuplicateCounts } from './duplicate-counts.js';
import { ProfileCounters } from './profile-counters.js';

export interface BytePassResult {
  rowsIn: number;
  rowsOut: number;
  stats: TableStats;
  outputPath: string;
  /** The output's sha256, computed while writing it. */
  sha256: string;
  /** The output's counts, where the profile counted them. */
  counts?: TableCounts;
}

export interface BytePassLayout {
  /** Indexes of the columns the text feature joins. */
  textIndexes: number[];
  outColumns: string[];
}

/**
 * The one-pass preprocess on bytes: each record's bytes are hashed, checked against the rows kept
 * so far (read back from the output on a hash hit, so a collision never drops a distinct row),
 * and copied to the output with the text feature appended. Column statistics come from a
 * profile of every row (another thread's, for CSV; counts of each column's entries, for
 * Parquet), with the duplicates' cells, read here, taken out. The same output as the
 * string-based pass, at a fraction of its time (bench/RESULTS.md): no string per cell.
 */
export class DeduplicatingSink {
  private readonly writer: ByteLineWriter;
  // Each kept line starts with the record's bytes followed by a comma (the feature comes after).
  private readonly dedup: ExactDeduplicator;
  /** The duplicates' numbers and nulls, to take out of the profile. */
  private readonly numeric: RunningStats[];
  private readonly nulls: number[];
  private readonly duplicates: DuplicateCounts;
  /** CSV: the counts of the trailing columns, made here from the kept rows (see MAIN_COUNTED_SHARE). */
  private readonly keptCounts?: ProfileCounters;
  private readonly isNumeric: boolean[];
  private readonly scan: CellBytesScan = { flags: 0, value: Number.NaN };
  /** The fields a CSV line is searched for: the text feature's, and those counted here. */
  private readonly firstLocated: number;
  private readonly lastLocated: number;
  /** Plain CSV lines waiting to be taken (queueLine), and the record they are taken through. */
  private readonly queue = { line: Buffer.alloc(0) as Buffer, start: new Int32Array(LINE_QUEUE), end: new Int32Array(LINE_QUEUE), hash: new Float64Array(LINE_QUEUE), count: 0 };
  private readonly replay: ByteRecord;
  /** What the lookahead read (kept, so that the reads are not optimised away). */
  private touched = 0;
  rowsIn = 0;
  rowsOut = 0;

  /**
   * `source`: a CSV file, whose records come as lines (`takeLine`), or the column types a
   * Parquet file declares, whose records come laid out (`takeLocated`).
   */
  constructor(
    readonly outputPath: string,
    private readonly layout: BytePassLayout,
    private readonly width: number,
    private readonly source: { path: string; columns: string[] } | { declaredTypes: ColumnType[] },
    expectedRows = 0,
  ) {
    this.writer = new ByteLineWriter(outputPath);
    this.dedup = new ExactDeduplicator((offset, length) => this.writer.readBack(offset, length), [0x2c], expectedRows);
    this.numeric = Array.from({ length: width }, () => new RunningStats());
    this.nulls = new Array<number>(layout.outColumns.length).fill(0);
    this.duplicates = new DuplicateCounts(width);
    const types = 'declaredTypes' in source ? source.declaredTypes : undefined;
    // A CSV profile holds numbers for every column whose cells may be numeric: all are read.
    this.isNumeric = Array.from({ length: width }, (_, c) => !types || types[c] === 'int' || types[c] === 'float');
    if (!types) this.keptCounts = new ProfileCounters(width, mainCountsFrom(width), width);
    this.firstLocated = Math.min(...layout.textIndexes, this.keptCounts?.from ?? width);
    this.lastLocated = Math.max(...layout.textIndexes, this.keptCounts ? width - 1 : 0);
    this.writer.appendText(formatCsvLine(layout.outColumns));
    this.writer.endLine();
    const fieldArrays = () => new Int32Array(width + 1);
    this.replay = { line: Buffer.alloc(0), lineStart: 0, lineEnd: 0, fileStart: 0, fileEnd: 0, fields: Buffer.alloc(0), fieldStart: fieldArrays(), fieldEnd: fieldArrays(), lineNumber: 0, plain: true };
  }

  /**
   * A record as a line (a CSV file's, scanned with `leadingFields: 0`, or a plain one laid out
   * from Parquet): only its text fields are located, and a duplicate's all.
   */
  takeLine(record: ByteRecord): void {
    const plain = record.plain;
    if (!plain) parseQuotedLine(record);
    else locatePlainFields(record, this.firstLocated, this.lastLocated, this.width);
    this.rowsIn++;
    if (this.keepIfNew(record)) return;
    if (plain) locatePlainFields(record, 0, this.width - 1, this.width);
    this.takeOut(record);
  }

  /**
   * A CSV record, as `takeLine`, but a plain one waits in a queue of the scanned buffer's lines,
   * taken when it is full, at a record that is not plain, or at `takeQueued` (which the caller
   * calls before the scanner reuses its buffer): the queue's hashes are looked up together first.
   */
  queueLine(record: ByteRecord): void {
    const queue = this.queue;
    if (!record.plain || (queue.count > 0 && record.line !== queue.line)) {
      this.takeQueued();
      if (!record.plain) {
        this.takeLine(record);
        return;
      }
    }
    const at = queue.count++;
    queue.line = record.line;
    queue.start[at] = record.lineStart;
    queue.end[at] = record.lineEnd;
    queue.hash[at] = hashBytes(record.line, record.lineStart, record.lineEnd);
    if (queue.count === queue.hash.length) this.takeQueued();
  }

  /** Takes the queued lines (see queueLine), in order. */
  takeQueued(): void {
    const queue = this.queue;
    if (queue.count === 0) return;
    this.touched ^= this.dedup.touch(queue.hash, queue.count);
    const record = this.replay;
    record.line = record.fields = queue.line;
    for (let k = 0; k < queue.count; k++) {
      record.lineStart = queue.start[k];
      record.lineEnd = queue.end[k];
      locatePlainFields(record, this.firstLocated, this.lastLocated, this.width);
      this.rowsIn++;
      if (this.keepIfNew(record, queue.hash[k])) continue;
      locatePlainFields(record, 0, this.width - 1, this.width);
      this.takeOut(record);
    }
    queue.count = 0;
  }

  /** A record whose fields are located already (laid out from Parquet). */
  takeLocated(record: ByteRecord): void {
    this.rowsIn++;
    if (!this.keepIfNew(record)) this.takeOut(record);
  }

  /** A duplicate's cells, to take out of the profile. */
  private takeOut({ fields, fieldStart, fieldEnd }: ByteRecord): void {
    for (let c = 0; c < this.width; c++) {
      const start = fieldStart[c];
      const end = fieldEnd[c];
      if (start === end) {
        this.nulls[c]++;
        this.duplicates.takeNull(c);
      } else if (!this.isNumeric[c]) this.duplicates.takeText(c, fields, start, end);
      else {
        const scan = scanCellBytes(fields, start, end, this.scan);
        this.numeric[c].push(scan.value);
        if (isNumberScan(scan)) this.duplicates.takeNumber(c, scan.value, fields, start, end);
        else this.duplicates.takeText(c, fields, start, end);
      }
    }
  }

  /** Writes the record with its text feature unless an identical one was kept before; true if written. */
  private keepIfNew(record: ByteRecord, hash = hashBytes(record.line, record.lineStart, record.lineEnd)): boolean {
    const line = record.line;
    if (this.dedup.hasBytes(line, record.lineStart, record.lineEnd, hash)) return false;
    const offset = this.writer.offset;
    this.writer.append(line, record.lineStart, record.lineEnd);
    this.writer.appendByte(0x2c);
    this.appendFeature(record);
    this.writer.endLine();
    this.dedup.remember('', offset, hash);
    if (this.keptCounts) this.countKept(record);
    this.rowsOut++;
    return true;
  }

  private countKept({ fields, fieldStart, fieldEnd }: ByteRecord): void {
    const counts = this.keptCounts!;
    for (let c = counts.from; c < this.width; c++) counts.countCell(c, fields, fieldStart[c], fieldEnd[c], this.scan);
    if ((this.rowsOut & 8191) === 0) counts.enforceBudget();
  }

  /**
   * The result, or undefined (the output abandoned) when some cell's text is not what pandas
   * writes. `profile` covers every row; the duplicates are taken out of it.
   */
  finish(profile: ColumnProfile): BytePassResult | undefined {
    this.takeQueued();
    const trackers = profile.trackers;
    if (trackers && !trackers.every((t) => t.textIsCanonical)) {
      this.writer.abandon();
      return undefined;
    }
    for (let c = 0; c < this.width; c++) {
      this.numeric[c] = profile.stats[c].without(this.numeric[c]);
      this.nulls[c] = profile.nulls[c] - this.nulls[c];
    }
    this.writer.close();
    const types: ColumnType[] = [...('declaredTypes' in this.source ? this.source.declaredTypes : trackers!.map((t) => t.type)), 'string'];
    return {
      rowsIn: this.rowsIn,
      rowsOut: this.rowsOut,
      stats: TableStats.fromParts(this.layout.outColumns, types, this.nulls, this.numeric),
      outputPath: this.outputPath,
      sha256: this.writer.sha256,
      counts: profile.numbers && profile.labels && this.countsOf(profile as Required<ColumnProfile>, types),
    };
  }

  /** The output's counts: the profile's, less the duplicates'. The text feature's are not counted. */
  private countsOf(profile: Required<ColumnProfile>, types: ColumnType[]): TableCounts {
    const kept = this.keptCounts?.finish(types);
    const columns = this.layout.outColumns.map((name, c): ColumnCounts => {
      if (c >= this.width) return { name, type: types[c], nulls: this.nulls[c] };
      if (!kept || c < this.keptCounts!.from) return this.duplicates.subtractFrom(profile, c, name, types[c], this.nulls[c]);
      const [numbers, labels] = [kept.numbers[c], kept.labels[c]];
      return { name, type: types[c], nulls: this.nulls[c], ...(numbers ? { numbers } : {}), ...(labels ? { labels } : {}) };
    });
    return { rows: this.rowsOut, columns };
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
  let profile: BackgroundProfile | undefined;
  try {
    await readCsvRecords(inputPath, {
      header: (columns) => {
        const layout = layoutOf(columns);
        if (!layout) {
          unfit = true;
          throw new StopPass();
        }
        profile = profileInBackground(inputPath, mainCountsFrom(columns.length));
        // ~100 bytes a row is typical of such tables; a wrong guess only costs a regrowth.
        sink = new DeduplicatingSink(join(workDir, artifactName), layout, columns.length, { path: inputPath, columns }, sizeBytes / 100);
      },
      record: (record) => sink!.queueLine(record),
      // After each buffer scanned, before the scanner reuses it.
      progress: (bytes) => {
        sink?.takeQueued();
        reporter.progress('preprocess', bytes, sizeBytes, 'bytes');
      },
    }, { columns: () => [] }); // only the lines: the sink locates the fields it needs itself, in batches
    reporter.endProgress();
    return sink!.finish(await profile!.result());
  } catch (error) {
    sink?.abandon();
    profile?.stop();
    // A layout the bytes cannot be copied from (short rows, CR line ends...): the general path reads it.
    if (unfit || (error instanceof DataError && error.code === IRREGULAR)) return undefined;
    throw error;
  }
}

/**
 * The share of a CSV table's columns (the trailing ones) whose numbers and labels the main thread
 * counts from the rows it keeps, the profiling thread the rest: counting all in the profiling
 * thread left the main one waiting for it. The main thread finds these fields
 * from the line's end, where the text feature's columns usually are.
 */
const MAIN_COUNTED_SHARE = 0.4;

/** Lines whose lookups are started together (DeduplicatingSink#queueLine): their first slots stay in the cache until probed. */
const LINE_QUEUE = 256;

function mainCountsFrom(width: number): number {
  return width - Math.round(width * MAIN_COUNTED_SHARE);
}

/** The file cannot take this pass (the feature column exists already). */
class StopPass extends Error {}
