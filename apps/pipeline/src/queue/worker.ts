/**
 * A queue worker: takes jobs of one project's queue and runs each with the orchestrator, exactly
 * as `mldp run` would here, against the store the job names. A job that fails by itself (bad
 * data, a failed check) or that this worker refuses (other code) fails at once and for good;
 * only a lost worker's job comes back, after the lock timeout, a limited number of times.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { Job, Queue, QueueEvents, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { parseSource } from '@mldp/download';
import { type JobRecord, type Store, Sweeps, openStore } from '@mldp/store';
import { PipelineAborted, runPipeline } from '../orchestrator.js';
import { stepsToRun } from '../steps.js';
import { ConnectionWatch, type QueueLocation, queueNameOf, redact } from './connection.js';
import { connect } from './redis-client.js';
import { type QueueJobData, codeIdentity, codeSkew, describeJob } from './job.js';

export interface WorkerSettings {
  location: QueueLocation;
  project: string;
  concurrency: number;
  /** Runs every job against this store instead of the one it names (a shared folder mounted elsewhere). */
  store?: string;
  /** How long a job stays with a worker that stopped renewing its lock, before it goes back to the queue. */
  lockTimeoutMs: number;
  /** How many times a job goes back to the queue after its worker was lost. */
  lostRetries: number;
  /** Relative paths in a job's config resolve here. */
  workspaceRoot: string;
  say: (line: string) => void;
}

export interface JobResult {
  run: string;
}

const LOST_FOR_GOOD = /stalled more than allowable limit/;

export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

export interface RunningWorker {
  /** The jobs it runs now. */
  running(): number;
  /** Takes no new job and resolves once the running ones have ended. */
  finish(): Promise<void>;
  /**
   * Stops the running jobs' steps and hands the jobs back to the queue at once, for another
   * worker; a job it cannot hand back within `graceMs` returns after the lock timeout.
   */
  stopNow(graceMs: number): Promise<void>;
}

/** Starts taking jobs. */
export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const { location, say } = settings;
  const name = workerName();
  const watch = new ConnectionWatch(location, say, `worker ${name}`);
  const queueName = queueNameOf(settings.project);
  const clients = [connect(location, watch), connect(location, watch), connect(location, watch)];
  const stopping = new AbortController();
  let running = 0;
  const run = async (job: Job<QueueJobData, JobResult>, token?: string): Promise<JobResult> => {
    running += 1;
    try {
      return await processJob(job, token, settings, name, stopping.signal);
    } finally {
      running -= 1;
    }
  };
  const worker = new Worker<QueueJobData, JobResult>(queueName, run, {
    connection: clients[0],
    name,
    concurrency: settings.concurrency,
    lockDuration: settings.lockTimeoutMs,
    stalledInterval: settings.lockTimeoutMs,
    maxStalledCount: settings.lostRetries,
    autorun: false,
  });
  worker.on('error', (error) => watch.noteError(error));
  // A job whose workers were lost too often fails without any worker running it: record that too.
  const events = new QueueEvents(queueName, { connection: clients[1] });
  const lookup = new Queue<QueueJobData, JobResult>(queueName, { connection: clients[2] });
  events.on('error', (error) => watch.noteError(error));
  lookup.on('error', (error) => watch.noteError(error));
  events.on('failed', ({ jobId, failedReason }) => {
    if (LOST_FOR_GOOD.test(failedReason)) void recordLostForGood(lookup, jobId, settings).catch((error) => say(`warning: could not record the loss of job ${jobId}: ${(error as Error).message}`));
  });
  say(
    `worker ${name}: taking jobs of project ${settings.project} from ${location.display} (queue ${queueName}), ${settings.concurrency} at a time; ` +
      `a lost worker's job returns after ${settings.lockTimeoutMs / 1000}s, up to ${settings.lostRetries} time${settings.lostRetries === 1 ? '' : 's'}`,
  );
  void worker.run().catch((error) => say(`worker ${name}: ${redact((error as Error).message, location)}`));
  const disconnect = async () => {
    await Promise.allSettled([events.close(), lookup.close()]);
    for (const client of clients) client.disconnect();
  };
  return {
    running: () => running,
    finish: async () => {
      await worker.close();
      await disconnect();
    },
    stopNow: async (graceMs) => {
      stopping.abort();
      const handedBack = worker.close().then(() => true);
      const late = await Promise.race([handedBack, new Promise<false>((resolve) => setTimeout(resolve, graceMs, false).unref())]);
      if (!late) await worker.close(true).catch(() => undefined);
      await disconnect();
    },
  };
}

