/**
 * Sweep records in the store: `sweeps/ID.json` holds the sweep's overrides and its jobs (number,
 * overrides, status, pipeline run, times); `sweeps/ID/job-N.log` holds each job's output.
 * Ids are claimed with an exclusive create, so they stay unique when many machines start
 * sweeps in the same millisecond.
 */
import { randomBytes } from 'node:crypto';
import { UsageError } from '@mldp/runtime';
import { SWEEPS_PREFIX, isSweepKey, sweepJobLogKey, sweepKey } from './keys.js';
import type { Store } from './store.js';

/** One job of a sweep: its number (0-based, in sweep order) and its overrides. */
export interface SweepJob {
  num: number;
  overrides: string[];
}

export type JobStatus = 'pending' | 'running' | 'finished' | 'failed';

export interface JobRecord extends SweepJob {
  status: JobStatus;
  /** The job's pipeline run, once it started one. */
  run: string | null;
  startedAt: string | null;
  endedAt: string | null;
  seconds: number | null;
  exitCode: number | null;
  error: string | null;
  /** Times this job was started (resume starts failed ones again; a queue, after a worker is lost). */
  attempts: number;
  /** Queued jobs: the worker (host:pid) running it or that ran it last. */
  worker?: string | null;
  /**
   * Why a failed job failed: by itself (`job`: bad data, a failed check; never retried), its
   * workers were lost more often than allowed (`worker-lost`), or a worker refused it (`refused`:
   * another mldp version or code).
   */
  failure?: 'job' | 'worker-lost' | 'refused' | null;
}

export interface SweepRecord {
  id: string;
  project: string;
  createdAt: string;
  /** The sweep's overrides: the config's `sweep:` section, then the command line's. */
  overrides: string[];
  configFile: string;
  /** The process running the sweep's jobs now, if any. */
  runner?: { host: string; pid: number } | null;
  jobs: JobRecord[];
}

const SWEEP_ID = /^[0-9]{8}-[0-9]{9}-[0-9a-f]{8}$/;

/** A sortable id: UTC time to the millisecond, then 32 random bits. */
export function newSweepId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp.slice(0, 8)}-${stamp.slice(9, 18)}-${randomBytes(4).toString('hex')}`;
}

export class Sweeps {
  constructor(
    private readonly store: Store,
    /** Where ids come from; an id already taken is drawn again. */
    private readonly newId: () => string = newSweepId,
  ) {}

  /** Records a new sweep with all its jobs pending. */
  async create(fields: Omit<SweepRecord, 'id' | 'project' | 'createdAt' | 'jobs'>, jobs: SweepJob[]): Promise<SweepRecord> {
    for (;;) {
      const record: SweepRecord = {
        id: this.newId(),
        project: this.store.project,
        createdAt: new Date().toISOString(),
        ...fields,
        jobs: jobs.map((job) => ({ ...job, status: 'pending', run: null, startedAt: null, endedAt: null, seconds: null, exitCode: null, error: null, attempts: 0 })),
      };
      if (await this.store.driver.createDoc(sweepKey(record.id), serialize(record))) return record;
    }
  }

  async get(id: string): Promise<SweepRecord> {
    const doc = SWEEP_ID.test(id) ? await this.store.driver.readDoc(sweepKey(id)) : undefined;
    if (!doc) {
      const known = (await this.list()).slice(0, 3).map((s) => s.id);
      throw new UsageError(`sweep "${id}" does not exist in ${this.store.location}`, { hint: known.length ? `recent sweeps: ${known.join(', ')} (see "mldp sweeps list")` : 'start one with "mldp run --multirun ..."' });
    }
    return JSON.parse(doc.text) as SweepRecord;
  }

  /** Saves the record; only the process running the sweep writes it. */
  async save(record: SweepRecord): Promise<void> {
    await this.store.driver.putDoc(sweepKey(record.id), serialize(record));
  }

  /**
   * Changes one job of the record with a compare-and-swap, so that workers on many machines can
   * each record their own jobs of one sweep. `change` returns false to leave the record as it is.
   */
  async updateJob(id: string, num: number, change: (job: JobRecord) => boolean | void): Promise<JobRecord> {
    for (;;) {
      const doc = await this.store.driver.readDoc(sweepKey(id));
      if (!doc) throw new UsageError(`sweep "${id}" does not exist in ${this.store.location}`, { hint: 'the job names a sweep its store does not hold: check the store the worker uses' });
      const record = JSON.parse(doc.text) as SweepRecord;
      const job = record.jobs.find((j) => j.num === num);
      if (!job) throw new UsageError(`sweep ${id} has no job #${num}`);
      if (change(job) === false) return job;
      if (await this.store.driver.swapDoc(sweepKey(id), serialize(record), doc.etag)) return job;
    }
  }

  /** The project's sweeps, newest first. */
  async list(): Promise<SweepRecord[]> {
    const keys = (await this.store.driver.listDocs(SWEEPS_PREFIX)).filter(isSweepKey).sort().reverse();
    const records: SweepRecord[] = [];
    for (const key of keys) {
      const doc = await this.store.driver.readDoc(key);
      const record = doc && (JSON.parse(doc.text) as SweepRecord);
      if (record && record.project === this.store.project) records.push(record);
    }
    return records;
  }

  async saveLog(id: string, num: number, text: string): Promise<void> {
    await this.store.driver.putDoc(sweepJobLogKey(id, num), text);
  }

  async log(id: string, num: number): Promise<string> {
    return (await this.store.driver.readDoc(sweepJobLogKey(id, num)))?.text ?? '';
  }
}

function serialize(record: SweepRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
