import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import { type ColumnType, type TableReader, TypeTracker, canonicalizeCsv, chunkRowsFor, openTable, parseFloatCell } from '@mldp/table';
import { collectCsvBytes, withStoredValues } from './collect-bytes.js';
import { collectParquetColumns } from './collect-parquet.js';
import { SortScratch, type StoredColumn } from './column-spill.js';

/** What the checks need of one column: its type, and its numbers or class counts. */
export interface CollectedColumn {
  name: string;
  type: ColumnType;
  /** Empty cells; undefined where they were not counted (a column of known type whose values no check reads). */
  nulls: number | undefined;
  /** First non-null cell of each kind, as [zero-based data row, text]. */
  firstCellOf: Partial<Record<'int' | 'float' | 'bool' | 'string', [number, string]>>;
  /** Numeric columns: the non-null values parsed as numbers (NaN kept; KS drops it). */
  values?: Float64Array;
  /** First cell that is not a number, when values were wanted. */
  firstNonNumeric?: [number, string];
  /** Class columns: counts by label ('' for null). */
  classCounts?: Map<string, number>;
  /** Where `values` is loaded from, when the numbers were counted or spilled (collect-bytes.ts). */
  stored?: StoredColumn;
}

export interface CollectedTable {
  path: string;
  rows: number;
  columns: string[];
  byName: Map<string, CollectedColumn>;
}

export interface CollectRequest {
  /** Columns whose numbers are needed (ranges, KS). */
  numeric: Set<string>;
  /** Those of them needed in sorted order (KS); default: all. */
  sorted?: Set<string>;
  /** Columns whose class counts are needed. */
  categorical: Set<string>;
  /** Every column the checks mention; those the file lacks are skipped. */
  wanted: Set<string>;
  /**
   * Column types known without looking at the values (recorded by preprocess, or declared by
   * Parquet): those columns are not scanned, and their numbers are parsed directly.
   */
  knownTypes?: Map<string, ColumnType>;
}

/** One streaming pass that keeps only what the checks need of the wanted columns. */
export async function collectColumns(path: string, request: CollectRequest, reporter: Reporter, label: string, spillDir?: string): Promise<CollectedTable> {
  const probe = await openTable(path);
  const present = probe.columns.filter((name) => request.wanted.has(name));
  const knownTypes = request.knownTypes ?? new Map<string, ColumnType>();
  if (probe.format === 'csv' && !present.every((name) => knownTypes.has(name))) return collectAsPandasReads(path, request, reporter, label, spillDir);
  if (spillDir && probe.format === 'csv') return collectCsvBytes(path, request, knownTypes, reporter, label, spillDir);
  return collectCells(probe, path, request, reporter, label, spillDir);
}

/**
 * A CSV file of unknown types, read as pandas reads it (NA tokens, dtypes chunk by chunk): its
 * canonical copy holds each value as pandas would write it, and canonicalizeCsv gives the types.
 * The copy's cells are still scanned, for the first cell of each kind that messages name.
 */
async function collectAsPandasReads(path: string, request: CollectRequest, reporter: Reporter, label: string, spillDir?: string): Promise<CollectedTable> {
  const dir = spillDir ?? (await mkdtemp(join(tmpdir(), 'mldp-check-')));
  const copy = join(dir, `canonical-${Math.random().toString(36).slice(2, 10)}.csv`);
  try {
    const size = (await stat(path)).size;
    const table = await canonicalizeCsv(path, copy, { quoteCr: true, progress: (_pass, bytes) => reporter.progress(`${label}: reading as pandas`, bytes, size, 'bytes') });
    reporter.endProgress();
    const pandas = new Map(table.columns.map((name, i) => [name, { type: table.types[i], firstCellOf: table.firstCellOf![i] }]));
    const collected = await collectCells(await openTable(copy), copy, request, reporter, label, spillDir, pandas);
    return { ...collected, path };
  } finally {
    await rm(spillDir ? copy : dir, { recursive: true, force: true });
  }
}

