import { hostname } from 'node:os';
import { isProcessAlive, UsageError } from '@mldp/runtime';
import { type JobRecord, type RunRecord, type Store, type SweepRecord, Sweeps } from '@mldp/store';
import { type GlobalArgs, storeFor, workspaceRoot } from '../context.js';
import { formatTable, printJson } from '../format.js';
import { sweepSummary } from '../run-summary.js';
import { runSweepJobs } from '../sweep/run-sweep.js';
import { CLI, jobsOption } from './multirun.js';
import { type QueueArgs, queueOf, submitSweep } from './queue.js';

export async function sweepsList(args: GlobalArgs): Promise<number> {
  const store = await storeFor(args);
  const sweeps = await new Sweeps(store).list();
  if (args.json) return printJson(sweeps.map((s) => ({ id: s.id, createdAt: s.createdAt, overrides: s.overrides, jobs: s.jobs.length, status: statusCounts(s) }))), 0;
  if (sweeps.length === 0) {
    process.stdout.write(`no sweeps in ${store.location} (start one with "npx mldp run --multirun ...")\n`);
    return 0;
  }
  const rows = sweeps.map((s) => [s.id, s.createdAt, String(s.jobs.length), summary(s), s.overrides.join(' ')]);
  process.stdout.write(`${formatTable(['ID', 'CREATED', 'JOBS', 'STATUS', 'OVERRIDES'], rows)}\n`);
  return 0;
}

export async function sweepsShow(args: GlobalArgs & { id: string }): Promise<number> {
  const store = await storeFor(args);
  const records = new Sweeps(store);
  const sweep = await records.get(args.id);
  const jobs = await Promise.all(sweep.jobs.map(async (job) => ({ ...job, metrics: await jobMetrics(store, job), log: await records.log(sweep.id, job.num) })));
  if (args.json) return printJson({ ...sweep, jobs }), 0;
  const rows = jobs.map((job) => [
    `#${job.num}`,
    job.status,
    job.seconds === null ? '-' : `${job.seconds}s`,
    job.run ?? '-',
    job.overrides.join(' '),
    job.status === 'failed' ? (job.error ?? '') : keyMetrics(job.metrics),
  ]);
  process.stdout.write(
    [
      `sweep ${sweep.id} (project ${sweep.project}), created ${sweep.createdAt}: ${summary(sweep)}`,
      `overrides: ${sweep.overrides.join(' ')}`,
      formatTable(['JOB', 'STATUS', 'TIME', 'PIPELINE RUN', 'OVERRIDES', 'KEY METRICS / ERROR'], rows),
      `logs: npx mldp sweeps show ${sweep.id} --json (each job's "log")`,
    ].join('\n') + '\n',
  );
  return 0;
}

export async function sweepsResume(args: GlobalArgs & QueueArgs & { id: string; jobs?: number; failFast?: boolean }): Promise<number> {
  const parallel = jobsOption(args.jobs);
  const queue = queueOf(args);
  const store = await storeFor(args);
  const sweep = await new Sweeps(store).get(args.id);
  if (sweep.runner && sweep.runner.host === hostname() && isProcessAlive(sweep.runner.pid)) {
    throw new UsageError(`sweep ${sweep.id} is still running (process ${sweep.runner.pid})`, { hint: 'wait for it to end, or stop it with Ctrl-C, then resume' });
  }
  const again = sweep.jobs.filter((job) => job.status !== 'finished');
  if (again.length === 0) {
    if (args.json) return printJson(sweepSummary(sweep, [], store, 0)), 0;
    process.stdout.write(`sweep ${sweep.id}: ${sweep.jobs.length === 1 ? 'its job' : `all ${sweep.jobs.length} jobs`} finished; nothing to resume\n`);
    return 0;
  }
  if (again.some((job) => job.status === 'running')) {
    const running = again.filter((job) => job.status === 'running').map((job) => `#${job.num}`);
    (args.json ? process.stderr : process.stdout).write(`sweep ${sweep.id}: ${running.join(', ')} ${running.length === 1 ? 'was' : 'were'} left running; they run again\n`);
  }
  if (queue) return submitSweep(queue, store, { ...sweep, configFile: configArgOf(sweep, args) }, again.map((job) => job.num), args);
  for (const job of again) job.status = 'pending';
  const print = args.json ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const outcome = await runSweepJobs({ store, record: sweep, jobs: again, parallel, failFast: args.failFast === true, cli: CLI, cwd: workspaceRoot(), configArg: configArgOf(sweep, args), print });
  if (args.json) printJson(sweepSummary(sweep, again, store, outcome.exitCode));
  return outcome.exitCode;
}

/** Resume runs the jobs with the sweep's config file, unless --config names another. */
function configArgOf(sweep: SweepRecord, args: GlobalArgs): string {
  if (args.config) return args.config;
  if (!sweep.configFile) throw new UsageError(`sweep ${sweep.id} does not say which config file it used`, { hint: 'pass --config FILE' });
  return sweep.configFile;
}

/** The metrics of the job's steps, as `step.metric`: from the steps it ran and those it reused. */
async function jobMetrics(store: Store, job: JobRecord): Promise<Record<string, number>> {
  const pipeline = job.run ? await store.runs.tryGet(job.run) : undefined;
  if (!pipeline) return {};
  const ids = [...pipeline.children, ...Object.values((pipeline.info.reused ?? {}) as Record<string, string>)];
  const steps = (await Promise.all(ids.map((id) => store.runs.tryGet(id)))).filter((r): r is RunRecord => r !== undefined);
  const metrics: Record<string, number> = {};
  for (const step of steps) for (const [name, value] of Object.entries(step.metrics)) metrics[`${step.step}.${name}`] = value;
  return metrics;
}

/** The metrics of the last step, the one a sweep is usually about (segregate's rows per split). */
function keyMetrics(metrics: Record<string, number>): string {
  const names = Object.keys(metrics);
  const last = ['segregate', 'check_data', 'preprocess', 'download'].find((step) => names.some((n) => n.startsWith(`${step}.`)));
  return names
    .filter((n) => last && n.startsWith(`${last}.`))
    .slice(0, 6)
    .map((n) => `${n}=${metrics[n]}`)
    .join(' ');
}

function statusCounts(sweep: SweepRecord): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of sweep.jobs) counts[job.status] = (counts[job.status] ?? 0) + 1;
  return counts;
}

function summary(sweep: SweepRecord): string {
  return Object.entries(statusCounts(sweep)).map(([status, n]) => `${n} ${status}`).join(', ');
}
