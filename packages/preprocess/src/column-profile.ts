import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CellBytesScan, DataError, RunningStats, TypeTracker, scanCellBytes, scanCsvBytes } from '@mldp/table';

/** What preprocess needs to know of every column of a CSV file: its type, nulls and numbers. */
export interface ColumnProfile {
  /** Types, where the file does not declare them (CSV). */
  trackers?: TypeTracker[];
  /** Over every row; preprocess takes its duplicates out afterwards (RunningStats#without). */
  stats: RunningStats[];
  nulls: number[];
}

type CsvProfile = Required<ColumnProfile>;

/**
 * One pass over the file's bytes that profiles every column of every row. preprocess runs it
 * in a worker thread while it deduplicates and writes on the main one: the two halves of the
 * work measured about equal, so the step takes ~60% of the time it took on one core.
 */
export function profileCsvColumns(path: string): Promise<CsvProfile> {
  let profile: CsvProfile = { trackers: [], stats: [], nulls: [] };
  const scan: CellBytesScan = { kind: 'string', canonical: true, value: Number.NaN };
  let row = 0;
  return scanCsvBytes(path, {
    header: (columns) => {
      profile = { trackers: columns.map(() => new TypeTracker()), stats: columns.map(() => new RunningStats()), nulls: columns.map(() => 0) };
    },
    record: ({ fields, fieldStart, fieldEnd }) => {
      const { trackers, stats, nulls } = profile;
      for (let c = 0; c < trackers.length; c++) {
        const start = fieldStart[c];
        const end = fieldEnd[c];
        const tracker = trackers[c];
        if (start === end) {
          tracker.nulls++;
          nulls[c]++;
          continue;
        }
        if (tracker.isString) continue;
        scanCellBytes(fields, start, end, scan);
        tracker.observeKind(scan.kind, scan.canonical, row);
        if (tracker.mayBeNumeric) stats[c].push(scan.value);
      }
      row++;
    },
  }).then(() => profile);
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

export interface SerializedProfile {
  trackers: Array<Record<string, unknown>>;
  stats: Array<ReturnType<RunningStats['toJSON']>>;
  nulls: number[];
}

export function serializeProfile(profile: CsvProfile): SerializedProfile {
  return { trackers: profile.trackers.map((t) => t.toJSON()), stats: profile.stats.map((s) => s.toJSON()), nulls: profile.nulls };
}

function deserializeProfile(data: SerializedProfile): ColumnProfile {
  return { trackers: data.trackers.map((t) => TypeTracker.fromJSON(t)), stats: data.stats.map((s) => RunningStats.fromJSON(s)), nulls: data.nulls };
}
