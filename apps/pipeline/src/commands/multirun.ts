import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MldpError, UsageError } from '@mldp/runtime';
import { Sweeps, resolveProject } from '@mldp/store';
import { keepsAsList, loadConfig, sweepSection } from '../config.js';
import { type GlobalArgs, configPathOf, storeFor, workspaceRoot } from '../context.js';
import { printJson } from '../format.js';
import { type SweepJob, expandSweep } from '../sweep/expand.js';
import { sweepSummary } from '../run-summary.js';
import { runSweepJobs } from '../sweep/run-sweep.js';
import { type QueueArgs, queueOf, submitSweep } from './queue.js';

export interface MultirunArgs extends GlobalArgs {
  overrides: string[];
  dryRun?: boolean;
  jobs?: number;
  failFast?: boolean;
}

export const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

/** `mldp run --multirun`: the cartesian product of the sweeps, each job a pipeline run. */
export async function multirunCommand(args: MultirunArgs & QueueArgs): Promise<number> {
  const parallel = jobsOption(args.jobs);
  const queue = args.dryRun ? undefined : queueOf(args);
  if (queue && (args.jobs !== undefined || args.failFast)) throw new UsageError('--jobs and --fail-fast do not go with --queue', { hint: 'the workers\' --concurrency sets how many jobs run at a time' });
  const configPath = configPathOf(args);
  const overrides = [...sweepSection(configPath), ...args.overrides];
  const jobs = expandSweep(overrides, keepsAsList);
  // Every job's config is checked before any runs, so a bad value fails the sweep at once.
  const configs = jobs.map((job) => jobConfig(configPath, job));
  if (args.dryRun) {
    if (args.json) printJson(jobs);
    else process.stdout.write(`${jobs.length} job${jobs.length === 1 ? '' : 's'} (dry run: nothing runs)\n${jobs.map(jobLine).join('\n')}\n`);
    return 0;
  }
  // The project by the rule of every command (as `mldp run` has it), so that workers and the records agree.
  const overridden = overrides.some((o) => /^\+{0,2}main\.project_name=/.test(o));
  const project = await resolveProject({ project: args.project ?? (overridden ? configs[0].main.project_name : undefined), configPath, configProject: configs[0].main.project_name });
  const store = await storeFor(args, project);
  // An unreachable queue fails the sweep before anything is recorded.
  if (queue) await (await import('../queue/redis-client.js')).probe(queue);
  const record = await new Sweeps(store).create({ overrides, configFile: configPath }, jobs);
  if (queue) return submitSweep(queue, store, record, record.jobs.map((job) => job.num), args);
  const outcome = await runSweepJobs({
    store,
    record,
    jobs: record.jobs,
    parallel,
    failFast: args.failFast === true,
    cli: CLI,
    cwd: workspaceRoot(),
    configArg: args.config,
    // With --json, stdout is the summary alone; progress goes to stderr.
    ...(args.json ? { print: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  });
  if (args.json) printJson(sweepSummary(record, record.jobs, store, outcome.exitCode));
  return outcome.exitCode;
}

export function jobsOption(jobs: number | undefined): number {
  if (jobs === undefined) return availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${jobs} is not a number of jobs`, { hint: 'give a whole number from 1, e.g. --jobs 4' });
  return jobs;
}

export function jobLine(job: SweepJob): string {
  return `#${job.num} : ${job.overrides.join(' ')}`;
}

function jobConfig(configPath: string, job: SweepJob) {
  try {
    return loadConfig(configPath, job.overrides);
  } catch (error) {
    if (error instanceof MldpError) throw new UsageError(`sweep job #${job.num} (${job.overrides.join(' ')}): ${error.message}`, { hint: error.hint });
    throw error;
  }
}
