import { type ChildProcess, spawn } from 'node:child_process';
import { type Run, type RunRecord, type Store, newRunId } from '@mldp/store';
import type { ResolvedConfig } from './config.js';
import type { StepName } from './config-schema.js';
import { type CacheKey, cacheKeyOf, formatAgo } from './cache-key.js';
import { continuePipeline, endSession, recordStepDone, sessionFile } from './nx-invocation.js';
import { claimStep } from './single-flight.js';
import { type Produced, planStep, stepBin, stepsToRun } from './steps.js';

export interface PipelineOptions {
  store: Store;
  /** Children run here, so relative paths in the config resolve against it. */
  workspaceRoot: string;
  /** The overrides given, to print a resume command that repeats them. */
  overrides: string[];
  configPath: string;
  /** The --config value the user gave, repeated in the resume command. */
  configArg?: string;
  /** The store and project the user chose (by flag or environment), repeated in the resume command. */
  storeArg?: string;
  projectArg?: string;
  /** Run only this step (if it is in execute_steps): how the Nx `run` targets call us. */
  onlyStep?: StepName;
  /** With onlyStep: the Nx invocation whose tasks make one pipeline run together (nx-invocation.ts). */
  nxInvocation?: string;
  /** Steps to rerun even when cached; `true` for all (also set by main.force=true). */
  force?: StepName[] | true;
  print?: (line: string) => void;
  /**
   * Where the steps' own output goes: our stdout (default), our stderr (to keep stdout for a JSON
   * summary), or a function that keeps it (a queue worker keeps it for the job's log).
   */
  stepOutput?: 'stdout' | 'stderr' | ((chunk: string) => void);
  /** More to keep in the pipeline run's info (the sweep job it is). */
  info?: Record<string, unknown>;
  /** Write the HTML report at the end (default); a sweep writes it once, after its last job. */
  report?: boolean;
  /**
   * Stops the run when it fires: the running step is sent SIGTERM and no step starts after it.
   * Given, the caller owns SIGINT/SIGTERM (a queue worker finishes its jobs on the first), and
   * steps run in a process group of their own, so that a Ctrl-C at the terminal reaches only
   * the caller.
   */
  abort?: AbortSignal;
}

/** A run stopped by `PipelineOptions.abort` before it ended. */
export class PipelineAborted extends Error {
  constructor(step: StepName) {
    super(`stopped before ${step} ended`);
    this.name = 'PipelineAborted';
  }
}

export interface PipelineOutcome {
  status: 'finished' | 'failed' | 'skipped';
  runId: string;
  failedStep?: StepName;
  /** Why the pipeline failed, and the command that resumes it. */
  error?: string;
  resume?: string;
  exitCode: number;
  durationMs: number;
  steps: StepOutcome[];
  /** The HTML report, when one was written. */
  report?: string;
}

/** What one step did in this pipeline run: ran, or reused a cached run (`cached`). */
export interface StepOutcome {
  step: StepName;
  runId: string;
  status: 'finished' | 'failed';
  cached: boolean;
  durationMs: number;
  /** The artifact versions it produced (or, cached, that its reused run produced), as `name:vN`. */
  outputs: string[];
  error?: string;
}

