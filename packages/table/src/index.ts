// The public API of @mldp/table (see README.md): what the steps and users import, nothing else.

// Errors and naming inputs in messages.
export { DataError } from './errors.js';
export { missingColumn, namingInputs, singleTableFile, tableLabel } from './table.js';

// Reading tables as pandas reads them.
export { detectFormat, openTable, type TableReader } from './table.js';
export { canonicalizeCsv, canonicalizeTable, type CanonicalTable } from './canonicalize.js';
export { canonicalCsvMetadata, canonicalTypesOf } from './canonical-metadata.js';
export { inferSchema } from './infer.js';
export type { ColumnType } from './types.js';

// The CSV record reader (csv-records.ts) and the byte-level scanner under it (byte-csv.ts).
export { readCsvRecords } from './csv-records.js';
export { IRREGULAR, layOutCells, locatePlainFields, parseQuotedLine, type ByteRecord } from './byte-csv.js';
export { hashBytes, isNumberScan, scanCellBytes, type CellBytesScan } from './cell-bytes.js';
export { ByteLabels } from './byte-labels.js';

// Parquet row groups as encoded columns and as CSV lines (TableReader#columnGroups, #lineGroups).
export type { GroupLines } from './group-lines.js';
export type { ParquetGroup } from './parquet-reader.js';
export { entryStart } from './encoded-column.js';

// pandas' types, tokens and numbers.
export { TypeTracker, chunkRowsFor } from './type-inference.js';
export * as tokenFlags from './pandas-tokens.js';
export { isNaTokenBytes, parseFloatCell } from './pandas-tokens.js';
export { formatPythonFloat } from './float-format.js';

// Writing CSV as pandas writes it.
export { ByteLineWriter, CsvFileWriter, formatCsvField, formatCsvLine } from './csv-writer.js';

// Statistics, counts and duplicates of the rows written.
export { RunningStats, TableStats, type ColumnSummary } from './column-stats.js';
export { ExactDeduplicator, hashText } from './dedup.js';
export { DuplicateKeys } from './duplicate-keys.js';
export { ValueCounter, subtractCounts, type CountedValues } from './value-counts.js';
export { TABLE_COUNTS_KIND, decodeTableCounts, encodeTableCounts, type ColumnCounts, type TableCounts } from './table-counts.js';
