import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Reporter } from '@mldp/runtime';
import { ByteLabels, type ColumnType, DataError, canonicalizeTable, detectFormat, formatCsvLine, missingColumn, readCsvRecords } from '@mldp/table';
import { RowLinesBuilder, type RowLines, trimmed } from './row-lines.js';
import { Appender } from './scratch-io.js';

/** The stratify column as read: each row's cell text (by index into `texts`), and the column's type. */
export interface RowLabels {
  texts: string[];
  textOf: Int32Array;
  /** Rows whose label is null (an empty cell: what pandas reads as NaN). */
  nulls: number;
  type: ColumnType;
}

export interface TableRows {
  lines: RowLines;
  /** Null when not stratifying. */
  labels: RowLabels | null;
}

export interface ScanOptions {
  stratify: string | null;
  /** How messages name the input. */
  ref: string;
  /** Where a canonical copy of the rows goes, when the input's own lines cannot be copied. */
  workDir: string;
  reporter: Reporter;
  /** The column types of a CSV mldp wrote itself (canonicalTypesOf its artifact): its lines are already as pandas writes them. */
  knownTypes?: Map<string, ColumnType>;
}

/**
 * Reads a table once for what a split needs: where every row's line is, as pandas would write
 * it, and the stratify column's labels with the column's type as pandas types it. A CSV mldp
 * wrote is used as it is; any other table is first copied as pandas would read and write it
 * (@mldp/table's canonicalizeTable), the general path for steps that read rows in another order.
 */
export async function readTableRows(path: string, options: ScanOptions): Promise<TableRows> {
  if ((await detectFormat(path)) === 'csv' && options.knownTypes) return readCanonicalCsv(path, options, options.knownTypes);
  const copy = join(options.workDir, 'canonical-input.csv');
  const size = (await stat(path)).size;
  const table = await canonicalizeTable(path, copy, { quoteCr: true, progress: (pass, bytes) => options.reporter.progress(`segregate: reading (${pass})`, bytes, size, 'bytes') });
  options.reporter.endProgress();
  const { stratify } = options;
  const labelColumn = stratify === null ? -1 : table.columns.indexOf(stratify);
  if (stratify !== null && labelColumn < 0) throw missingColumn(options.ref, stratify, table.columns);
  if (labelColumn >= 0 && table.dtypes[labelColumn] === 'object' && table.kinds[labelColumn].some((kind) => kind !== 'object')) {
    // pandas' low_memory reader typed some chunks as numbers or booleans: np.unique cannot sort those with text.
    throw new DataError('E_MIXED_CLASSES', `the stratify column "${stratify}" of ${options.ref} mixes numbers or booleans with text, as pandas reads it in chunks, and scikit-learn cannot sort such labels`, {
      hint: 'make the column all text (or all numbers), or stratify by another column',
    });
  }
  return readCanonicalCsv(copy, options, new Map(table.columns.map((name, c) => [name, table.types[c]])));
}

/**
 * CSV as pandas writes it: each plain line stays where it is (only its class field is located);
 * records with quotes are re-quoted as pandas quotes them (a copy quotes CRs that pandas leaves
 * bare) into a side file.
 */
async function readCanonicalCsv(path: string, options: ScanOptions, types: Map<string, ColumnType>): Promise<TableRows> {
  const { stratify, ref, reporter } = options;
  const lines = new RowLinesBuilder();
  const quoted = new Appender(join(options.workDir, 'quoted-lines.csv'));
  const labels = new LabelCollector();
  const byteLabels = new ByteLabels();
  let labelColumn = -1;
  let header = '';
  const size = (await stat(path)).size;
  try {
    await readCsvRecords(
      path,
      {
        header: (columns) => {
          header = formatCsvLine(columns);
          labelColumn = stratify === null ? -1 : columns.indexOf(stratify);
          if (stratify !== null && labelColumn < 0) throw missingColumn(ref, stratify, columns);
        },
        record: (record) => {
          if (record.plain) lines.add(record.fileStart, record.fileEnd - record.fileStart);
          else {
            lines.add(-quoted.offset - 1, record.lineEnd - record.lineStart);
            quoted.append(record.line, record.lineStart, record.lineEnd);
          }
          if (labelColumn < 0) return;
          const start = record.fieldStart[labelColumn];
          const end = record.fieldEnd[labelColumn];
          labels.addId(byteLabels.idOf(record.fields, start, end), start === end);
        },
        progress: (bytes) => reporter.progress('segregate: scanning', bytes, size, 'bytes'),
      },
      { columns: () => (labelColumn < 0 ? [] : [labelColumn]), pandasLines: true },
    );
  } finally {
    quoted.close();
  }
  reporter.endProgress();
  const type = stratify === null ? 'string' : (types.get(stratify) ?? [...types.values()][labelColumn] ?? 'string');
  return { lines: lines.finish(path, quoted.path, header), labels: stratify === null ? null : labels.finish(type, byteLabels.labels) };
}

/** Each row's label as an index into the distinct label texts (ByteLabels' ids, in order of first appearance). */
class LabelCollector {
  private textOf = new Int32Array(1 << 14);
  private rows = 0;
  private nulls = 0;

  addId(id: number, isNull: boolean): void {
    if (isNull) this.nulls++;
    if (this.rows === this.textOf.length) {
      const grown = new Int32Array(this.rows * 2);
      grown.set(this.textOf);
      this.textOf = grown;
    }
    this.textOf[this.rows++] = id;
  }

  finish(type: ColumnType, texts: string[]): RowLabels {
    return { texts, textOf: trimmed(this.textOf, this.rows), nulls: this.nulls, type };
  }
}
