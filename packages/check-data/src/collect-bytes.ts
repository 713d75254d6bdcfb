import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import { ByteLabels, type CellBytesScan, type ColumnType, scanCellBytes, scanCsvBytes } from '@mldp/table';
import type { CollectRequest, CollectedColumn, CollectedTable } from './collect.js';
import { ColumnNumbers, SortScratch, type StoredColumn, isSpilled, loadColumn, sortSpilledColumn } from './column-spill.js';

interface ColumnState {
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
 * over the bytes, locating only the fields up to the last wanted one, parsing numbers without
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
  await scanCsvBytes(
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
    { leadingFields: (names) => Math.max(0, ...names.map((name, i) => (request.numeric.has(name) || request.categorical.has(name) ? i + 1 : 0))) },
  );
  reporter.endProgress();
  const byName = new Map<string, CollectedColumn>();
  const scratch = new SortScratch();
  for (const state of states) {
    const counted = state.numbers !== undefined || state.classes !== undefined;
    const classCounts = state.classes && new Map(state.classes.labels.map((label, id) => [label, state.classes!.counts[id]]));
    const column: CollectedColumn = { name: state.name, type: state.type, nulls: counted ? state.nulls : undefined, firstCellOf: {}, firstNonNumeric: state.firstNonNumeric, classCounts };
    if (state.numbers) {
      const stored = state.numbers.finish();
      // Only order-free checks (ranges) and sorted ones (KS) use the numbers; counted ones are in order.
      if (isSpilled(stored) && (request.sorted?.has(state.name) ?? true)) sortSpilledColumn(stored, scratch);
      withStoredValues(column, stored, scratch);
    }
    byName.set(state.name, column);
  }
  return { path, rows: row, columns, byName };
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
