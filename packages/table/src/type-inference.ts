import { formatPythonFloat } from './float-format.js';
import {
  BOOL_INVALID,
  CANON_BOOL,
  CANON_FLOAT,
  CANON_INT,
  FLOAT_INVALID,
  INT_INVALID,
  INT_OVERFLOW,
  NA,
  NA_TEXT,
  NA_TOKENS,
  UINT_BIG,
  UINT_INVALID,
  UINT_OVERFLOW,
  UINT_SIGNED,
  canonicalIntText,
  classifyToken,
  intTokenAsDouble,
  parsePandasDouble,
} from './pandas-tokens.js';
import type { Cell, ColumnType } from './types.js';

export type CellKind = 'int' | 'float' | 'bool' | 'string';

/** A column's numpy dtype as pandas.read_csv gives it. */
export type PandasDtype = 'int64' | 'uint64' | 'float64' | 'bool' | 'object';

/**
 * What pandas made of one chunk of a column, which also says how its values print: an int64
 * chunk with NAs is upcast to float64, a bool chunk with NAs to object (of True/False), and a
 * chunk that fails the uint64 pass with a ValueError (`uint64_conflict`) is left as strings with
 * its NA tokens kept as text.
 */
export type ChunkKind = 'int64' | 'uint64' | 'float64' | 'float64-from-int' | 'bool' | 'object-bool' | 'object' | 'object-unfiltered';

const DTYPE_OF: Record<ChunkKind, PandasDtype> = {
  int64: 'int64',
  uint64: 'uint64',
  float64: 'float64',
  'float64-from-int': 'float64',
  bool: 'bool',
  'object-bool': 'object',
  object: 'object',
  'object-unfiltered': 'object',
};

const COLUMN_TYPE_OF: Record<PandasDtype, ColumnType> = { int64: 'int', uint64: 'int', float64: 'float', bool: 'bool', object: 'string' };

/**
 * The rows of one chunk: with its default low_memory, pandas' C parser converts a file
 * `buffer_lines` rows at a time, each chunk's columns typed on their own, and concatenates them
 * (pandas/_libs/parsers.pyx, TextReader.__cinit__). `width` is the first data row's number of
 * fields, padded to the header's.
 */
export function chunkRowsFor(width: number): number {
  const heuristic = Math.floor(2 ** 20 / Math.max(width, 1));
  let rows = 1;
  while (rows * 2 < heuristic) rows *= 2;
  return rows;
}

/**
 * The dtype of a column made of these chunks, as pandas' `_concatenate_chunks` gives it: numpy's
 * np.concatenate promotion. Object wins; int64 with uint64, or anything with float64, is
 * float64; bools beside integers become 1 and 0.
 */
export function concatenatedDtype(kinds: readonly ChunkKind[]): PandasDtype {
  const dtypes = new Set(kinds.map((kind) => DTYPE_OF[kind]));
  if (dtypes.size === 0 || dtypes.has('object')) return 'object';
  if (dtypes.has('float64') || (dtypes.has('int64') && dtypes.has('uint64'))) return 'float64';
  if (dtypes.has('int64')) return 'int64';
  if (dtypes.has('uint64')) return 'uint64';
  return 'bool';
}

/** A column that holds no non-NA token in a chunk writes only empty fields there, whatever its dtype. */
const EMPTY = -1;

/**
 * Infers a column's dtype from its tokens as pandas.read_csv does (see pandas-tokens.ts): per
 * chunk, the first of int64, uint64 (after an int64 overflow), float64, bool and object whose
 * pass every token survives; then the chunks' dtypes concatenated. Tokens come in row order.
 */
export class TypeTracker {
  /** NA tokens (empty fields included): the nulls pandas reads. */
  nulls = 0;
  /** Zero-based data-row index of the first cell of each kind, for error messages. */
  readonly firstRowOf: Partial<Record<CellKind, number>> = {};
  /**
   * A cell reads as -0.0 (noted by callers that scan values). pandas counts -0.0 and 0.0 as
   * duplicates, which equal text cannot tell, so a float column holding it is not copied as text.
   */
  negativeZero = false;
  private readonly kinds: ChunkKind[] = [];
  private canonicalChunks: Array<ChunkKind | typeof EMPTY | undefined> = [];
  private chunkEnd: number;
  // The current chunk: the flags any token had, those every non-NA token had, the first failure
  // of the int64 and uint64 passes, and its counts.
  private any = 0;
  private every = -1;
  private intFailure = 0;
  private uintFailure = 0;
  private values = 0;
  private chunkNulls = 0;
  private everAny = 0;

  constructor(readonly chunkRows = Number.POSITIVE_INFINITY) {
    this.chunkEnd = chunkRows;
  }

  /** Takes one cell (null for an empty field); returns its kind when it is the first of that kind. */
  observe(cell: Cell, row: number): CellKind | undefined {
    return this.observeFlags(cell === null ? NA : classifyToken(cell), row);
  }

  /** Takes one token's flags (classifyToken, or scanCellBytes). */
  observeFlags(flags: number, row: number): CellKind | undefined {
    if (row >= this.chunkEnd) this.closeChunk(row);
    this.any |= flags;
    if (flags & NA) {
      this.nulls++;
      this.chunkNulls++;
      return undefined;
    }
    this.values++;
    this.every &= flags;
    if (!this.intFailure && flags & (INT_INVALID | INT_OVERFLOW)) this.intFailure = flags & INT_OVERFLOW ? INT_OVERFLOW : INT_INVALID;
    if (!this.uintFailure && flags & (UINT_INVALID | UINT_OVERFLOW)) this.uintFailure = flags & UINT_OVERFLOW ? UINT_OVERFLOW : UINT_INVALID;
    const kind = kindOf(flags);
    if (this.firstRowOf[kind] !== undefined) return undefined;
    this.firstRowOf[kind] = row;
    return kind;
  }

