import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import { ByteLabels, type CellBytesScan, type ColumnType, readCsvRecords, scanCellBytes } from '@mldp/table';
import type { CollectRequest, CollectedColumn, CollectedTable } from './collect.js';
import { ColumnNumbers, SortScratch, type StoredColumn, isSpilled, loadColumn, sortSpilledColumn } from './column-spill.js';

/** A column being collected from its cells' bytes or its encoded entries. */
export interface ColumnState {
  name: string;
  index: number;
  type: ColumnType;
  nulls: number;
  numbers?: ColumnNumbers;
  firstNonNumeric?: [number, string];
  /** Class columns: counts by label, in order of first appearance. */
  classes?: ByteLabels;
}

/**
 * collectColumns for a CSV file mldp wrote, whose wanted columns all have known types: one pass
 * over the bytes (readCsvRecords), locating only the fields whose values it reads, parsing numbers without
 * making strings, and counting each numeric column's values or spilling them to a file in `spillDir` (see ColumnNumbers).
 */
export async function collectCsvBytes(
  path: string,
  request: CollectRequest,
  knownTypes: Map<string, ColumnType>,
  reporter: Reporter,
  label: string,
  spillDir: string,
): Promise<CollectedTable> {
  let states: ColumnState[] = [];
  // The columns whose cells are read; the others' types are known and suffice (nulls not counted).
  let read: ColumnState[] = [];
  let columns: string[] = [];
  let row = 0;
  const scan: CellBytesScan = { flags: 0, value: Number.NaN };
  const size = (await stat(path)).size;
  const tag = Math.random().toString(36).slice(2, 8);
  await readCsvRecords(
    path,
    {
      header: (names) => {
        columns = names;
        states = names
          .map((name, index) => ({ name, index }))
          .filter(({ name }) => request.wanted.has(name))
          .map(({ name, index }) => ({
            name,
            index,
            type: knownTypes.get(name)!,
            nulls: 0,
            numbers: request.numeric.has(name) ? new ColumnNumbers(join(spillDir, `${tag}-${index}.f64`)) : undefined,
            classes: request.categorical.has(name) ? new ByteLabels() : undefined,
          }));
        read = states.filter((state) => state.numbers || state.classes);
      },
      record: ({ fields, fieldStart, fieldEnd }) => {
        for (let s = 0; s < read.length; s++) {
          const state = read[s];
          const start = fieldStart[state.index];
          const end = fieldEnd[state.index];
          state.classes?.tally(fields, start, end);
          if (start === end) {
            state.nulls++;
            continue;
          }
          if (!state.numbers) continue;
          const value = scanCellBytes(fields, start, end, scan).value;
          if (Number.isNaN(value)) {
            const text = fields.toString('utf8', start, end);
            if (!/nan$/i.test(text)) {
              state.firstNonNumeric ??= [row, text];
              continue;
            }
          }
          state.numbers.push(value);
        }
        row++;
      },
      progress: (bytes) => reporter.progress(label, bytes, size, 'bytes'),
    },
    // Columns of known type whose values no check reads are not located (nor their nulls counted).
    { columns: () => read.map((state) => state.index) },
  );
  reporter.endProgress();
  const scratch = new SortScratch();
  const byName = new Map(states.map((state) => [state.name, finishedColumn(state, request, scratch, state.numbers !== undefined || state.classes !== undefined)]));
  return { path, rows: row, columns, byName };
}

/** What the checks read of a column's counts: class counts by label, numbers loaded on use (sorted where KS needs them). */
export function finishedColumn(state: ColumnState, request: CollectRequest, scratch: SortScratch, nullsCounted = true): CollectedColumn {
  const classCounts = state.classes && new Map(state.classes.labels.map((label, id) => [label, state.classes!.counts[id]]));
  const column: CollectedColumn = { name: state.name, type: state.type, nulls: nullsCounted ? state.nulls : undefined, firstCellOf: {}, firstNonNumeric: state.firstNonNumeric, classCounts };
  if (state.numbers) {
    const stored = state.numbers.finish();
    // Only order-free checks (ranges) and sorted ones (KS) use the numbers; counted ones are in order.
    if (isSpilled(stored) && (request.sorted?.has(state.name) ?? true)) sortSpilledColumn(stored, scratch);
    withStoredValues(column, stored, scratch);
  }
  return column;
}

/**
 * Gives the column a `values` that loads its numbers on each use into `buffer`, shared by the
 * columns of one table: a column's values stay valid until another column of the same table is
 * loaded (the checks take one column of each table at a time). This keeps the memory of the
 * checks at one column per table, without garbage piling up between collections.
 */
export function withStoredValues(column: CollectedColumn, stored: StoredColumn, buffer: SortScratch): CollectedColumn {
  column.stored = stored;
  Object.defineProperty(column, 'values', { get: () => loadColumn(stored, buffer.values(stored.count)), enumerable: false, configurable: true });
  return column;
}