async function processJob(job: Job<QueueJobData, JobResult>, token: string | undefined, settings: WorkerSettings, name: string, stopping: AbortSignal): Promise<JobResult> {
  const data = job.data;
  const label = data.sweep ? `#${data.sweep.num}` : `job ${job.id}`;
  const say = (line: string) => settings.say(`[${label}] ${line}`);
  const took = job.attemptsStarted > 1 ? ` (again, attempt ${job.attemptsStarted}: ${againBecause(job)})` : '';
  say(`${describeJob(data)} started on ${name}${took}`);

  const skew = codeSkew(data.code, codeIdentity());
  if (skew) {
    const reason = `refused by worker ${name}: ${skew}; run workers of the submitter's mldp version and code`;
    say(reason);
    await recordEnd(data, settings, { status: 'failed', error: reason, failure: 'refused', worker: name }).catch(() => undefined);
    throw new UnrecoverableError(reason);
  }

  let store: Store;
  try {
    store = await openStore({ location: settings.store ?? data.store, project: data.project, cwd: settings.workspaceRoot, create: false });
  } catch (error) {
    const reason = `worker ${name} cannot reach the store ${settings.store ?? data.store}: ${(error as Error).message}; give workers a store they share (s3://, or a folder mounted at the same path, or --store)`;
    say(reason);
    throw new UnrecoverableError(reason);
  }
  const sweeps = new Sweeps(store);
  const started = Date.now();
  if (data.sweep) {
    const { id, num } = data.sweep;
    await sweeps.updateJob(id, num, (record) => {
      Object.assign(record, { status: 'running', startedAt: new Date(started).toISOString(), endedAt: null, seconds: null, exitCode: null, error: null, worker: name, failure: null });
      record.attempts += 1;
    });
  }

  let log = '';
  let problem: string | undefined;
  const print = (line: string) => {
    log += `${line}\n`;
    say(line);
    if (line.startsWith('pipeline failed at ')) problem = line.slice('pipeline failed at '.length);
    // A single run's submitter shows its log as it comes; a sweep's logs are kept in the store.
    if (!data.sweep) void job.log(line).catch(() => undefined);
  };
  let outcome: { status: 'finished' | 'failed'; run: string | null; exitCode: number; error: string | null };
  const unreachable = unreachableInput(data, settings.workspaceRoot, name);
  if (unreachable) {
    print(unreachable);
    outcome = { status: 'failed', run: null, exitCode: 1, error: unreachable };
  } else {
    try {
      const result = await runPipeline(data.config, {
        store,
        workspaceRoot: settings.workspaceRoot,
        overrides: data.overrides,
        configPath: data.configFile,
        print,
        stepOutput: (chunk) => (log += chunk),
        info: { ...(data.sweep ? { sweep: `${data.sweep.id}:${data.sweep.num}` } : {}), worker: name, queue_job: job.id },
        report: false,
        abort: stopping,
      });
      outcome = { status: result.status === 'failed' ? 'failed' : 'finished', run: result.runId, exitCode: result.exitCode, error: result.status === 'failed' ? (problem ?? `failed at ${result.failedStep}`) : null };
    } catch (error) {
      if (error instanceof PipelineAborted) return handBack(job, token, data, settings, say, name);
      const message = (error as Error).message;
      print(`error: ${message}`);
      outcome = { status: 'failed', run: null, exitCode: 1, error: message };
    }
  }
  if (data.sweep) await sweeps.saveLog(data.sweep.id, data.sweep.num, log);
  await recordEnd(data, settings, { ...outcome, seconds: Math.round((Date.now() - started) / 100) / 10, failure: outcome.status === 'failed' ? 'job' : null, worker: name }, store);
  if (outcome.status === 'failed') {
    say(`FAILED: ${outcome.error} (not retried: it failed by itself)`);
    throw new UnrecoverableError(outcome.error ?? 'the pipeline failed');
  }
  say(`finished in ${((Date.now() - started) / 1000).toFixed(1)}s (pipeline ${outcome.run})`);
  return { run: outcome.run! };
}

function againBecause(job: Job<QueueJobData, JobResult>): string {
  const back = job.data.handedBack;
  return back?.attempt === job.attemptsStarted - 1 ? `worker ${back.by} was stopped and put it back` : 'its worker was lost';
}

/** Puts a job this worker stopped back in the queue, for the next worker to run from the start. */
async function handBack(job: Job<QueueJobData, JobResult>, token: string | undefined, data: QueueJobData, settings: WorkerSettings, say: (line: string) => void, name: string): Promise<never> {
  // The record first: once back in the queue, another worker may start the job and record that.
  await recordEnd(data, settings, { status: 'pending', endedAt: null, error: null, worker: name }).catch(() => undefined);
  await job.updateData({ ...data, handedBack: { by: name, attempt: job.attemptsStarted } });
  await job.moveToWait(token);
  say(`stopped on ${name}: back in the queue`);
  // Tells BullMQ the job moved back to waiting: neither finished nor failed.
  throw new WaitingError();
}

/** A data file the config names by path must be reachable from this worker's workspace. */
function unreachableInput(data: QueueJobData, workspaceRoot: string, name: string): string | undefined {
  if (!stepsToRun(data.config).includes('download')) return undefined;
  const fileUrl = data.config.data.file_url;
  const source = parseSource(fileUrl, workspaceRoot, 'data.file_url');
  if (source.kind === 'file' && !existsSync(source.path)) {
    return `data.file_url ${fileUrl} is not reachable from worker ${name}: ${source.path} does not exist; put the data at that path in the worker's workspace (${workspaceRoot}), or use an http(s):// URL`;
  }
  return undefined;
}

/** Records how a sweep job ended, in the sweep's record (a single run has its pipeline run record). */
async function recordEnd(data: QueueJobData, settings: WorkerSettings, end: Partial<JobRecord>, store?: Store): Promise<void> {
  if (!data.sweep) return;
  const target = store ?? (await openStore({ location: settings.store ?? data.store, project: data.project, cwd: settings.workspaceRoot, create: false }));
  await new Sweeps(target).updateJob(data.sweep.id, data.sweep.num, (job) => {
    Object.assign(job, { endedAt: new Date().toISOString(), ...end });
    if (job.startedAt === null) job.startedAt = job.endedAt;
  });
}

async function recordLostForGood(queue: Queue<QueueJobData, JobResult>, jobId: string, settings: WorkerSettings): Promise<void> {
  const job = await Job.fromId<QueueJobData, JobResult>(queue, jobId);
  if (!job?.data.sweep) return;
  const lost = settings.lostRetries + 1;
  await recordEnd(job.data, settings, { status: 'failed', error: `its worker was lost ${lost} time${lost === 1 ? '' : 's'} (the queue gives up after --lost-retries ${settings.lostRetries})`, failure: 'worker-lost', exitCode: null });
  settings.say(`[#${job.data.sweep.num}] FAILED: its worker was lost ${lost} times; not retried again`);
}
