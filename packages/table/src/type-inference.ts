import { type CellKind, parseFloatCell, scanCell } from './cell-scan.js';
import { formatPythonFloat } from './float-format.js';
import type { Cell, ColumnType } from './types.js';

const CANONICAL_INT = /^(?:0|-?[1-9]\d*)$/;
// Fixed-notation decimals with at most 15 significant digits and no redundant zeros are
// already shortest round-trip text, so they need no re-formatting (the common, fast case).
const SIMPLE_DECIMAL = /^-?(?:0|[1-9]\d*)\.(?:0|\d*[1-9])$/;

/**
 * Infers a column's type from every non-null cell, as pandas.read_csv does: all ints -> int,
 * ints and floats -> float, all true/false -> bool, anything else (or bools mixed with numbers)
 * -> string. A column with no values is float (pandas reads it as all-NaN float64).
 */
export class TypeTracker {
  private sawInt = false;
  private sawFloat = false;
  private sawBool = false;
  private sawString = false;
  private intRewrite = false;
  private floatRewrite = false;
  private boolRewrite = false;
  /** Zero-based data-row index of the first cell of each kind, for error messages. */
  readonly firstRowOf: Partial<Record<CellKind, number>> = {};
  nulls = 0;

  /** Takes one cell; returns its kind when it is the first of that kind in the column. */
  observe(cell: Cell, row: number): CellKind | undefined {
    if (cell === null) {
      this.nulls++;
      return undefined;
    }
    if (this.sawString) return undefined;
    const { kind, canonical } = scanCell(cell);
    return this.observeKind(kind, canonical, row);
  }

  /** Takes one non-null cell already scanned (by scanCell or scanCellBytes). */
  observeKind(kind: CellKind, canonical: boolean, row: number): CellKind | undefined {
    let first: CellKind | undefined;
    if (this.firstRowOf[kind] === undefined) {
      this.firstRowOf[kind] = row;
      first = kind;
    }
    if (kind === 'int') {
      this.sawInt = true;
      if (!canonical) this.intRewrite = true;
    } else if (kind === 'float') {
      this.sawFloat = true;
      if (!canonical) this.floatRewrite = true;
    } else if (kind === 'bool') {
      this.sawBool = true;
      if (!canonical) this.boolRewrite = true;
    } else this.sawString = true;
    return first;
  }

  /** A string cell was seen: nothing more can change the type. */
  get isString(): boolean {
    return this.sawString;
  }

  /** As plain data, to cross a worker thread. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object) };
  }

  static fromJSON(data: Record<string, unknown>): TypeTracker {
    return Object.assign(new TypeTracker(), data);
  }

  /** No string cell so far: the column may still be numeric. */
  get mayBeNumeric(): boolean {
    return !this.sawString && !this.sawBool;
  }

  /** Every cell's text is already what pandas would write for the column's type. */
  get textIsCanonical(): boolean {
    switch (this.type) {
      case 'string':
        return true;
      case 'int':
        return !this.intRewrite;
      case 'float':
        return !this.sawInt && !this.floatRewrite;
      case 'bool':
        return !this.boolRewrite;
    }
  }

  get type(): ColumnType {
    if (this.sawString || (this.sawBool && (this.sawInt || this.sawFloat))) return 'string';
    if (this.sawBool) return 'bool';
    if (this.sawFloat) return 'float';
    if (this.sawInt) return 'int';
    return 'float';
  }
}

/** The text pandas would write for this cell in a column of this type (null: write empty). */
export function canonicalCell(cell: Cell, type: ColumnType): Cell {
  if (cell === null) return null;
  switch (type) {
    case 'string':
      return cell;
    case 'int':
      return CANONICAL_INT.test(cell) ? cell : BigInt(cell).toString();
    case 'float':
      return canonicalFloat(cell);
    case 'bool':
      return cell.toLowerCase() === 'true' ? 'True' : 'False';
  }
}

function canonicalFloat(cell: string): Cell {
  if (SIMPLE_DECIMAL.test(cell) && significantDigits(cell) <= 15 && cell !== '-0.0') {
    const magnitude = Math.abs(Number(cell));
    if (magnitude === 0 || (magnitude >= 1e-4 && magnitude < 1e16)) return cell;
  }
  const value = parseFloatCell(cell);
  return Number.isNaN(value) ? null : formatPythonFloat(value);
}

function significantDigits(text: string): number {
  const digits = text.replace(/[-.]/g, '').replace(/^0+/, '');
  return digits.length;
}
