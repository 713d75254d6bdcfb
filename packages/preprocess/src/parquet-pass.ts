import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import { type ByteRecord, type ColumnType, type GroupLines, type ParquetGroup, RunningStats, layOutCells, openTable } from '@mldp/table';
import { type BytePassLayout, type BytePassResult, DeduplicatingSink } from './byte-pass.js';
import type { ColumnProfile } from './column-profile.js';
import { ProfileCounters } from './profile-counters.js';

/**
 * The one-pass case for Parquet: mldp formats each value as pandas would write it (so the text
 * is canonical by construction), the reader lays rows out as CSV lines in worker threads, and
 * they feed the same sink as a CSV file's lines.
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
  const sink = new DeduplicatingSink(join(workDir, artifactName), layout, width, { declaredTypes: reader.declaredTypes! }, reader.rowCount);
  const profile: ColumnProfile = { stats: reader.columns.map(() => new RunningStats()), nulls: reader.columns.map(() => 0) };
  const counters = new ProfileCounters(width);
  let negativeZero = false;
  const record: ByteRecord = { line: Buffer.alloc(0), lineStart: 0, lineEnd: 0, fileStart: 0, fileEnd: 0, fields: Buffer.alloc(0), fieldStart: new Int32Array(width + 1), fieldEnd: new Int32Array(width + 1), lineNumber: 0, plain: true };
  try {
    for await (const slice of reader.lineGroups!()) {
      // A row group's statistics come with its first slice of lines.
      for (let c = 0; c < slice.stats.length; c++) {
        profile.stats[c].merge(slice.stats[c]);
        profile.nulls[c] += slice.nulls[c];
      }
      if (slice.group) {
        counters.addGroup(slice.group, reader.declaredTypes!);
        negativeZero ||= holdsNegativeZero(slice.group, reader.declaredTypes!);
      }
      for (let r = 0; r < slice.rows; r++) {
        record.lineNumber++;
        const cells = slice.cells.get(r);
        if (cells) {
          sink.takeLocated(layOutCells(record, cells));
          continue;
        }
        record.line = record.fields = slice.lines;
        record.lineStart = slice.lineStarts[r];
        record.lineEnd = slice.lineStarts[r + 1];
        record.plain = true;
        sink.takeLine(record);
      }
      reporter.progress('preprocess', reader.bytesRead(), reader.sizeBytes, 'bytes');
    }
    reporter.endProgress();
  } catch (error) {
    sink.abandon();
    throw error;
  }
  if (negativeZero) {
    // pandas counts -0.0 and 0.0 as duplicates, which equal lines cannot tell: the general path compares values.
    sink.abandon();
    return undefined;
  }
  return sink.finish({ ...profile, ...counters.finish(reader.declaredTypes!) });
}

function holdsNegativeZero({ columns }: ParquetGroup, types: ColumnType[]): boolean {
  return columns.some((column, c) => types[c] === 'float' && column.values?.some((value) => value === 0 && Object.is(value, -0)));
}
