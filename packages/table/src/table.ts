import { promises as fs } from 'node:fs';
import { extname } from 'node:path';
import { DataError } from './errors.js';
import { pandasCsvBatches } from './pandas-csv-reader.js';
import type { GroupLines } from './group-lines.js';
import type { ParquetGroup } from './parquet-reader.js';
import type { ColumnType, Row } from './types.js';
import { plural } from '@mldp/runtime';

export type TableFormat = 'csv' | 'parquet';

export interface TableReader {
  readonly path: string;
  readonly format: TableFormat;
  /** The columns each row holds, in order (the selection, when one was given). */
  readonly columns: string[];
  /** Every data column of the file. */
  readonly allColumns: string[];
  /** Types the file declares (Parquet); CSV types are inferred from the values. */
  readonly declaredTypes?: ColumnType[];
  readonly sizeBytes: number;
  /** How many data rows the file holds, where it says so (Parquet). */
  readonly rowCount?: number;
  bytesRead(): number;
  /**
   * The rows, in batches; a reader can be iterated once. CSV cells are the file's text as pandas'
   * tokenizer cuts it (null for an empty field): what pandas makes of them depends on the whole
   * column (canonicalizeTable).
   */
  batches(): AsyncGenerator<Row[]>;
  /**
   * Parquet only, instead of `batches`: the rows as CSV lines, a slice of a row group at a time,
   * with each column's statistics. The next row group is decoded in a worker thread meanwhile.
   */
  lineGroups?(): AsyncGenerator<GroupLines>;
  /** Parquet only, instead of `batches`: each row group's columns, encoded (encoded-column.ts). */
  columnGroups?(): AsyncGenerator<ParquetGroup>;
}

/** Parquet files start and end with `PAR1`; anything else is read by its extension (CSV by default). */
export async function detectFormat(path: string): Promise<TableFormat> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    throw new DataError('E_FILE_MISSING', `cannot open ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, { hint: 'check the path' });
  }
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead === 4 && magic.toString('latin1') === 'PAR1') return 'parquet';
    return extname(path).toLowerCase() === '.parquet' ? 'parquet' : 'csv';
  } finally {
    await handle.close();
  }
}

export interface OpenTableOptions {
  /** Read only these columns, in this order (Parquet decodes nothing else). */
  select?: string[];
}

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<TableReader> {
  const format = await detectFormat(path);
  const sizeBytes = (await fs.stat(path)).size;
  if (sizeBytes === 0) throw new DataError('E_EMPTY_FILE', `${path} is empty`, { hint: 'check that the right file was given' });
  return format === 'parquet' ? openParquetTable(path, sizeBytes, options) : openCsvTable(path, sizeBytes, options);
}

async function openCsvTable(path: string, sizeBytes: number, options: OpenTableOptions): Promise<TableReader> {
  const state = { bytesRead: 0 };
  const source = pandasCsvBatches(path, (bytes) => (state.bytesRead = bytes));
  const first = await source.next();
  if (first.done || !('columns' in first.value)) throw new DataError('E_EMPTY_FILE', `${path} has no header row`);
  const allColumns = first.value.columns;
  const picks = selection(path, allColumns, options.select);
  return {
    path,
    format: 'csv',
    columns: picks ? picks.map((i) => allColumns[i]) : allColumns,
    allColumns,
    sizeBytes,
    bytesRead: () => state.bytesRead,
    async *batches() {
      for await (const item of source) {
        if (!('rows' in item)) continue;
        yield picks ? item.rows.map((row) => picks.map((i) => row[i])) : item.rows;
      }
    },
  };
}

async function openParquetTable(path: string, sizeBytes: number, options: OpenTableOptions): Promise<TableReader> {
  // Loaded on demand: hyparquet slows the start of every step, most of which read CSV.
  const { openParquet, readParquetBatches, readParquetGroups } = await import('./parquet-reader.js');
  const { readGroupsInBackground } = await import('./parquet-background.js');
  const { layOutGroups, profileGroups } = await import('./group-lines.js');
  const layout = await openParquet(path);
  const allColumns = checkHeader(path, layout.columns);
  const picks = selection(path, allColumns, options.select) ?? allColumns.map((_, i) => i);
  const columns = picks.map((i) => allColumns[i]);
  const totalRows = layout.rowGroups.reduce((sum, group) => sum + group.rows, 0);
  let groupsDone = 0;
  return {
    path,
    format: 'parquet',
    columns,
    allColumns,
    declaredTypes: picks.map((i) => layout.types[i]),
    sizeBytes,
    rowCount: totalRows,
    // Parquet is read a row group at a time; progress advances by row groups.
    bytesRead: () => (totalRows ? Math.round((sizeBytes * layout.rowGroups.slice(0, groupsDone).reduce((s, g) => s + g.rows, 0)) / totalRows) : sizeBytes),
    batches: () => readParquetBatches(path, layout, columns, (done) => (groupsDone = done)),
    columnGroups: () => readParquetGroups(path, layout, columns, (done) => (groupsDone = done)),
    lineGroups: () =>
      layOutGroups(
        layout.rowGroups.length > 1
          ? readGroupsInBackground(path, columns, layout.rowGroups.length, (done) => (groupsDone = done))
          : profileGroups(readParquetGroups(path, layout, columns, (done) => (groupsDone = done))),
      ),
  };
}

function checkHeader(path: string, header: string[]): string[] {
  const columns = header.map((name, i) => (name === '' ? `Unnamed: ${i}` : name));
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) {
      throw new DataError('E_DUPLICATE_COLUMN', `${path} has the column "${name}" twice`, { hint: 'rename one of them so every column name is unique' });
    }
    seen.add(name);
  }
  return columns;
}

function selection(path: string, columns: string[], select: string[] | undefined): number[] | undefined {
  if (!select) return undefined;
  return select.map((name) => {
    const index = columns.indexOf(name);
    if (index < 0) throw missingColumn(path, name, columns);
    return index;
  });
}

/** The one file of a table artifact (a table artifact holds a single CSV or Parquet file). */
export function singleTableFile(ref: string, files: Record<string, string>): string {
  const names = Object.keys(files);
  if (names.length !== 1) {
    throw new DataError('E_NOT_A_TABLE', `${ref} holds ${plural(names.length, 'file')} (${names.join(', ')}); a table artifact holds one`, {
      hint: 'point the step at an artifact with a single CSV or Parquet file',
    });
  }
  return files[names[0]];
}

/** How messages name an artifact's table file: its reference and the file's own name. */
export function tableLabel(ref: string, files: Record<string, string>): string {
  return `${ref} (${Object.keys(files)[0]})`;
}

/**
 * Runs `work` on artifacts' files so that its data errors name each artifact (`tableLabel`),
 * not the store's path of the file (`.../blobs/sha256/d4/d434...`), which tells a user nothing.
 */
export async function namingInputs<T>(labels: Record<string, string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataError) {
      for (const [path, label] of Object.entries(labels)) error.message = error.message.split(path).join(label);
    }
    throw error;
  }
}

export function missingColumn(path: string, name: string, columns: string[]): DataError {
  return new DataError('E_MISSING_COLUMN', `${path} has no column "${name}"`, { hint: `its columns are: ${columns.join(', ')}` });
}
