import { stat } from 'node:fs/promises';
import { type Reporter } from '@mldp/runtime';
import { readCsvAsPandas } from './pandas-csv-reader.js';
import { detectFormat, openTable } from './table.js';
import { TypeTracker, chunkRowsFor } from './type-inference.js';
import type { ColumnType } from './types.js';

export interface InferredSchema {
  columns: string[];
  types: ColumnType[];
  trackers?: TypeTracker[];
}

/**
 * The column types of a table: declared by a Parquet file, or inferred from every value of a
 * CSV file in one streaming pass, as pandas.read_csv types them.
 */
export async function inferSchema(path: string, reporter?: Reporter, label = 'scanning'): Promise<InferredSchema> {
  if ((await detectFormat(path)) === 'parquet') {
    const reader = await openTable(path);
    return { columns: reader.columns, types: reader.declaredTypes! };
  }
  let columns: string[] = [];
  let trackers: TypeTracker[] = [];
  let row = 0;
  const { size } = await stat(path);
  await readCsvAsPandas(path, {
    header: (names, width) => {
      columns = names;
      trackers = names.map(() => new TypeTracker(chunkRowsFor(width)));
    },
    row: (cells) => {
      for (let c = 0; c < cells.length; c++) trackers[c].observe(cells[c], row);
      row++;
    },
    progress: (bytes) => reporter?.progress(label, bytes, size, 'bytes'),
  });
  reporter?.endProgress();
  return { columns, types: trackers.map((t) => (row === 0 ? 'string' : t.type)), trackers };
}