  /**
   * The current chunk is certainly object (with NAs filtered) at `row`: later cells of the chunk
   * change nothing but NAs, so a caller may skip classifying them (but must still report NAs).
   */
  isTextAt(row: number): boolean {
    if (row >= this.chunkEnd) this.closeChunk(row);
    return this.intFailure === INT_INVALID && (this.any & (FLOAT_INVALID | BOOL_INVALID)) === (FLOAT_INVALID | BOOL_INVALID);
  }

  /** No cell so far failed the float pass: the column may still be numeric. */
  get mayBeNumeric(): boolean {
    return !((this.everAny | this.any) & FLOAT_INVALID);
  }

  /** Each chunk's kind, in order, the current one included. */
  chunkKinds(): ChunkKind[] {
    return this.values + this.chunkNulls > 0 ? [...this.kinds, this.resolve()] : [...this.kinds];
  }

  get dtype(): PandasDtype {
    return concatenatedDtype(this.chunkKinds());
  }

  get type(): ColumnType {
    return COLUMN_TYPE_OF[this.dtype];
  }

  /** Every cell's text is already what pandas writes for it, so the column can be copied as it is. */
  get textIsCanonical(): boolean {
    const chunks = this.values + this.chunkNulls > 0 ? [...this.canonicalChunks, this.canonicalOfChunk()] : this.canonicalChunks;
    const dtype = this.dtype;
    if (dtype === 'float64' && this.negativeZero) return false;
    return chunks.every((kind) => kind === EMPTY || (kind !== undefined && DTYPE_OF[kind] === dtype));
  }

  /** As plain data, to cross a worker thread. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object) };
  }

  static fromJSON(data: Record<string, unknown>): TypeTracker {
    return Object.assign(new TypeTracker(), data);
  }

  private closeChunk(row: number): void {
    if (this.values + this.chunkNulls > 0) {
      this.canonicalChunks.push(this.canonicalOfChunk());
      const kind = this.resolve();
      if (kind === 'object-unfiltered') this.nulls -= this.chunkNulls;
      this.kinds.push(kind);
    }
    this.everAny |= this.any;
    this.any = 0;
    this.every = -1;
    this.intFailure = 0;
    this.uintFailure = 0;
    this.values = 0;
    this.chunkNulls = 0;
    this.chunkEnd = (Math.floor(row / this.chunkRows) + 1) * this.chunkRows;
  }

  /** The current chunk's kind when its text is already as pandas writes it (EMPTY: only NAs), else undefined. */
  private canonicalOfChunk(): ChunkKind | typeof EMPTY | undefined {
    if (this.any & NA_TEXT) return undefined;
    if (this.values === 0) return EMPTY;
    const kind = this.resolve();
    const every = this.every;
    switch (kind) {
      case 'int64':
      case 'uint64':
        return every & CANON_INT ? kind : undefined;
      case 'float64':
        return every & CANON_FLOAT ? kind : undefined;
      case 'bool':
      case 'object-bool':
        return every & CANON_BOOL ? kind : undefined;
      case 'object':
        return kind;
      default:
        return undefined;
    }
  }

  /** The current chunk's kind: pandas' passes in order (parsers.pyx `_convert_tokens`). */
  private resolve(): ChunkKind {
    const any = this.any;
    if (!this.intFailure) return any & NA ? 'float64-from-int' : 'int64';
    if (this.intFailure === INT_OVERFLOW) {
      if (this.uintFailure === UINT_OVERFLOW) return 'object';
      if (!this.uintFailure) {
        if (any & UINT_BIG && any & (UINT_SIGNED | NA)) return 'object-unfiltered';
        if (any & UINT_SIGNED) return 'object';
        return 'uint64';
      }
    }
    if (!(any & FLOAT_INVALID)) return 'float64';
    if (!(any & BOOL_INVALID)) return any & NA ? 'object-bool' : 'bool';
    return 'object';
  }
}

function kindOf(flags: number): CellKind {
  if (!(flags & (INT_INVALID | INT_OVERFLOW))) return 'int';
  if (!(flags & FLOAT_INVALID)) return 'float';
  if (!(flags & BOOL_INVALID)) return 'bool';
  return 'string';
}

/**
 * The text pandas writes (to_csv) for a cell of a chunk of this kind in a column of this dtype;
 * null for a missing value.
 */
export function canonicalCell(cell: Cell, kind: ChunkKind, dtype: PandasDtype): Cell {
  if (cell === null) return kind === 'object-unfiltered' ? '' : null;
  switch (kind) {
    case 'object-unfiltered':
      return cell;
    case 'object':
      return isNaCell(cell) ? null : cell;
    case 'int64':
    case 'uint64':
      if (isNaCell(cell)) return null;
      return dtype === 'float64' ? formatPythonFloat(intTokenAsDouble(cell)) : canonicalIntText(cell);
    case 'float64-from-int':
      return isNaCell(cell) ? null : formatPythonFloat(intTokenAsDouble(cell));
    case 'float64': {
      if (isNaCell(cell)) return null;
      return formatPythonFloat(parsePandasDouble(cell)!);
    }
    case 'bool':
    case 'object-bool': {
      if (isNaCell(cell)) return null;
      const value = cell.toLowerCase() === 'true';
      if (dtype === 'float64') return value ? '1.0' : '0.0';
      if (dtype === 'int64' || dtype === 'uint64') return value ? '1' : '0';
      return value ? 'True' : 'False';
    }
  }
}

function isNaCell(cell: string): boolean {
  return NA_TOKENS.has(cell);
}