/** Runs the configured steps in pipeline order, each as a child process through its package's bin. */
export async function runPipeline(config: ResolvedConfig, options: PipelineOptions): Promise<PipelineOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const planned = stepsToRun(config);
  let steps = planned;
  if (options.onlyStep) {
    if (!steps.includes(options.onlyStep)) {
      print(`${options.onlyStep}: skipped (not in main.execute_steps)`);
      return { status: 'skipped', runId: '', exitCode: 0, durationMs: 0, steps: [] };
    }
    steps = [options.onlyStep];
  }
  // Through Nx, each step is a task of its own; the invocation's tasks make one pipeline run.
  const session = options.onlyStep && options.nxInvocation ? sessionFile(options.nxInvocation, options.store) : undefined;
  const continued = session ? await continuePipeline(options.store, session, planned, options.onlyStep!) : undefined;
  const pipeline =
    continued?.run ??
    (await options.store.runs.start({
      kind: 'pipeline',
      step: 'pipeline',
      group: config.main.experiment_name,
      params: { execute_steps: session ? planned : steps, overrides: options.overrides },
      config,
      info: { config_file: options.configPath, ...options.info },
    }));
  // Whether this process ends the pipeline: it runs all of its steps, or, through Nx, the last one.
  const endsPipeline = !options.onlyStep || (session !== undefined && options.onlyStep === planned[planned.length - 1]);
  const position = (step: StepName) => `step ${planned.indexOf(step) + 1}/${planned.length}`;
  const produced: Produced = continued?.produced ?? new Map();
  const started = continued ? Date.parse(pipeline.record.startedAt) : Date.now();
  const outcomes: StepOutcome[] = [];
  const ended = (status: PipelineOutcome['status'], rest: Partial<PipelineOutcome> = {}): PipelineOutcome => ({
    status,
    runId: pipeline.id,
    exitCode: 0,
    durationMs: Date.now() - started,
    steps: outcomes,
    ...rest,
  });
  try {
    const title = `pipeline ${pipeline.id} (${config.main.project_name}/${config.main.experiment_name})`;
    print(continued ? `${title} continues: ${steps.join(' -> ')}` : `${title}: ${(session ? planned : steps).join(' -> ')}`);
    const reused: Record<string, string> = { ...((pipeline.record.info.reused as Record<string, string> | undefined) ?? {}) };
    for (const [i, step] of steps.entries()) {
      if (options.abort?.aborted) throw new PipelineAborted(step);
      const stepStarted = Date.now();
      const plan = planStep(step, config, produced);
      const forced = options.force === true || config.main.force === true || options.force?.includes(step);
      const claim = forced
        ? { kind: 'run' as const, cacheKey: await cacheKeyOf(options.store, plan, options.workspaceRoot), lock: undefined }
        : await claimStep(options.store, plan, options.workspaceRoot, pipeline.id, (holder) =>
            print(`${position(step)}: ${step}: waiting for ${holder ? `pipeline ${holder}` : 'another pipeline'}, which runs it with the same inputs`),
          );
      const cacheKey = claim.cacheKey;
      const cached = claim.kind === 'cached' ? claim.run : undefined;
      if (cached) {
        await options.store.stepCache.restore(cached);
        for (const output of cached.outputs) produced.set(output.slice(0, output.lastIndexOf(':')), output);
        reused[step] = cached.id;
        await pipeline.setInfo({ reused });
        if (session) recordStepDone(session, pipeline.id, step);
        print(`${position(step)}: ${step}: cached (run ${cached.id}, ${formatAgo(cached.endedAt)})`);
        outcomes.push({ step, runId: cached.id, status: 'finished', cached: true, durationMs: Date.now() - stepStarted, outputs: cached.outputs });
        continue;
      }
      print(`${position(step)}: ${step}`);
      let outcome: Awaited<ReturnType<typeof runStep>>;
      try {
        outcome = await runStep(step, config, options, pipeline, plan.args);
        if (outcome.exitCode === 0) {
          // A key that could not be made before (a reference the step bootstrapped) can be made now.
          const key = cacheKey ?? (await cacheKeyOf(options.store, plan, options.workspaceRoot));
          outcome.record = await rememberRun(options.store, step, outcome.runId, key);
        }
      } finally {
        if (claim.kind === 'run') await claim.lock?.release();
      }
      const { exitCode, runId, signal } = outcome;
      if (exitCode !== 0 && options.abort?.aborted) {
        await recordChildFailure(options.store, runId, exitCode, signal);
        throw new PipelineAborted(step);
      }
      const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
      if (exitCode !== 0) {
        const reason = await recordChildFailure(options.store, runId, exitCode, signal);
        // Through Nx each step runs alone (onlyStep); what is left is still every step from here.
        const planned = stepsToRun(config);
        const resume = resumeCommand(options.onlyStep ? planned.slice(planned.indexOf(step)) : steps.slice(i), options);
        await pipeline.setInfo({ failed_step: step, resume });
        await pipeline.fail(`${step} failed: ${reason}`);
        print(`${position(step)}: ${step} FAILED after ${seconds}s (run ${runId})`);
        print(`pipeline failed at ${step}: ${reason}`);
        print(`resume from this step with: ${resume}`);
        outcomes.push({ step, runId, status: 'failed', cached: false, durationMs: Date.now() - stepStarted, outputs: [], error: reason });
        if (session) endSession(session);
        const report = await writeReport(options, pipeline.id, print, !options.onlyStep || session !== undefined);
        return ended('failed', { failedStep: step, error: `${step} failed: ${reason}`, resume, report, exitCode: signal === 'SIGINT' ? 130 : 1 });
      }
      const record = outcome.record;
      for (const output of record?.outputs ?? []) produced.set(output.slice(0, output.lastIndexOf(':')), output);
      const notModified = record?.info.not_modified === true ? ': cached (HTTP 304 Not Modified)' : '';
      if (session) recordStepDone(session, pipeline.id, step);
      print(`${position(step)}: ${step}${notModified} done in ${seconds}s (run ${runId})`);
      outcomes.push({ step, runId, status: 'finished', cached: notModified !== '', durationMs: Date.now() - stepStarted, outputs: record?.outputs ?? [] });
    }
    await pipeline.finish();
    if (session && !endsPipeline) {
      print(`pipeline ${pipeline.id}: ${position(steps[steps.length - 1])} done; the Nx task of the next step continues it`);
      return ended('finished');
    }
    if (session) endSession(session);
    print(`pipeline ${pipeline.id} finished in ${((Date.now() - started) / 1000).toFixed(1)}s; artifacts are in ${options.store.location}`);
    const report = await writeReport(options, pipeline.id, print, endsPipeline);
    return ended('finished', { report });
  } catch (error) {
    await pipeline.fail((error as Error).message).catch(() => undefined);
    throw error;
  }
}

