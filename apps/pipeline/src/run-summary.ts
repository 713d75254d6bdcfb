/**
 * The JSON summaries of `mldp run --json` and `mldp run --multirun --json`: what a script needs
 * to go on (ids, status, what each step did, the artifacts), with no human text mixed in.
 */
import type { JobRecord, Store, SweepRecord } from '@mldp/store';
import type { PipelineOutcome } from './orchestrator.js';

export function pipelineSummary(outcome: PipelineOutcome, store: Store, group: string): Record<string, unknown> {
  return {
    runId: outcome.runId || null,
    status: outcome.status,
    project: store.project,
    group,
    store: store.location,
    durationMs: outcome.durationMs,
    ...(outcome.failedStep ? { failedStep: outcome.failedStep, error: outcome.error, resume: outcome.resume } : {}),
    steps: outcome.steps,
    artifacts: outcome.steps.flatMap((step) => step.outputs),
    report: outcome.report ?? null,
  };
}

export function sweepSummary(record: SweepRecord, ran: JobRecord[], store: Store, exitCode: number): Record<string, unknown> {
  const count = (status: string) => ran.filter((job) => job.status === status).length;
  return {
    sweepId: record.id,
    status: exitCode === 0 ? 'finished' : 'failed',
    project: store.project,
    store: store.location,
    finished: count('finished'),
    failed: count('failed'),
    notRun: count('pending'),
    jobs: record.jobs.map((job) => ({
      num: job.num,
      overrides: job.overrides,
      status: job.status,
      runId: job.run,
      durationMs: job.seconds === null ? null : Math.round(job.seconds * 1000),
      exitCode: job.exitCode,
      error: job.error,
    })),
  };
}
