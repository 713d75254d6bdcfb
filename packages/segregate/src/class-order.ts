import { type ColumnType, DataError, formatPythonFloat, parseFloatCell } from '@mldp/table';
import type { Classes } from './shuffle-split.js';

/** A class label as pandas holds it in a column of its type, and how np.unique orders it. */
interface ClassKey {
  /** Equal keys are one class (`1`, `01` and `+1` in an int column; `0.0` and `-0.0` in a float one). */
  id: string;
  sortKey: bigint | number | string;
  /** How the class is named in messages and metadata: as pandas would write it. */
  label: string;
}

/**
 * Numbers the classes of a stratify column as `np.unique(y, return_inverse=True)` does on the
 * column pandas.read_csv makes: sorted by value in the column's dtype (ints and floats
 * numerically, False before True, strings by Unicode code point as Python compares them, not by
 * JavaScript's UTF-16 units), equal values one class. `texts` are the column's distinct cell
 * texts, as pandas writes them, and `textOf` each row's index into them.
 */
export function orderClasses(texts: readonly string[], textOf: Int32Array, type: ColumnType, column: string): Classes {
  const keys = texts.map((text) => classKey(text, type, column));
  const distinct = [...new Map(keys.map((key) => [key.id, key])).values()].sort((a, b) => compareKeys(a.sortKey, b.sortKey));
  const classOfId = new Map(distinct.map((key, c) => [key.id, c]));
  const classOfText = Int32Array.from(keys, (key) => classOfId.get(key.id)!);
  const classOf = new Int32Array(textOf.length);
  for (let i = 0; i < textOf.length; i++) classOf[i] = classOfText[textOf[i]];
  return { classOf, labels: distinct.map((key) => key.label) };
}

function classKey(text: string, type: ColumnType, column: string): ClassKey {
  switch (type) {
    case 'string':
      return { id: text, sortKey: text, label: text };
    case 'bool': {
      const label = text.toLowerCase() === 'true' ? 'True' : 'False';
      return { id: label, sortKey: label === 'True' ? 1 : 0, label };
    }
    case 'int': {
      const value = BigInt(text.trim());
      return { id: value.toString(), sortKey: value, label: value.toString() };
    }
    case 'float': {
      // + 0 makes -0 into 0: they compare equal, so np.unique makes them one class.
      const value = parseFloatCell(text) + 0;
      if (!Number.isFinite(value)) {
        throw new DataError('E_CLASS_NOT_FINITE', `the stratify column "${column}" holds ${text}, and scikit-learn refuses class labels that are NaN or infinite`, {
          hint: 'drop or replace those rows, or stratify by another column',
        });
      }
      const label = formatPythonFloat(value);
      return { id: label, sortKey: value, label };
    }
  }
}

function compareKeys(a: bigint | number | string, b: bigint | number | string): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Python's str order: by code point. JavaScript's `<` compares UTF-16 units, which puts astral
 * characters (surrogate pairs, 0xD800-0xDFFF) before U+E000-U+FFFF; Python puts them after.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Both in one range: units compare as code points. A surrogate against a unit at or above
    // 0xE000 is a code point above 0xFFFF against one below it.
    if (x >= 0xd800 && y >= 0xd800 && (x < 0xe000) !== (y < 0xe000)) return x < 0xe000 ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
