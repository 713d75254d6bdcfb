import { runInWorker } from '@mldp/runtime';
import { type CellBytesScan, type CountedValues, DataError, RunningStats, TypeTracker, chunkRowsFor, isNaTokenBytes, readCsvRecords, scanCellBytes, tokenFlags } from '@mldp/table';
import { MAX_LABELS, ProfileCounters } from './profile-counters.js';

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

type CsvProfile = Required<ColumnProfile>;

/**
 * One pass over the file's bytes that profiles every column of every row. preprocess runs it
 * in a worker thread while it deduplicates and writes on the main one: the two halves of the
 * work are of about equal size, so the two cores share the step.
 */
export async function profileCsvColumns(path: string, countTo = Infinity): Promise<CsvProfile> {
  let profile: Omit<CsvProfile, 'numbers' | 'labels'> = { trackers: [], stats: [], nulls: [] };
  let counters = new ProfileCounters(0);
  const scan: CellBytesScan = { flags: 0, value: Number.NaN };
  let row = 0;
  await readCsvRecords(path, {
    header: (columns) => {
      const chunkRows = chunkRowsFor(columns.length);
      profile = { trackers: columns.map(() => new TypeTracker(chunkRows)), stats: columns.map(() => new RunningStats()), nulls: columns.map(() => 0) };
      counters = new ProfileCounters(columns.length, 0, Math.min(countTo, columns.length));
    },
    record: ({ fields, fieldStart, fieldEnd }) => {
      const { trackers, stats, nulls } = profile;
      const { numbers, labels } = counters;
      for (let c = 0; c < trackers.length; c++) {
        const start = fieldStart[c];
        const end = fieldEnd[c];
        const tracker = trackers[c];
        if (start === end) {
          tracker.observeFlags(tokenFlags.NA, row);
          nulls[c]++;
          labels[c]?.tally(fields, start, end);
          continue;
        }
        if (tracker.isTextAt(row)) {
          // The rest of a text chunk only matters for its NA tokens, which pandas writes empty.
          if (isNaTokenBytes(fields, start, end)) tracker.observeFlags(tokenFlags.NA | tokenFlags.NA_TEXT, row);
        } else {
          scanCellBytes(fields, start, end, scan);
          tracker.observeFlags(scan.flags, row);
          if (scan.value === 0 && Object.is(scan.value, -0)) tracker.negativeZero = true;
          if (tracker.mayBeNumeric) {
            stats[c].push(scan.value);
            if (c < countTo) numbers[c].push(scan.value);
          }
          // Only text columns get labels, and only if every cell was tallied (none passed as a number).
          if (!tracker.isTextAt(row)) {
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

const WORKER = new URL('./profile-worker.js', import.meta.url);

/** A profile under way in a worker thread: its result later, or stopped when it is no longer wanted. */
export interface BackgroundProfile {
  result(): Promise<ColumnProfile>;
  stop(): void;
}

/** Starts profiling in a worker thread; the worker counts the numbers and labels of columns [0, countTo). */
export function profileInBackground(path: string, countTo: number): BackgroundProfile {
  const worker = runInWorker<SerializedProfile>(WORKER, { task: 'preprocess: profiling the columns', data: { path, countTo }, errorTypes: [DataError] });
  const result = worker.result().then(deserializeProfile);
  result.catch(() => undefined); // awaited (and reported) by the caller, or dropped with the pass
  return { result: () => result, stop: () => void worker.stop() };
}

export interface SerializedProfile extends Pick<CsvProfile, 'nulls' | 'numbers' | 'labels'> {
  trackers: Array<Record<string, unknown>>;
  stats: Array<ReturnType<RunningStats['toJSON']>>;
}

/** The profile as a worker posts it, and the buffers of its counts, to transfer rather than copy. */
export function serializeProfile(profile: CsvProfile): { data: SerializedProfile; transfer: ArrayBuffer[] } {
  const transfer = profile.numbers.flatMap((counted) => (counted ? [counted.distinct.buffer as ArrayBuffer, counted.counts.buffer as ArrayBuffer] : []));
  return { data: { ...profile, trackers: profile.trackers.map((t) => t.toJSON()), stats: profile.stats.map((s) => s.toJSON()) }, transfer };
}

function deserializeProfile(data: SerializedProfile): ColumnProfile {
  return { ...data, trackers: data.trackers.map((t) => TypeTracker.fromJSON(t)), stats: data.stats.map((s) => RunningStats.fromJSON(s)) };
}
