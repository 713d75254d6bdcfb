import type { ColumnType, TableCounts } from '@mldp/table';
import type { CollectRequest, CollectedColumn, CollectedTable } from './collect.js';
import { withStoredValues } from './collect-bytes.js';
import { SortScratch } from './column-spill.js';

/**
 * collectColumns from a table's counts (recorded by preprocess) instead of its bytes: the same
 * collected columns as collectCsvBytes gives on the file, without parsing it, which was most of
 * check_data's time on large tables. Undefined when the counts lack something the
 * request needs; the caller then reads the file.
 */
export function collectFromCounts(label: string, counts: TableCounts, request: CollectRequest, knownTypes: Map<string, ColumnType>): CollectedTable | undefined {
  const byName = new Map<string, CollectedColumn>();
  const scratch = new SortScratch();
  for (const counted of counts.columns) {
    const name = counted.name;
    if (!request.wanted.has(name)) continue;
    // Types not trusted (a sample column whose recorded type is not the required one) are scanned,
    // so that the failure can name the first bad cell: only the file has it.
    if (knownTypes.get(name) !== counted.type) return undefined;
    const numeric = request.numeric.has(name);
    const categorical = request.categorical.has(name);
    if ((numeric && !counted.numbers) || (categorical && !counted.labels)) return undefined;
    const column: CollectedColumn = {
      name,
      type: counted.type,
      nulls: numeric || categorical ? counted.nulls : undefined,
      firstCellOf: {},
      classCounts: categorical ? new Map(counted.labels) : undefined,
    };
    if (numeric) withStoredValues(column, counted.numbers!, scratch);
    byName.set(name, column);
  }
  return { path: label, rows: counts.rows, columns: counts.columns.map((c) => c.name), byName };
}
