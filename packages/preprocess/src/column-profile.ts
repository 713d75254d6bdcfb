import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ByteLabels, type CellBytesScan, type ColumnType, type CountedValues, DataError, type ParquetGroup, RunningStats, TypeTracker, ValueCounter, entryStart, scanCellBytes, scanCsvBytes } from '@mldp/table';

/** What preprocess needs to know of every column of a CSV file: its type, nulls and numbers. */
export interface ColumnProfile {
  /** Types, where the file does not declare them (CSV). */
  trackers?: TypeTracker[];
  /** Over every row; preprocess takes its duplicates out afterwards (RunningStats#without). */
  stats: RunningStats[];
  nulls: number[];
  /**
   * Each column's numbers counted by value and its cells by text (see TableCounts), where they
   * were counted: undefined for a column with too many distinct values, or not numeric.
   */
  numbers?: Array<CountedValues | undefined>;
  labels?: Array<Map<string, number> | undefined>;
}

/** Columns with more distinct cells than this get no label counts (they are not class columns). */
export const MAX_LABELS = 4096;

/**
 * The most distinct numbers counted across all columns (~12-48 MB of tables): past it the
 * column with the most is no longer counted, so a table of unique floats cannot take preprocess
 * over its memory budget.
 */
const MAX_COUNTED = 1 << 20;

type CsvProfile = Required<ColumnProfile>;

/** Counts each column's numbers and labels within the limits above. */
export class ProfileCounters {
  readonly numbers: ValueCounter[];
  readonly labels: Array<ByteLabels | undefined>;

  constructor(width: number) {
    this.numbers = Array.from({ length: width }, () => new ValueCounter());
    this.labels = Array.from({ length: width }, () => new ByteLabels());
  }

  /** Called every few thousand rows: drops the largest counters while over MAX_COUNTED. */
  enforceBudget(): void {
    let total = this.numbers.reduce((sum, counter) => sum + counter.distinct, 0);
    while (total > MAX_COUNTED) {
      const largest = this.numbers.reduce((a, b) => (b.distinct > a.distinct ? b : a));
      total -= largest.distinct;
      largest.abandon();
    }
  }

  /** Counts a Parquet row group's columns of the given types from each entry's count. */
  addGroup({ rows, columns }: ParquetGroup, types: ColumnType[]): void {
    for (const [c, column] of columns.entries()) {
      const { codes, values, ends } = column;
      if (types[c] === 'int' || types[c] === 'float') {
        // Numbers read by hyparquet's row reader (decimals, unsigned) come as text only: not counted.
        if (!values) this.numbers[c].abandon();
        else {
          const counts = new Uint32Array(ends.length);
          for (let r = 0; r < rows; r++) if (codes[r] >= 0) counts[codes[r]]++;
          for (let e = 0; e < counts.length; e++) this.numbers[c].add(values[e], counts[e]);
        }
      }
      const labels = this.labels[c];
      if (!labels || types[c] !== 'string') continue;
      // Each entry's label is looked up once, at its first row: labels keep the order rows show them.
      const ids = new Int32Array(ends.length + 1).fill(-1);
      for (let r = 0; r < rows; r++) {
        const slot = codes[r] + 1;
        if (ids[slot] < 0) ids[slot] = codes[r] < 0 ? labels.idOf(column.bytes, 0, 0) : labels.idOf(column.bytes, entryStart(column, codes[r]), ends[codes[r]]);
        labels.counts[ids[slot]]++;
      }
      if (labels.labels.length > MAX_LABELS) this.labels[c] = undefined;
    }
    this.enforceBudget();
  }

  /** The counts of the columns of these final types: numbers of int and float, labels of string columns. */
  finish(types: ColumnType[]): Pick<CsvProfile, 'numbers' | 'labels'> {
    return {
      numbers: this.numbers.map((counter, c) => (types[c] === 'int' || types[c] === 'float' ? counter.finish() : undefined)),
      labels: this.labels.map((labels, c) => (labels && types[c] === 'string' ? new Map(labels.labels.map((label, id) => [label, labels.counts[id]])) : undefined)),
    };
  }
}

