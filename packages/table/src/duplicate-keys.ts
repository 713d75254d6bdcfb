import { formatCsvLine } from './csv-writer.js';
import type { ChunkKind, PandasDtype } from './type-inference.js';
import type { Cell } from './types.js';

const NUMBER_KINDS: ReadonlySet<ChunkKind> = new Set(['int64', 'uint64', 'float64', 'float64-from-int', 'bool', 'object-bool']);

/**
 * Rows as pandas' drop_duplicates() compares them: by value, not text. A canonical cell's text is
 * its value's one spelling, except that a float -0.0 equals 0.0, and that an object column made
 * of chunks of several dtypes holds Python numbers beside strings, among which 1 == 1.0 == True
 * (and never "1"). `keyOf` is the row's canonical line where no column needs more.
 */
export class DuplicateKeys {
  private readonly valueColumns: number[];
  private readonly mixed: boolean[];

  constructor(
    dtypes: readonly PandasDtype[],
    private readonly kinds: ReadonlyArray<readonly ChunkKind[]>,
    private readonly chunkRows: number,
  ) {
    this.mixed = dtypes.map((dtype, c) => dtype === 'object' && kinds[c].some((kind) => NUMBER_KINDS.has(kind)));
    this.valueColumns = dtypes.flatMap((dtype, c) => (dtype === 'float64' || this.mixed[c] ? [c] : []));
  }

  /** Some column's values are not told apart by their text alone. */
  get byValue(): boolean {
    return this.valueColumns.length > 0;
  }

  keyOf(cells: readonly Cell[], row: number): string {
    if (!this.byValue) return formatCsvLine(cells);
    const key = [...cells];
    const chunk = Math.floor(row / this.chunkRows);
    for (const c of this.valueColumns) {
      const cell = cells[c];
      if (cell === null) continue;
      if (!this.mixed[c]) key[c] = cell === '-0.0' ? '0.0' : cell;
      else key[c] = NUMBER_KINDS.has(this.kinds[c][chunk]) ? `n${numberKey(cell)}` : `s${cell}`;
    }
    return formatCsvLine(key);
  }
}

/** One text per Python number value: True is 1, an integral float its integer. */
function numberKey(text: string): string {
  if (text === 'True') return '1';
  if (text === 'False') return '0';
  const value = Number(text);
  if (Number.isInteger(value)) return /^-?\d+$/.test(text) ? BigInt(text).toString() : BigInt(value).toString();
  return text;
}
