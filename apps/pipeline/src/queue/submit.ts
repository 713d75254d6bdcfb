/**
 * The submitter's side: puts jobs on the project's queue and follows them until each is done or
 * failed, printing what happens as it happens. It reads the queue's state rather than its event
 * stream, so that it rides out a restart of Redis: a job the restarted Redis no longer holds is
 * put back (the store's records say whether it had finished).
 */
import { Job, type JobsOptions, Queue } from 'bullmq';
import { type Store, type SweepRecord, Sweeps } from '@mldp/store';
import { ConnectionWatch, type QueueLocation, queueNameOf, redact } from './connection.js';
import { connect, probe } from './redis-client.js';
import { type QueueJobData, newJobId } from './job.js';
import type { JobResult } from './worker.js';

export interface Submission {
  location: QueueLocation;
  store: Store;
  jobs: QueueJobData[];
  say: (line: string) => void;
  /** A terminal: one status line rewritten in place, besides the event lines. */
  interactive: boolean;
  pollMs?: number;
  /** The sweep's number of jobs, for "job #3/16" (default: the jobs followed). */
  total?: number;
}

export type FailureKind = 'job' | 'worker-lost' | 'refused';

export interface FollowedJob {
  id: string;
  data: QueueJobData;
  state: 'waiting' | 'active' | 'finished' | 'failed';
  worker?: string;
  run?: string;
  error?: string;
  failure?: FailureKind;
}

