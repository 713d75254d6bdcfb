import { DataError } from '@mldp/table';

/** The class of every row as a small id, in input order, and the labels the ids stand for. */
export class RowClasses {
  private readonly ids = new Map<string, number>();
  private classOf = new Int32Array(1 << 16);
  private rows = 0;
  private nulls = 0;

  /** Adds a row: its class label, null for an empty class cell, or undefined when not stratifying. */
  add(label: string | null | undefined): void {
    let id = 0;
    if (label !== undefined) {
      if (label === null) this.nulls++;
      const key = label ?? '';
      id = this.ids.get(key) ?? this.ids.size;
      if (id === this.ids.size) this.ids.set(key, id);
    }
    this.push(id);
  }

  /** Adds a row by a label id of ByteLabels (ids in order of first appearance, as `add` gives them). */
  addId(id: number, isNull: boolean): void {
    if (isNull) this.nulls++;
    this.push(id);
  }

  private push(id: number): void {
    if (this.rows === this.classOf.length) {
      const grown = new Int32Array(this.classOf.length * 2);
      grown.set(this.classOf);
      this.classOf = grown;
    }
    this.classOf[this.rows++] = id;
  }

  /** The labels (['all'] without stratification) and each row's class; empty class cells are an error. */
  finish(stratify: string | null, ref: string, labels = [...this.ids.keys()]): { labels: string[]; classOf: Int32Array } {
    if (this.nulls > 0) {
      throw new DataError('E_NULL_CLASS', `the stratify column "${stratify}" of ${ref} has ${this.nulls} empty values`, {
        hint: 'fill or drop those rows, or split without stratification (--stratify null)',
      });
    }
    return { labels: stratify === null ? ['all'] : labels, classOf: this.classOf.slice(0, this.rows) };
  }
}