/**
 * One pass over the file's bytes that profiles every column of every row. preprocess runs it
 * in a worker thread while it deduplicates and writes on the main one: the two halves of the
 * work measured about equal, so the step takes ~60% of the time it took on one core.
 */
export async function profileCsvColumns(path: string): Promise<CsvProfile> {
  let profile: Omit<CsvProfile, 'numbers' | 'labels'> = { trackers: [], stats: [], nulls: [] };
  let counters = new ProfileCounters(0);
  const scan: CellBytesScan = { kind: 'string', canonical: true, value: Number.NaN };
  let row = 0;
  await scanCsvBytes(path, {
    header: (columns) => {
      profile = { trackers: columns.map(() => new TypeTracker()), stats: columns.map(() => new RunningStats()), nulls: columns.map(() => 0) };
      counters = new ProfileCounters(columns.length);
    },
    record: ({ fields, fieldStart, fieldEnd }) => {
      const { trackers, stats, nulls } = profile;
      const { numbers, labels } = counters;
      for (let c = 0; c < trackers.length; c++) {
        const start = fieldStart[c];
        const end = fieldEnd[c];
        const tracker = trackers[c];
        if (start === end) {
          tracker.nulls++;
          nulls[c]++;
          labels[c]?.tally(fields, start, end);
          continue;
        }
        if (!tracker.isString) {
          scanCellBytes(fields, start, end, scan);
          tracker.observeKind(scan.kind, scan.canonical, row);
          if (tracker.mayBeNumeric) {
            stats[c].push(scan.value);
            numbers[c].push(scan.value);
          }
          // Only string columns get labels, and only if every cell was tallied (none passed as a number).
          if (!tracker.isString) {
            labels[c] = undefined;
            continue;
          }
        }
        const columnLabels = labels[c];
        if (columnLabels) {
          columnLabels.tally(fields, start, end);
          if (columnLabels.labels.length > MAX_LABELS) labels[c] = undefined;
        }
      }
      if ((++row & 8191) === 0) counters.enforceBudget();
    },
  });
  return { ...profile, ...counters.finish(profile.trackers.map((t) => t.type)) };
}

const WORKER = fileURLToPath(new URL('./profile-worker.js', import.meta.url));

/**
 * Starts profiling in a worker thread and returns its result later. Where the worker script
 * is not built (running from TypeScript sources) it profiles here, when awaited.
 */
export function profileInBackground(path: string): () => Promise<ColumnProfile> {
  if (!existsSync(WORKER)) return () => profileCsvColumns(path);
  const worker = new Worker(WORKER, { workerData: { path } });
  const result = new Promise<ColumnProfile>((resolve, reject) => {
    worker.once('message', (message: { ok: boolean; profile?: SerializedProfile; error?: { code?: string; message: string; hint?: string } }) => {
      if (message.ok) resolve(deserializeProfile(message.profile!));
      else reject(new DataError(message.error!.code ?? 'E_DATA', message.error!.message, { hint: message.error!.hint }));
    });
    worker.once('error', reject);
  }).finally(() => worker.terminate());
  result.catch(() => undefined); // awaited (and reported) by the caller, or dropped with the pass
  return () => result;
}

export interface SerializedProfile extends Pick<CsvProfile, 'nulls' | 'numbers' | 'labels'> {
  trackers: Array<Record<string, unknown>>;
  stats: Array<ReturnType<RunningStats['toJSON']>>;
}

/** The profile as a worker posts it (counts and labels go by structured clone as they are). */
export function serializeProfile(profile: CsvProfile): SerializedProfile {
  return { ...profile, trackers: profile.trackers.map((t) => t.toJSON()), stats: profile.stats.map((s) => s.toJSON()) };
}

function deserializeProfile(data: SerializedProfile): ColumnProfile {
  return { ...data, trackers: data.trackers.map((t) => TypeTracker.fromJSON(t)), stats: data.stats.map((s) => RunningStats.fromJSON(s)) };
}
