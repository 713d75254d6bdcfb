/**
 * Runs the jobs of a sweep, N at a time, each as its own `mldp run` process with the job's
 * overrides. Each job's output goes to the store, its status to the sweep record as it changes;
 * progress and failures are printed as they happen, and a summary at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { plural } from '@mldp/runtime';
import { type JobRecord, type Store, type SweepRecord, Sweeps } from '@mldp/store';

export interface SweepRunOptions {
  store: Store;
  record: SweepRecord;
  /** The jobs to run now: all of a new sweep, the failed and unfinished ones on resume. */
  jobs: JobRecord[];
  parallel: number;
  failFast: boolean;
  /** The mldp CLI script the jobs run. */
  cli: string;
  cwd: string;
  configArg?: string;
  print?: (line: string) => void;
}

export interface SweepOutcome {
  finished: number;
  failed: number;
  notRun: number;
  exitCode: number;
}

export async function runSweepJobs(options: SweepRunOptions): Promise<SweepOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { record, store } = options;
  const records = new Sweeps(store);
  const total = record.jobs.length;
  const queue = [...options.jobs];
  let stopping = false;
  let saving = Promise.resolve();
  const save = () => (saving = saving.then(() => records.save(record)));
  const started = Date.now();

  // Ctrl-C reaches the jobs through the terminal; a signal sent to the sweep alone is passed on.
  // Either way no new job starts, and the running ones are recorded as they end.
  const children = new Set<ChildProcess>();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!interrupted) print(`${signal}: stopping the sweep; running jobs are stopped, and "npx mldp sweeps resume ${record.id}" runs them again`);
    interrupted = signal;
    stopping = true;
    for (const child of children) child.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  record.runner = { host: hostname(), pid: process.pid };
  await save();
  print(`sweep ${record.id}: ${options.jobs.length} of ${plural(total, 'job')}, ${Math.min(options.parallel, options.jobs.length)} at a time`);
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job && !stopping; job = queue.shift()) {
      job.status = 'running';
      job.attempts += 1;
      job.startedAt = new Date().toISOString();
      job.endedAt = null;
      job.error = null;
      await save();
      print(`job #${job.num}/${total} started: ${job.overrides.join(' ') || '(no overrides)'}`);
      const result = await runJob(options, record.id, job, children);
      job.run = result.runId ?? job.run;
      job.endedAt = new Date().toISOString();
      job.seconds = Math.round((Date.now() - Date.parse(job.startedAt)) / 100) / 10;
      job.exitCode = result.exitCode;
      job.status = result.exitCode === 0 ? 'finished' : 'failed';
      job.error = result.exitCode === 0 ? null : result.error;
      await records.saveLog(record.id, job.num, result.log);
      await save();
      if (job.status === 'finished') {
        print(`job #${job.num}/${total} finished in ${job.seconds}s (pipeline ${job.run})`);
      } else {
        print(`job #${job.num}/${total} FAILED after ${job.seconds}s (exit ${job.exitCode}): ${job.error}`);
        if (options.failFast && !stopping) {
          stopping = true;
          print(`--fail-fast: starting no more jobs; ${queue.length} not run`);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, options.jobs.length)) }, worker));
    record.runner = null;
    await save();
    await saving;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const count = (status: string) => options.jobs.filter((job) => job.status === status).length;
  const outcome = { finished: count('finished'), failed: count('failed'), notRun: count('pending'), exitCode: 0 };
  outcome.exitCode = interrupted === 'SIGINT' ? 130 : outcome.failed > 0 || outcome.notRun > 0 ? 1 : 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  print(`sweep ${record.id}: ${outcome.finished} finished, ${outcome.failed} failed, ${outcome.notRun} not run, in ${seconds}s`);
  for (const job of options.jobs.filter((j) => j.status === 'failed')) print(`  failed: job #${job.num} (${job.overrides.join(' ')}): ${job.error}`);
  await writeSweepReport(store, print);
  if (outcome.exitCode !== 0) print(`see the logs with "npx mldp sweeps show ${record.id}"; rerun the failed jobs and those not run with "npx mldp sweeps resume ${record.id}"`);
  return outcome;
}

/** The jobs leave the report to the sweep: it is built once, at the end. */
export async function writeSweepReport(store: Store, print: (line: string) => void): Promise<void> {
  try {
    // Loaded here, not at start: the report's chart library is most of what mldp would load otherwise.
    const { buildReport } = await import('@mldp/report');
    const report = await buildReport(store, store.driver.localOutputDir('report'));
    print(`report: ${report.path} (its Sweeps section shows this sweep)`);
  } catch (error) {
    print(`warning: the report could not be built: ${(error as Error).message}`);
  }
}

interface JobResult {
  exitCode: number;
  runId?: string;
  error: string;
  log: string;
}

/** One job: `mldp run` with the job's overrides, its output kept whole for the store. */
function runJob(options: SweepRunOptions, sweepId: string, job: JobRecord, children: Set<ChildProcess>): Promise<JobResult> {
  const args = [options.cli, 'run', ...(options.configArg ? ['--config', options.configArg] : []), ...job.overrides];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MLDP_STORE: options.store.location,
        MLDP_PROJECT: options.store.project,
        MLDP_SWEEP: `${sweepId}:${job.num}`,
      },
    });
    children.add(child);
    child.once('close', () => children.delete(child));
    let log = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk;
      stderr += chunk;
    });
    child.once('error', (error) => resolve({ exitCode: 1, error: error.message, log }));
    child.once('close', (code, signal) => {
      const runId = /^pipeline (\S+) \(/m.exec(log)?.[1];
      const exitCode = code ?? (signal ? 1 : 0);
      resolve({ exitCode, runId, error: lastProblem(log, stderr) ?? `exited with ${signal ?? `code ${code}`}`, log });
    });
  });
}

/** The line that says why a job failed: its error line, else the pipeline's "failed at" line. */
function lastProblem(log: string, stderr: string): string | undefined {
  const lines = `${log}`.split('\n');
  const failedAt = lines.filter((line) => line.startsWith('pipeline failed at ')).pop();
  const errorLine = stderr.split('\n').filter((line) => line.startsWith('error: ')).pop();
  return (failedAt ?? errorLine)?.replace(/^error: /, '');
}
