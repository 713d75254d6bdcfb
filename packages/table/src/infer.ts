import type { Reporter } from '@mldp/store/reporter';
import { openTable } from './table.js';
import { TypeTracker } from './type-inference.js';
import type { ColumnType } from './types.js';

export interface InferredSchema {
  columns: string[];
  types: ColumnType[];
  trackers?: TypeTracker[];
}

/**
 * The column types of a table: declared by a Parquet file, or inferred from every value of a
 * CSV file in one streaming pass (types depend on the whole column, so they precede writing).
 */
export async function inferSchema(path: string, reporter?: Reporter, label = 'scanning'): Promise<InferredSchema> {
  const reader = await openTable(path);
  if (reader.declaredTypes) return { columns: reader.columns, types: reader.declaredTypes };
  const trackers = reader.columns.map(() => new TypeTracker());
  let row = 0;
  for await (const batch of reader.batches()) {
    for (const cells of batch) {
      for (let c = 0; c < cells.length; c++) trackers[c].observe(cells[c], row);
      row++;
    }
    reporter?.progress(label, reader.bytesRead(), reader.sizeBytes, 'bytes');
  }
  reporter?.endProgress();
  return { columns: reader.columns, types: trackers.map((t) => t.type), trackers };
}
