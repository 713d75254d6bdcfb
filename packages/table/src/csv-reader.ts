import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { DataError } from './errors.js';
import type { Row } from './types.js';

const BATCH_ROWS = 4096;

export interface CsvReadState {
  bytesRead: number;
}

/**
 * Streams a CSV file as batches of rows (empty field -> null), header first. Bytes are decoded
 * with a fatal UTF-8 decoder (invalid UTF-8 is an error, not silently replaced); csv-parse
 * handles quotes, embedded separators and newlines, CRLF, and the BOM.
 */
export async function* readCsvBatches(path: string, state: CsvReadState): AsyncGenerator<Row[] | { header: string[] }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const decode = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        state.bytesRead = offset;
        callback(null, text);
      } catch {
        callback(invalidUtf8(path, offset));
      }
    },
    flush(callback) {
      try {
        callback(null, decoder.decode());
      } catch {
        callback(invalidUtf8(path, offset));
      }
    },
  });
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false });
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  source.on('error', (error) => decode.destroy(error));
  decode.on('error', (error) => parser.destroy(error));
  source.pipe(decode).pipe(parser);

  let header: string[] | undefined;
  let batch: Row[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record;
        yield { header };
        continue;
      }
      const row: Row = new Array(record.length);
      for (let i = 0; i < record.length; i++) row[i] = record[i] === '' ? null : record[i];
      batch.push(row);
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw toDataError(path, error);
  } finally {
    source.destroy();
  }
  if (!header) throw new DataError('E_EMPTY_FILE', `${path} is empty: it has no header row`, { hint: 'check that the right file was given' });
  if (batch.length) yield batch;
}

function invalidUtf8(path: string, offset: number): DataError {
  return new DataError('E_INVALID_UTF8', `${path} is not valid UTF-8 (in the bytes before offset ${offset})`, {
    hint: 're-save the file as UTF-8',
  });
}

function toDataError(path: string, error: unknown): Error {
  if (error instanceof DataError) return error;
  const code = (error as { code?: string }).code;
  const line = (error as { lines?: number }).lines;
  const where = line ? ` at line ${line}` : '';
  switch (code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH': {
      const record = (error as { record?: unknown[] }).record;
      return new DataError('E_CSV_FIELD_COUNT', `${path}${where} has ${record?.length ?? 'a different number of'} fields, unlike the header`, {
        hint: 'fix that row: every row needs as many fields as the header (quote fields that contain commas)',
      });
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DataError('E_CSV_UNCLOSED_QUOTE', `${path} has a quoted field that is never closed${where}`, {
        hint: 'close the quote, or double any quote inside a quoted field ("")',
      });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return new DataError('E_CSV_QUOTE', `${path} has a misplaced quote${where}`, {
        hint: 'quote the whole field and double any quote inside it ("")',
      });
    case 'ENOENT':
      return new DataError('E_FILE_MISSING', `${path} does not exist`, { hint: 'check the path' });
    default:
      if (code?.startsWith('CSV_')) return new DataError('E_CSV', `${path}${where} is not valid CSV: ${(error as Error).message}`);
      return error as Error;
  }
}
