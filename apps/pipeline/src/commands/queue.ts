import { UsageError } from '@mldp/runtime';
import { type Store, type SweepRecord, Sweeps } from '@mldp/store';
import { loadConfig } from '../config.js';
import { type GlobalArgs, projectOf } from '../context.js';
import { formatTable, printJson } from '../format.js';
import { writeSweepReport } from '../sweep/run-sweep.js';
import { type QueueLocation, parseQueueUrl, queueNameOf, queueUrlOf } from '../queue/connection.js';
import { type QueueJobData, codeIdentity } from '../queue/job.js';
import { queueStatus } from '../queue/status.js';
import type { FollowedJob } from '../queue/submit.js';
import type { ResolvedConfig } from '../config.js';

export interface QueueArgs extends GlobalArgs {
  queue?: string;
  detach?: boolean;
}

/** The submitting side of the queue, loaded when a command uses it: BullMQ and its client are ~300 modules. */
const submitter = () => import('../queue/submit.js');

const say = (line: string) => process.stdout.write(`${line}\n`);
const interactive = () => Boolean(process.stdout.isTTY) && !process.env.CI;

/** The queue a command submits to, or undefined to run here; --detach needs one. */
export function queueOf(args: QueueArgs): QueueLocation | undefined {
  const url = queueUrlOf(args);
  if (!url) {
    if (args.detach) throw new UsageError('--detach goes with --queue', { hint: 'give --queue redis://HOST:PORT or set MLDP_QUEUE' });
    return undefined;
  }
  return parseQueueUrl(url);
}

/** `mldp run --queue URL`: one pipeline run, done by a worker. */
export async function submitRun(location: QueueLocation, store: Store, config: ResolvedConfig, overrides: string[], configFile: string, args: QueueArgs): Promise<number> {
  const { openQueue, addJobs, followJobs } = await submitter();
  const data: QueueJobData = { kind: 'run', store: store.location, project: store.project, config, overrides, configFile, code: codeIdentity() };
  const { queue, close } = await openQueue(location, store.project, say);
  try {
    const [id] = await addJobs(queue, [data]);
    if (args.detach) {
      process.stdout.write(`${id}\n`);
      process.stderr.write(`submitted pipeline run job ${id} to ${location.display} (queue ${queue.name}); see it with "npx mldp queue status" and "npx mldp runs list"\n`);
      return 0;
    }
    say(`submitted pipeline run job ${id} to ${location.display} (queue ${queue.name}); waiting for a worker`);
    const [job] = await followJobs(queue, [id], { location, store, jobs: [data], say, interactive: interactive() });
    return job.state === 'finished' ? 0 : 1;
  } finally {
    await close();
  }
}

/** `mldp run --multirun --queue URL` and `mldp sweeps resume --queue URL`: the sweep's jobs, done by workers. */
export async function submitSweep(location: QueueLocation, store: Store, record: SweepRecord, nums: number[], args: QueueArgs): Promise<number> {
  const { openQueue, addJobs, followJobs, recordLostJobs } = await submitter();
  const code = codeIdentity();
  const jobs = record.jobs.filter((job) => nums.includes(job.num)).map((job): QueueJobData => {
    const config = loadConfig(record.configFile, job.overrides);
    config.main.project_name = store.project;
    return { kind: 'sweep-job', store: store.location, project: store.project, config, overrides: job.overrides, configFile: record.configFile, sweep: { id: record.id, num: job.num }, code };
  });
  const { queue, close } = await openQueue(location, store.project, say);
  try {
    const sweeps = new Sweeps(store);
    for (const num of nums) await sweeps.updateJob(record.id, num, (job) => void Object.assign(job, { status: 'pending', error: null, failure: null, worker: null }));
    const ids = await addJobs(queue, jobs);
    if (args.detach) {
      process.stdout.write(`${record.id}\n`);
      process.stderr.write(`sweep ${record.id}: ${jobs.length} jobs submitted to ${location.display} (queue ${queue.name}); follow it with "npx mldp sweeps show ${record.id}"\n`);
      return 0;
    }
    const started = Date.now();
    say(`sweep ${record.id}: ${jobs.length} of ${record.jobs.length} jobs submitted to ${location.display} (queue ${queue.name})`);
    const followed = await followJobs(queue, ids, { location, store, jobs, say, interactive: interactive(), total: record.jobs.length });
    await recordLostJobs(store, record, followed);
    return summarize(store, record, followed, started);
  } finally {
    await close();
  }
}

async function summarize(store: Store, record: SweepRecord, followed: FollowedJob[], started: number): Promise<number> {
  const { countStates, describeFailure } = await submitter();
  const counts = countStates(followed);
  const kinds = (['job', 'worker-lost', 'refused'] as const).map((kind) => [kind, followed.filter((j) => j.state === 'failed' && j.failure === kind).length] as const).filter(([, n]) => n > 0);
  const detail = kinds.length ? ` (${kinds.map(([kind, n]) => `${n} ${describeFailure(kind)}`).join(', ')})` : '';
  say(`sweep ${record.id}: ${counts.finished} finished, ${counts.failed} failed${detail}, in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  for (const job of followed.filter((j) => j.state === 'failed')) say(`  failed: job #${job.data.sweep?.num} (${job.data.overrides.join(' ')}): ${job.error}`);
  await writeSweepReport(store, say);
  if (counts.failed > 0) say(`see the logs with "npx mldp sweeps show ${record.id}"; rerun the failed jobs with "npx mldp sweeps resume ${record.id} --queue URL"`);
  return counts.failed > 0 ? 1 : 0;
}

/** `mldp queue status`: the project's queue, its workers and their jobs. */
export async function queueStatusCommand(args: QueueArgs): Promise<number> {
  const location = queueOf(args);
  if (!location) throw new UsageError('mldp queue status needs the queue', { hint: 'give --queue redis://HOST:PORT or set MLDP_QUEUE' });
  const project = await projectOf(args);
  const { openQueue } = await submitter();
  const { queue, close } = await openQueue(location, project, say);
  try {
    const status = await queueStatus(queue);
    if (args.json) return printJson({ location: location.display, project, ...status }), 0;
    const { counts } = status;
    const lines = [
      `queue ${queueNameOf(project)} at ${location.display} (project ${project}): ${counts.waiting} waiting, ${counts.active} active, ${counts.completed} done, ${counts.failed} failed`,
      status.workers.length ? formatTable(['WORKER', 'ADDRESS', 'UP'], status.workers.map((w) => [w.name, w.address, `${w.ageSeconds}s`])) : 'no workers (start one with "npx mldp worker --queue URL")',
    ];
    if (status.active.length) lines.push(formatTable(['ACTIVE JOB', 'WHAT', 'WORKER', 'ATTEMPT', 'SINCE'], status.active.map((j) => [j.id, j.job, j.worker ?? '-', String(j.attempt), j.since ?? '-'])));
    if (status.waiting.length) lines.push(formatTable(['WAITING JOB', 'WHAT'], status.waiting.map((j) => [j.id, j.job])));
    say(lines.join('\n'));
    return 0;
  } finally {
    await close();
  }
}

