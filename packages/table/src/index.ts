export { DataError } from './errors.js';
export { formatPythonFloat } from './float-format.js';
export { TypeTracker, canonicalCell, classifyCell, parseFloatCell, type CellKind } from './type-inference.js';
export { CsvFileWriter, formatCsvField, formatCsvLine } from './csv-writer.js';
export { detectFormat, missingColumn, openTable, singleTableFile, type OpenTableOptions, type TableFormat, type TableReader } from './table.js';
export { RunningStats, TableStats, type ColumnSummary } from './column-stats.js';
export { inferSchema, type InferredSchema } from './infer.js';
export type { Cell, ColumnType, Row } from './types.js';
export { ExactDeduplicator, hashText } from './dedup.js';
