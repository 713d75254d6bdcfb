/** A column's type as pandas would infer it from text: int64, float64, bool or object (string). */
export type ColumnType = 'int' | 'float' | 'bool' | 'string';

/** One field as text; null for a missing value (an empty CSV field, a Parquet null, NaN). */
export type Cell = string | null;

export type Row = Cell[];