/** The general pass, over each row's cells: Parquet, or CSV whose cells are as pandas writes them. */
async function collectCells(
  probe: TableReader,
  path: string,
  request: CollectRequest,
  reporter: Reporter,
  label: string,
  spillDir?: string,
  pandasRead?: Map<string, { type: ColumnType; firstCellOf: CollectedColumn['firstCellOf'] }>,
): Promise<CollectedTable> {
  const present = probe.columns.filter((name) => request.wanted.has(name));
  // Parquet decodes only the selected columns; CSV is parsed whole but only these are kept.
  const reader = probe.format === 'parquet' ? await openTable(path, { select: present }) : probe;
  if (spillDir && reader.format === 'parquet') return collectParquetColumns(reader, request, reporter, label, spillDir);
  const indexes = present.map((name) => reader.columns.indexOf(name));
  const known = new Map(request.knownTypes ?? []);
  if (reader.declaredTypes) reader.columns.forEach((name, i) => known.set(name, reader.declaredTypes![i]));
  const states = present.map((name) => ({
    name,
    knownType: known.get(name),
    directNumbers: known.get(name) === 'int' || known.get(name) === 'float',
    nulls: 0,
    tracker: known.has(name) ? undefined : new TypeTracker(chunkRowsFor(reader.allColumns.length)),
    firstCellOf: {} as CollectedColumn['firstCellOf'],
    numbers: request.numeric.has(name) ? new GrowableFloat64() : undefined,
    firstNonNumeric: undefined as [number, string] | undefined,
    classCounts: request.categorical.has(name) ? new Map<string, number>() : undefined,
  }));
  let row = 0;
  for await (const batch of reader.batches()) {
    for (const cells of batch) {
      for (let s = 0; s < states.length; s++) {
        const state = states[s];
        const cell = cells[indexes[s]];
        if (state.tracker) {
          const firstOfKind = state.tracker.observe(cell, row);
          if (firstOfKind !== undefined) state.firstCellOf[firstOfKind] = [row, cell!];
        } else if (cell === null) state.nulls++;
        if (state.classCounts) {
          const key = cell ?? '';
          state.classCounts.set(key, (state.classCounts.get(key) ?? 0) + 1);
        }
        if (cell === null || !state.numbers) continue;
        // Text of a known numeric column is a number as pandas writes it: no special spellings to check.
        const value = state.directNumbers ? Number(cell) : parseFloatCell(cell);
        if (Number.isNaN(value) && !/nan$/i.test(cell)) state.firstNonNumeric ??= [row, cell];
        else state.numbers.push(value);
      }
      row++;
    }
    reporter.progress(label, reader.bytesRead(), reader.sizeBytes, 'bytes');
  }
  reporter.endProgress();
  const byName = new Map<string, CollectedColumn>();
  for (const state of states) {
    byName.set(state.name, {
      name: state.name,
      type: pandasRead?.get(state.name)?.type ?? state.tracker?.type ?? state.knownType!,
      nulls: state.tracker?.nulls ?? state.nulls,
      firstCellOf: pandasRead?.get(state.name)?.firstCellOf ?? state.firstCellOf,
      values: state.numbers?.toArray(),
      firstNonNumeric: state.firstNonNumeric,
      classCounts: state.classCounts,
    });
  }
  return { path, rows: row, columns: probe.columns, byName };
}

class GrowableFloat64 {
  private data = new Float64Array(1 << 14);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The values, without a copy: the buffer is handed over. */
  toArray(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** A collected table as plain data for postMessage; the numbers' buffers can be transferred. */
export function toTransferable(table: CollectedTable): { data: unknown; transfer: ArrayBuffer[] } {
  const columns = [...table.byName.values()].map((c) => ({ ...c, values: c.stored ? undefined : c.values, classCounts: c.classCounts ? [...c.classCounts] : undefined }));
  const transfer = columns.flatMap((c) => (c.values ? [c.values.buffer as ArrayBuffer] : []));
  return { data: { path: table.path, rows: table.rows, columns: table.columns, byName: columns }, transfer };
}

export function fromTransferable(data: unknown): CollectedTable {
  const buffer = new SortScratch();
  const plain = data as { path: string; rows: number; columns: string[]; byName: Array<CollectedColumn & { classCounts?: Array<[string, number]> }> };
  return {
    path: plain.path,
    rows: plain.rows,
    columns: plain.columns,
    byName: new Map(
      plain.byName.map((c) => {
        const column = { ...c, classCounts: c.classCounts ? new Map(c.classCounts) : undefined };
        return [c.name, c.stored ? withStoredValues(column, c.stored, buffer) : column];
      }),
    ),
  };
}
