import { CsvFileWriter } from './csv-writer.js';
import { readCsvAsPandas } from './pandas-csv-reader.js';
import { detectFormat, openTable } from './table.js';
import { type CellKind, type ChunkKind, type PandasDtype, TypeTracker, canonicalCell, chunkRowsFor } from './type-inference.js';
import type { Cell, ColumnType } from './types.js';

export interface CanonicalTable {
  columns: string[];
  types: ColumnType[];
  dtypes: PandasDtype[];
  rows: number;
  /** Each column's chunks, as pandas typed them, and the rows of a chunk. */
  kinds: ChunkKind[][];
  chunkRows: number;
  /** Per column, the first cell of each kind as the input spelled it ([zero-based data row, text]), for messages. */
  firstCellOf?: Array<Partial<Record<CellKind, [number, string]>>>;
}

export interface CanonicalizeOptions {
  /**
   * Quote fields holding a CR, unlike to_csv, so that the copy reads back as written (by mldp's
   * readers and by pandas): for copies that steps work on, not for output.
   */
  quoteCr?: boolean;
  /** Progress of each pass: 'types', then 'writing', with the bytes read so far. */
  progress?(pass: 'types' | 'writing', bytesRead: number): void;
}

/**
 * Reads a CSV file exactly as pandas.read_csv(path) does (pandas 1.5.3 defaults) and writes it
 * as DataFrame.to_csv(outputPath, index=False) would: the general path for CSV that is not
 * already in that form. Two passes: the columns' dtypes depend on every value (chunk by chunk,
 * as pandas' low_memory reader types them), then each cell is written for its chunk and column.
 */
export async function canonicalizeCsv(inputPath: string, outputPath: string, options: CanonicalizeOptions = {}): Promise<CanonicalTable> {
  let columns: string[] = [];
  let trackers: TypeTracker[] = [];
  let firstCellOf: Array<Partial<Record<CellKind, [number, string]>>> = [];
  let row = 0;
  await readCsvAsPandas(inputPath, {
    header: (names, width) => {
      columns = names;
      trackers = names.map(() => new TypeTracker(chunkRowsFor(width)));
      firstCellOf = names.map(() => ({}));
    },
    row: (cells) => {
      for (let c = 0; c < cells.length; c++) {
        const first = trackers[c].observe(cells[c], row);
        if (first !== undefined) firstCellOf[c][first] = [row, cells[c]!];
      }
      row++;
    },
    progress: (bytes) => options.progress?.('types', bytes),
  });
  const kinds = trackers.map((t) => t.chunkKinds());
  const dtypes = trackers.map((t) => (row === 0 ? 'object' : t.dtype));
  const chunkRows = trackers[0]?.chunkRows ?? Number.POSITIVE_INFINITY;

  const writer = new CsvFileWriter(outputPath, options.quoteCr);
  try {
    writer.writeHeader(columns);
    let index = 0;
    const out: Cell[] = new Array(columns.length);
    await readCsvAsPandas(inputPath, {
      header: () => undefined,
      row: (cells) => {
        const chunk = Math.floor(index / chunkRows);
        for (let c = 0; c < cells.length; c++) out[c] = canonicalCell(cells[c], kinds[c][chunk] as ChunkKind, dtypes[c]);
        writer.writeRow(out);
        index++;
      },
      progress: (bytes) => options.progress?.('writing', bytes),
    });
    writer.close();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  const types = dtypes.map((dtype): ColumnType => (dtype === 'int64' || dtype === 'uint64' ? 'int' : dtype === 'float64' ? 'float' : dtype === 'bool' ? 'bool' : 'string'));
  return { columns, types, dtypes, rows: row, kinds, chunkRows, firstCellOf };
}

const DTYPE_OF_TYPE: Record<ColumnType, PandasDtype> = { int: 'int64', float: 'float64', bool: 'bool', string: 'object' };
const KIND_OF_DTYPE: Record<PandasDtype, ChunkKind> = { int64: 'int64', uint64: 'uint64', float64: 'float64', bool: 'bool', object: 'object' };

/**
 * Any table as the CSV pandas would write of it: CSV through canonicalizeCsv, Parquet laid out
 * as mldp formats its values (as pandas writes what pyarrow reads). Steps that must rewrite
 * cells, or read rows in another order, work on this copy.
 */
export async function canonicalizeTable(inputPath: string, outputPath: string, options: CanonicalizeOptions = {}): Promise<CanonicalTable> {
  if ((await detectFormat(inputPath)) === 'csv') return canonicalizeCsv(inputPath, outputPath, options);
  const reader = await openTable(inputPath);
  const writer = new CsvFileWriter(outputPath, options.quoteCr);
  try {
    writer.writeHeader(reader.columns);
    for await (const batch of reader.batches()) {
      for (const row of batch) writer.writeRow(row);
      options.progress?.('writing', reader.bytesRead());
    }
    writer.close();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  const types = reader.declaredTypes!;
  const dtypes = types.map((type) => DTYPE_OF_TYPE[type]);
  return { columns: reader.columns, types, dtypes, rows: writer.rows, kinds: dtypes.map((dtype) => [KIND_OF_DTYPE[dtype]]), chunkRows: Number.POSITIVE_INFINITY };
}