const JOB_OPTIONS: JobsOptions = {
  // A job that fails by itself is not tried again; a lost worker's job is, by the workers' stalled check.
  attempts: 1,
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Opens the project's queue, failing at once in one line when Redis cannot be reached. */
export async function openQueue(location: QueueLocation, project: string, say: (line: string) => void): Promise<{ queue: Queue<QueueJobData, JobResult>; close: () => Promise<void> }> {
  await probe(location);
  const watch = new ConnectionWatch(location, say, 'submitter');
  const client = connect(location, watch);
  const queue = new Queue<QueueJobData, JobResult>(queueNameOf(project), { connection: client });
  queue.on('error', (error) => watch.noteError(error));
  // BullMQ leaves a connection it was given open: it is closed here.
  return { queue, close: async () => void (await Promise.allSettled([queue.close()]), client.disconnect()) };
}

/** Adds the jobs under new ids, or under `ids` (a job put back after Redis lost it). */
export async function addJobs(queue: Queue<QueueJobData, JobResult>, jobs: QueueJobData[], ids: string[] = jobs.map(newJobId)): Promise<string[]> {
  await queue.addBulk(jobs.map((data, i) => ({ name: data.kind, data, opts: { ...JOB_OPTIONS, jobId: ids[i] } })));
  return ids;
}

/** Follows the jobs until every one has finished or failed. */
export async function followJobs(queue: Queue<QueueJobData, JobResult>, ids: string[], submission: Submission): Promise<FollowedJob[]> {
  const { say, store } = submission;
  const followed = ids.map((id, i): FollowedJob => ({ id, data: submission.jobs[i], state: 'waiting' }));
  const sweeps = new Sweeps(store);
  const logOffsets = new Map<string, number>();
  let statusLine = '';
  const print = (line: string) => {
    if (statusLine) process.stdout.write('\r\x1b[K');
    say(redact(line, submission.location));
    if (statusLine) process.stdout.write(statusLine);
  };
  const label = (job: FollowedJob) => (job.data.sweep ? `job #${job.data.sweep.num}/${submission.total ?? ids.length}` : `job ${job.id}`);
  for (;;) {
    for (const item of followed.filter((j) => j.state === 'waiting' || j.state === 'active')) {
      // The state first: a job read before it ends has no result yet.
      const state = await queue.getJobState(item.id);
      const job = state === 'unknown' ? undefined : await Job.fromId<QueueJobData, JobResult>(queue, item.id);
      if (!job) {
        if (await finishedInStore(sweeps, item)) {
          print(`${label(item)} finished (pipeline ${item.run}); the queue had lost it, the store has it`);
          continue;
        }
        await addJobs(queue, [item.data], [item.id]);
        print(`${label(item)}: the queue no longer held it (Redis restarted without its data?); submitted again`);
        item.state = 'waiting';
        continue;
      }
      if (!item.data.sweep) await printNewLogLines(queue, item.id, logOffsets, print);
      if (state === 'active' && (item.state !== 'active' || job.processedBy !== item.worker)) {
        item.state = 'active';
        item.worker = job.processedBy;
        const after = job.data.handedBack?.attempt === job.attemptsStarted - 1 ? 'after a stopped worker' : 'after a lost worker';
        print(`${label(item)} started on ${job.processedBy ?? 'a worker'}${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted}, ${after})` : ''}`);
      } else if ((state === 'waiting' || state === 'prioritized') && item.state === 'active') {
        item.state = 'waiting';
        const why = job.data.handedBack?.attempt === job.attemptsStarted ? 'was stopped and put it back' : 'was lost';
        print(`${label(item)}: its worker ${item.worker ?? ''} ${why}; back in the queue`);
      } else if (state === 'completed') {
        item.state = 'finished';
        item.run = job.returnvalue?.run;
        print(`${label(item)} finished on ${job.processedBy ?? 'a worker'} (pipeline ${item.run})`);
      } else if (state === 'failed') {
        item.state = 'failed';
        item.error = job.failedReason;
        item.failure = failureKindOf(job.failedReason);
        print(`${label(item)} FAILED (${describeFailure(item.failure)}): ${item.error}`);
      }
    }
    const counts = countStates(followed);
    if (submission.interactive) {
      statusLine = `queue: ${counts.waiting} waiting, ${counts.active} active, ${counts.finished} done, ${counts.failed} failed`;
      process.stdout.write(`\r\x1b[K${statusLine}`);
    }
    if (counts.waiting + counts.active === 0) break;
    await new Promise((resolve) => setTimeout(resolve, submission.pollMs ?? 500));
  }
  if (statusLine) process.stdout.write('\n');
  return followed;
}

/** The lines a worker logged for a single run, printed as they come. */
async function printNewLogLines(queue: Queue<QueueJobData, JobResult>, id: string, offsets: Map<string, number>, print: (line: string) => void): Promise<void> {
  const start = offsets.get(id) ?? 0;
  const { logs } = await queue.getJobLogs(id, start, -1, true);
  for (const line of logs) print(line);
  offsets.set(id, start + logs.length);
}

async function finishedInStore(sweeps: Sweeps, item: FollowedJob): Promise<boolean> {
  if (!item.data.sweep) return false;
  const record = await sweeps.get(item.data.sweep.id);
  const job = record.jobs.find((j) => j.num === item.data.sweep!.num);
  if (job?.status !== 'finished') return false;
  item.state = 'finished';
  item.run = job.run ?? undefined;
  return true;
}

export function failureKindOf(reason: string | undefined): FailureKind {
  if (reason?.startsWith('refused by worker')) return 'refused';
  if (reason && /stalled more than allowable limit/.test(reason)) return 'worker-lost';
  return 'job';
}

export function describeFailure(kind: FailureKind): string {
  return kind === 'job' ? 'by itself; not retried' : kind === 'refused' ? 'refused by a worker' : 'its workers were lost too often';
}

export function countStates(jobs: FollowedJob[]): Record<FollowedJob['state'], number> {
  const counts = { waiting: 0, active: 0, finished: 0, failed: 0 };
  for (const job of jobs) counts[job.state] += 1;
  return counts;
}

/** The sweep's record after its jobs ended: the workers wrote it; a job lost for good is written here if no worker did. */
export async function recordLostJobs(store: Store, record: SweepRecord, followed: FollowedJob[]): Promise<void> {
  const sweeps = new Sweeps(store);
  for (const item of followed.filter((j) => j.state === 'failed' && j.failure === 'worker-lost' && j.data.sweep)) {
    await sweeps.updateJob(record.id, item.data.sweep!.num, (job) => {
      if (job.status === 'failed' && job.failure === 'worker-lost') return false;
      Object.assign(job, { status: 'failed', failure: 'worker-lost', error: item.error ?? 'its workers were lost', endedAt: new Date().toISOString() });
    });
  }
}
