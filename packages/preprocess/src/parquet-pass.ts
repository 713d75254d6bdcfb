import { join } from 'node:path';
import type { Reporter } from '@mldp/store';
import { type ByteRecord, type EncodedColumn, type ParquetGroup, RunningStats, cellText, layOutCells, openTable } from '@mldp/table';
import { type BytePassLayout, type BytePassResult, DeduplicatingSink } from './byte-pass.js';
import type { ColumnProfile } from './column-profile.js';

/**
 * The one-pass case for Parquet: mldp formats each value as pandas would write it (so the text
 * is canonical by construction), lays each row out as CSV bytes, and feeds the same sink as CSV.
 * Statistics come from counting each column's entries, not from each cell.
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
  const declaredTypes = reader.declaredTypes!;
  const sink = new DeduplicatingSink(join(workDir, artifactName), layout, width, { declaredTypes });
  const profile = new EntryCounts(width);
  const rows = new ColumnRows(width);
  try {
    for await (const group of reader.columnGroups!()) {
      rows.load(group);
      profile.add(group);
      for (let r = 0; r < group.rows; r++) sink.takeLocated(rows.row(r));
      reporter.progress('preprocess', reader.bytesRead(), reader.sizeBytes, 'bytes');
    }
    reporter.endProgress();
  } catch (error) {
    sink.abandon();
    throw error;
  }
  return sink.finish(profile);
}

/**
 * Every row's nulls and numbers, from how often each entry of a column occurs: a column holds far
 * fewer distinct numbers than cells, and counting them replaced pushing 15M numbers one by one.
 */
class EntryCounts implements ColumnProfile {
  readonly stats: RunningStats[];
  readonly nulls: number[];

  constructor(width: number) {
    this.stats = Array.from({ length: width }, () => new RunningStats());
    this.nulls = new Array<number>(width).fill(0);
  }

  add(group: ParquetGroup): void {
    for (const [c, { codes, values, ends }] of group.columns.entries()) {
      const counts = new Uint32Array(ends.length);
      let nulls = 0;
      for (let r = 0; r < codes.length; r++) {
        if (codes[r] < 0) nulls++;
        else counts[codes[r]]++;
      }
      this.nulls[c] += nulls;
      if (values) for (let e = 0; e < counts.length; e++) this.stats[c].pushRepeated(values[e], counts[e]);
    }
  }
}

/**
 * A row group's cells laid out as CSV records without a string per row: each column comes
 * encoded (its entries' bytes, and each row's entry), and a record is assembled by copying its
 * cells' bytes. Building a line string per row, writing it and finding its commas again took
 * ~4 s of GC and copying on 1M rows. A row with a cell that needs quotes (rare) is laid out from
 * its texts instead.
 */
class ColumnRows {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private readonly record: ByteRecord;
  private columns: EncodedColumn[] = [];
  private quoted = new Uint8Array(0);
  private lineNumber = 0;

  constructor(private readonly width: number) {
    this.record = { line: this.buffer, lineStart: 0, lineEnd: 0, fields: this.buffer, fieldStart: new Int32Array(width + 1), fieldEnd: new Int32Array(width + 1), lineNumber: 0, plain: true };
  }

  load(group: ParquetGroup): void {
    this.columns = group.columns;
    this.quoted = new Uint8Array(group.rows);
    // Room for the longest row: the longest entry of each column, and the commas.
    let longest = this.width;
    for (const { codes, ends, quoted } of this.columns) {
      if (quoted) for (let r = 0; r < group.rows; r++) if (codes[r] >= 0 && quoted[codes[r]]) this.quoted[r] = 1;
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
    if (this.quoted[r] || this.width === 1) return layOutCells(record, this.columns.map((column) => cellText(column, r)));
    const buffer = this.buffer;
    let at = 0;
    for (let c = 0; c < this.width; c++) {
      const { bytes, ends, codes } = this.columns[c];
      if (c > 0) buffer[at++] = 0x2c;
      record.fieldStart[c] = at;
      const entry = codes[r];
      if (entry >= 0) for (let i = entry > 0 ? ends[entry - 1] : 0; i < ends[entry]; i++) buffer[at++] = bytes[i];
      record.fieldEnd[c] = at;
    }
    record.line = record.fields = buffer;
    record.lineStart = 0;
    record.lineEnd = at;
    record.plain = true;
    return record;
  }
}