async function runStep(
  step: StepName,
  config: ResolvedConfig,
  options: PipelineOptions,
  pipeline: Run,
  args: string[],
): Promise<{ exitCode: number; runId: string; signal: NodeJS.Signals | null; record?: RunRecord }> {
  const runId = newRunId();
  await pipeline.addChild(runId);
  const child = spawn(process.execPath, [stepBin(step), ...args], {
    cwd: options.workspaceRoot,
    detached: options.abort !== undefined,
    // A child's stdout is ours, our stderr when stdout carries a JSON summary, or kept by a worker.
    stdio: typeof options.stepOutput === 'function' ? ['ignore', 'pipe', 'pipe'] : ['inherit', options.stepOutput === 'stderr' ? 2 : 'inherit', 'inherit'],
    env: {
      ...process.env,
      MLDP_STORE: options.store.location,
      MLDP_PROJECT: options.store.project,
      MLDP_GROUP: config.main.experiment_name,
      MLDP_RUN_ID: runId,
      MLDP_PARENT_RUN: pipeline.id,
    },
  });
  const keep = options.stepOutput;
  if (typeof keep === 'function') {
    child.stdout?.on('data', (chunk: Buffer) => keep(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => keep(chunk.toString()));
  }
  const stopInterrupted = options.abort ? stopOnAbort(child, options.abort) : passOnSignals(child);
  try {
    return await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ exitCode: code ?? 1, runId, signal: stopInterrupted() ?? signal }));
    });
  } finally {
    stopInterrupted();
  }
}

/**
 * Ctrl-C reaches the child through the terminal; a SIGINT/SIGTERM sent to us alone is passed on.
 * Returns a function that stops listening and tells which signal came, if one did.
 */
function passOnSignals(child: ChildProcess): () => NodeJS.Signals | null {
  let interrupted: NodeJS.Signals | null = null;
  const forward = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return () => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    return interrupted;
  };
}

/** Sends the child SIGTERM when the caller stops the run. */
function stopOnAbort(child: ChildProcess, abort: AbortSignal): () => NodeJS.Signals | null {
  const stop = (): void => void child.kill('SIGTERM');
  if (abort.aborted) stop();
  else abort.addEventListener('abort', stop, { once: true });
  return () => {
    abort.removeEventListener('abort', stop);
    return abort.aborted ? 'SIGTERM' : null;
  };
}

/** Ends a full pipeline run with the HTML report (returns its path); a report that cannot be built does not fail the run. */
async function writeReport(options: PipelineOptions, runId: string, print: (line: string) => void, pipelineEnds: boolean): Promise<string | undefined> {
  if (!pipelineEnds || options.report === false) return undefined;
  try {
    // Loaded here, not at start: the report's chart library is most of what mldp would load otherwise.
    const { buildReport } = await import('@mldp/report');
    const report = await buildReport(options.store, options.store.driver.localOutputDir('report'));
    print(`report: ${report.path} (open it in a browser, or run "npx mldp report --serve")`);
    return report.path;
  } catch (error) {
    print(`warning: the report of ${runId} could not be built: ${(error as Error).message}`);
    return undefined;
  }
}

/** Keeps the cache key's parts in the finished run, and indexes the run under its key. */
async function rememberRun(store: Store, step: StepName, runId: string, cacheKey: CacheKey | undefined) {
  const run = await store.runs.open(runId);
  if (cacheKey) {
    await run.setInfo({ cache_key: cacheKey.key, cache: cacheKey.parts });
    await store.stepCache.put(step, cacheKey.key, run.record);
  }
  return run.record;
}

/** The step's own run says why it failed; if the child died before saying so, record it here. */
async function recordChildFailure(store: Store, runId: string, exitCode: number, signal: NodeJS.Signals | null): Promise<string> {
  const record = await store.runs.tryGet(runId);
  if (record?.status === 'failed' && record.error) return record.error;
  const reason = signal ? `interrupted by ${signal}` : `exited with code ${exitCode}`;
  if (record && record.status !== 'failed') {
    const run = await store.runs.open(runId);
    // If even this cannot be written (a full disk), readers still see the run as crashed.
    await run.fail(reason).catch(() => undefined);
  }
  return reason;
}

function resumeCommand(remaining: StepName[], options: PipelineOptions): string {
  const kept = options.overrides.filter((o) => !/^\+{0,2}main\.execute_steps=/.test(o)).map(shellQuote);
  const force = options.force === true ? ['--force'] : options.force?.length ? [`--force=${options.force.join(',')}`] : [];
  const flags = [
    ...(options.configArg ? ['--config', shellQuote(options.configArg)] : []),
    ...(options.storeArg ? ['--store', shellQuote(options.storeArg)] : []),
    ...(options.projectArg ? ['--project', shellQuote(options.projectArg)] : []),
  ];
  return ['npx mldp run', ...flags, ...force, ...kept, `main.execute_steps=[${remaining.join(',')}]`].join(' ');
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./[\]-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
