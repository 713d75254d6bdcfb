import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '@mldp/store';
import { type CellBytesScan, type ColumnType, scanCellBytes, scanCsvBytes } from '@mldp/table';
import type { CollectRequest, CollectedColumn, CollectedTable } from './collect.js';
import { SortScratch, SpilledColumn, loadSpilledColumn, sortSpilledColumn } from './column-spill.js';

interface ColumnState {
  name: string;
  index: number;
  type: ColumnType;
  nulls: number;
  numbers?: SpilledColumn;
  firstNonNumeric?: [number, string];
  classCounts?: Map<string, number>;
}

/**
 * collectColumns for a CSV file mldp wrote, whose wanted columns all have known types: one pass
 * over the bytes, locating only the fields up to the last wanted one, parsing numbers without
 * making strings, and spilling each numeric column to a file in `spillDir` (see SpilledColumn).
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
  let columns: string[] = [];
  let row = 0;
  const scan: CellBytesScan = { kind: 'string', canonical: true, value: Number.NaN };
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
            numbers: request.numeric.has(name) ? new SpilledColumn(join(spillDir, `${tag}-${index}.f64`)) : undefined,
            classCounts: request.categorical.has(name) ? new Map<string, number>() : undefined,
          }));
      },
      record: ({ fields, fieldStart, fieldEnd }) => {
        for (let s = 0; s < states.length; s++) {
          const state = states[s];
          const start = fieldStart[state.index];
          const end = fieldEnd[state.index];
          if (state.classCounts) {
            const key = fields.toString('utf8', start, end);
            state.classCounts.set(key, (state.classCounts.get(key) ?? 0) + 1);
          }
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
    { leadingFields: (names) => Math.max(0, ...names.map((name, i) => (request.wanted.has(name) ? i + 1 : 0))) },
  );
  reporter.endProgress();
  const byName = new Map<string, CollectedColumn>();
  const scratch = new SortScratch();
  for (const state of states) {
    const column: CollectedColumn = { name: state.name, type: state.type, nulls: state.nulls, firstCellOf: {}, firstNonNumeric: state.firstNonNumeric, classCounts: state.classCounts };
    if (state.numbers) {
      const file = state.numbers.finish();
      // Only order-free checks (ranges) and sorted ones (KS) use the numbers.
      if (request.sorted?.has(state.name) ?? true) sortSpilledColumn(file, scratch);
      withSpilledValues(column, file, scratch);
    }
    byName.set(state.name, column);
  }
  return { path, rows: row, columns, byName };
}

/**
 * Gives the column a `values` that loads its spilled numbers on each use into `buffer`, shared
 * by the columns of one table: a column's values stay valid until another column of the same
 * table is loaded (the checks take one column of each table at a time). This keeps the memory
 * of the checks at one column per table, without garbage piling up between collections.
 */
export function withSpilledValues(column: CollectedColumn, file: { path: string; count: number }, buffer: SortScratch): CollectedColumn {
  column.spilled = file;
  Object.defineProperty(column, 'values', { get: () => loadSpilledColumn(file, buffer.values(file.count)), enumerable: false, configurable: true });
  return column;
}
