/**
 * One `nx run-many -t run` is one pipeline run. Nx runs each step project's `run` target as a
 * task of its own process, in pipeline order; the tasks of one invocation share the pid of Nx's
 * root process (NX_INVOCATION_ROOT_PID), which names a small session file in the temp folder:
 * the task of the first planned step starts the pipeline run and writes its id there, and each
 * later task takes that run up again, adds its step, and ends it (finished so far, or failed).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST, processStartOf } from '@mldp/runtime';
import type { Run, Store } from '@mldp/store';
import type { StepName } from './config-schema.js';
import type { Produced } from './steps.js';

/** The invocation an Nx `run` task belongs to, or undefined outside one. */
export function nxInvocationOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NX_TASK_TARGET_TARGET !== 'run') return undefined;
  const pid = Number(env.NX_INVOCATION_ROOT_PID);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  // The start time tells a reused pid from the process that had it.
  return `${HOST}:${pid}:${processStartOf(pid) ?? ''}`;
}

interface Session {
  pipeline: string;
  /** The steps this invocation has run so far, in order. */
  done: StepName[];
}

/** The session file of an invocation on one store and project. */
export function sessionFile(invocation: string, store: Store): string {
  const key = createHash('sha256').update(`${invocation}\n${store.location}\n${store.project}`).digest('hex').slice(0, 16);
  return join(tmpdir(), `mldp-nx-${key}.json`);
}

/**
 * The pipeline run a later step of the invocation continues: the one the session names, if its
 * last step is the one planned just before `step` (else this task starts a new run). Reopened.
 */
export async function continuePipeline(store: Store, file: string, planned: StepName[], step: StepName): Promise<{ run: Run; produced: Produced } | undefined> {
  const at = planned.indexOf(step);
  if (at <= 0) return undefined;
  const session = readSession(file);
  if (!session || session.done[session.done.length - 1] !== planned[at - 1]) return undefined;
  const record = await store.runs.tryGet(session.pipeline);
  if (!record || record.status !== 'finished') return undefined;
  const run = await store.runs.open(session.pipeline);
  await run.reopen();
  return { run, produced: await producedBy(store, run) };
}

export function recordStepDone(file: string, pipeline: string, step: StepName): void {
  const session = readSession(file);
  const done = session?.pipeline === pipeline ? [...session.done, step] : [step];
  writeFileSync(file, JSON.stringify({ pipeline, done } satisfies Session));
}

export function endSession(file: string): void {
  rmSync(file, { force: true });
}

function readSession(file: string): Session | undefined {
  try {
    const session = JSON.parse(readFileSync(file, 'utf8')) as Session;
    return typeof session.pipeline === 'string' && Array.isArray(session.done) ? session : undefined;
  } catch {
    return undefined;
  }
}

/** The versions the pipeline's earlier steps made or reused, so that later ones read exactly those. */
async function producedBy(store: Store, pipeline: Run): Promise<Produced> {
  const produced: Produced = new Map();
  const reused = Object.values((pipeline.record.info.reused as Record<string, string> | undefined) ?? {});
  for (const id of [...pipeline.record.children, ...reused]) {
    const record = await store.runs.tryGet(id);
    for (const output of record?.outputs ?? []) produced.set(output.slice(0, output.lastIndexOf(':')), output);
  }
  return produced;
}
