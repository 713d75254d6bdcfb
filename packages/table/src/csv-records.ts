import { type ByteCsvHandlers, type ByteRecord, locatePlainFields, parseQuotedLine, scanCsvBytes } from './byte-csv.js';

/** What a reader of CSV records needs of each record. */
export interface CsvRecordReading {
  /**
   * The columns whose fields the caller reads, given the header (indexes, any order): only those
   * are located in each record. Without it every field is located and every record's number of
   * fields is checked; with it a plain record's is not, so choose columns only for a file mldp
   * wrote as pandas writes CSV (canonicalTypesOf), whose layout is known to be right. No columns
   * (`() => []`): only each record's line, for a caller that locates fields itself
   * (locatePlainFields, parseQuotedLine), say for the few lines it keeps.
   */
  columns?: (header: string[]) => number[];
  /** Each record's `line[lineStart..lineEnd)` is its text as pandas writes it: a record with quotes is re-quoted minimally. */
  pandasLines?: boolean;
  /** Read size; tests use tiny reads to split records and characters everywhere. */
  chunkBytes?: number;
}

/**
 * The CSV record reader that preprocess, check_data and segregate share: one pass over the file's
 * bytes that hands each record (synchronously; its buffers are reused afterwards) with its byte
 * span in the file (`fileStart`..`fileEnd`, without the line end) and the chosen columns' fields
 * as unquoted bytes (`fields[fieldStart[c]..fieldEnd[c])`, empty for null), without a string per
 * cell. A table it cannot read this way is an `E_CSV_IRREGULAR` DataError (see byte-csv.ts), on
 * which callers read it as pandas would (canonicalizeTable).
 */
export function readCsvRecords(path: string, handlers: ByteCsvHandlers, reading: CsvRecordReading = {}): Promise<{ rows: number; bytes: number }> {
  const { columns: choose, pandasLines = false, chunkBytes } = reading;
  // Read in full, a record with quotes is parsed, and its line is then as pandas writes it.
  if (!choose) return scanCsvBytes(path, handlers, { chunkBytes });
  let leadingFields = 0;
  let record: (r: ByteRecord) => void = handlers.record;
  return scanCsvBytes(
    path,
    {
      header(header) {
        handlers.header(header);
        ({ leadingFields, record } = plan(choose(header), header.length, pandasLines, handlers.record));
      },
      record: (r) => record(r),
      progress: handlers.progress,
    },
    { chunkBytes, leadingFields: () => leadingFields },
  );
}

/**
 * How to locate the chosen fields: by the scanner up to the last of them when they lead the line
 * (a quote after them then costs no parse); else the scanner finds only the lines, and each
 * plain line's fields are located from its nearer end (a quoted one is parsed).
 */
function plan(chosen: number[], width: number, pandasLines: boolean, deliver: (r: ByteRecord) => void): { leadingFields: number; record: (r: ByteRecord) => void } {
  if (chosen.length === 0) return { leadingFields: 0, record: pandasLines ? (r) => deliver(r.plain ? r : parseQuotedLine(r)) : deliver };
  const first = Math.min(...chosen);
  const last = Math.max(...chosen);
  if (first < width - 1 - last) {
    return { leadingFields: last + 1, record: pandasLines ? (r) => deliver(r.plain ? r : parseQuotedLine(r)) : deliver };
  }
  return {
    leadingFields: 0,
    record: (r) => {
      if (r.plain) locatePlainFields(r, first, last, width);
      else parseQuotedLine(r);
      deliver(r);
    },
  };
}
