import type { ColumnSummary } from './column-stats.js';
import type { ColumnType } from './types.js';

/**
 * What an artifact's metadata says of a table mldp wrote as pandas writes CSV (preprocess's
 * output): its format and every column's summary, type first. Readers that find it skip the
 * work of reading the file as pandas would: the lines are copied as they are, the types not scanned.
 */
export interface CanonicalCsvMetadata {
  format: 'csv';
  columns: ColumnSummary[];
}

const COLUMN_TYPES: ReadonlySet<unknown> = new Set<ColumnType>(['int', 'float', 'string', 'bool']);

/** The metadata to record with a table written as pandas writes CSV, from its column summaries. */
export function canonicalCsvMetadata(columns: ColumnSummary[]): CanonicalCsvMetadata {
  return { format: 'csv', columns };
}

/**
 * The column types, in the table's order, of an artifact version whose metadata says mldp wrote
 * it as pandas writes CSV (canonicalCsvMetadata); undefined for any other table (Parquet, CSV
 * from elsewhere, metadata without a type for every column).
 */
export function canonicalTypesOf(version: { metadata: Record<string, unknown> }): Map<string, ColumnType> | undefined {
  const { format, columns } = version.metadata;
  if (format !== 'csv' || !Array.isArray(columns)) return undefined;
  const types = new Map<string, ColumnType>();
  for (const column of columns as Array<{ name?: unknown; type?: unknown }>) {
    if (typeof column?.name !== 'string' || !COLUMN_TYPES.has(column.type)) return undefined;
    types.set(column.name, column.type as ColumnType);
  }
  return types;
}
