import { randomBytes } from 'node:crypto';
import { currentOwner, type ProcessOwner } from '@mldp/runtime';
import type { StoreDriver } from './driver.js';
import { RunNotFoundError, StoreError } from './errors.js';
import { RUNS_PREFIX, runIdOfKey, runKey, runLogKey } from './keys.js';
import { assertValidName } from './names.js';
import { HEARTBEAT_MS, crashReason, seenAsCrashed } from './run-liveness.js';

/** `crashed`: the run's process is gone without ending it (seen by readers, or recorded by `mldp store repair`). */
export type RunStatus = 'running' | 'finished' | 'failed' | 'crashed';

export interface RunRecord {
  id: string;
  kind: 'step' | 'pipeline';
  project: string;
  group: string;
  step: string;
  /** The pipeline run this step run belongs to. */
  parent: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  /** Artifact versions used and produced, as `name:vN`. */
  inputs: string[];
  outputs: string[];
  /** Pipeline runs: the ids of their step runs, in order. */
  children: string[];
  /** Pipeline runs: the fully resolved config. */
  config: unknown;
  /** Anything else worth keeping (the command line, the resume command, cache details). */
  info: Record<string, unknown>;
  /** The process that runs it (absent in records of earlier mldp versions). */
  process?: ProcessOwner;
  /** Last sign of life: updated while the run is running. */
  heartbeatAt?: string;
}

export interface StartRunOptions {
  id?: string;
  kind?: 'step' | 'pipeline';
  step: string;
  group?: string;
  parent?: string | null;
  params?: Record<string, unknown>;
  config?: unknown;
  info?: Record<string, unknown>;
  /** How often the record is updated while running (default HEARTBEAT_MS). */
  heartbeatMs?: number;
}

/** A sortable, unique run id: UTC time to the millisecond, then random hex. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp.slice(0, 8)}-${stamp.slice(9, 18)}-${randomBytes(3).toString('hex')}`;
}

const RUN_ID = /^[0-9]{8}-[0-9]{9}-[0-9a-f]{6}$/;

export class Runs {
  constructor(
    private readonly driver: StoreDriver,
    readonly project: string,
  ) {}

  async start(options: StartRunOptions): Promise<Run> {
    const id = options.id ?? newRunId();
    if (!RUN_ID.test(id)) throw new StoreError(`invalid run id "${id}"`, { hint: 'let mldp choose run ids' });
    assertValidName('step', options.step);
    const now = new Date().toISOString();
    const record: RunRecord = {
      id,
      kind: options.kind ?? 'step',
      project: this.project,
      group: options.group ?? 'default',
      step: options.step,
      parent: options.parent ?? null,
      params: options.params ?? {},
      metrics: {},
      status: 'running',
      startedAt: now,
      endedAt: null,
      error: null,
      inputs: [],
      outputs: [],
      children: [],
      config: options.config ?? null,
      info: { pid: process.pid, ...options.info },
      process: currentOwner(),
      heartbeatAt: now,
    };
    // A new id is claimed with a create-only write, so that runs started on many machines in the
    // same millisecond (sweep jobs) never share one; an id given by the caller is its own.
    if (options.id === undefined) {
      while (!(await this.driver.createDoc(runKey(record.id), serializeRun(record)))) record.id = newRunId();
    }
    const run = new Run(this.driver, record);
    if (options.id !== undefined) await run.save();
    run.keepAlive(options.heartbeatMs ?? HEARTBEAT_MS);
    return run;
  }

  async get(id: string): Promise<RunRecord> {
    if (!RUN_ID.test(id)) throw new RunNotFoundError(id);
    return seenAsCrashed(await this.getRecorded(id));
  }

  async tryGet(id: string): Promise<RunRecord | undefined> {
    const doc = RUN_ID.test(id) ? await this.driver.readDoc(runKey(id)) : undefined;
    return doc && seenAsCrashed(parseRun(id, doc.text));
  }

  /** Reopens a run to update it (the orchestrator marks a killed child's run failed). */
  async open(id: string): Promise<Run> {
    return new Run(this.driver, await this.getRecorded(id));
  }

  /**
   * Records a `running` run whose process is gone as `crashed`, ended at its last sign of life.
   * Returns the reason, or undefined when the run is not crashed (or changed meanwhile).
   */
  async markCrashed(id: string): Promise<string | undefined> {
    const doc = RUN_ID.test(id) ? await this.driver.readDoc(runKey(id)) : undefined;
    if (!doc) return undefined;
    const record = parseRun(id, doc.text);
    const reason = crashReason(record);
    if (!reason) return undefined;
    const crashed: RunRecord = { ...record, status: 'crashed', error: record.error ?? reason, endedAt: record.heartbeatAt ?? record.startedAt };
    return (await this.driver.swapDoc(runKey(id), serializeRun(crashed), doc.etag)) ? reason : undefined;
  }

  /** The record as written, without the crash check readers get. */
  private async getRecorded(id: string): Promise<RunRecord> {
    if (!RUN_ID.test(id)) throw new RunNotFoundError(id);
    const doc = await this.driver.readDoc(runKey(id));
    if (!doc) throw new RunNotFoundError(id);
    return parseRun(id, doc.text);
  }

  async log(id: string): Promise<string> {
    return (await this.driver.readDoc(runLogKey(id)))?.text ?? '';
  }

  /** The runs of this project, newest first. */
  async list(filter: { group?: string; step?: string; kind?: 'step' | 'pipeline' } = {}): Promise<RunRecord[]> {
    const keys = (await this.driver.listDocs(RUNS_PREFIX)).filter((key) => runIdOfKey(key) !== undefined);
    const runs: RunRecord[] = [];
    for (const key of keys.reverse()) {
      const doc = await this.driver.readDoc(key);
      if (!doc) continue;
      const run = seenAsCrashed(parseRun(key, doc.text));
      if (run.project !== this.project) continue;
      if (filter.group && run.group !== filter.group) continue;
      if (filter.step && run.step !== filter.step) continue;
      if (filter.kind && run.kind !== filter.kind) continue;
      runs.push(run);
    }
    return runs;
  }

  /** The projects that have runs in this store, sorted: named when this project has none. */
  async projects(): Promise<string[]> {
    const projects = new Set<string>();
    for (const key of await this.driver.listDocs(RUNS_PREFIX)) {
      const doc = runIdOfKey(key) !== undefined ? await this.driver.readDoc(key) : undefined;
      if (doc) projects.add(parseRun(key, doc.text).project);
    }
    return [...projects].sort();
  }
}

/** A run in progress. Every change is saved at once, so a crash leaves the last state readable. */
export class Run {
  private readonly logLines: string[] = [];
  /** Saves in the order they were asked for, so a late heartbeat cannot overwrite the end. */
  private saving: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly driver: StoreDriver,
    readonly record: RunRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  async useArtifact(ref: string): Promise<void> {
    if (!this.record.inputs.includes(ref)) this.record.inputs.push(ref);
    await this.save();
  }

  async produced(ref: string): Promise<void> {
    if (!this.record.outputs.includes(ref)) this.record.outputs.push(ref);
    await this.save();
  }

  async logMetrics(metrics: Record<string, number>): Promise<void> {
    for (const [key, value] of Object.entries(metrics)) {
      if (Number.isFinite(value)) this.record.metrics[key] = value;
    }
    await this.save();
  }

  async setInfo(info: Record<string, unknown>): Promise<void> {
    Object.assign(this.record.info, info);
    await this.save();
  }

  async addChild(id: string): Promise<void> {
    this.record.children.push(id);
    await this.save();
  }

  /** Keeps a line for the run's log; saved with the run. */
  appendLog(line: string): void {
    this.logLines.push(line);
  }

  async finish(): Promise<void> {
    await this.end('finished', null);
  }

  /**
   * Takes up a finished run again in this process (a pipeline run whose steps run as separate
   * Nx tasks): running, owned and kept alive by this process, until it ends again.
   */
  async reopen(heartbeatMs = HEARTBEAT_MS): Promise<void> {
    this.record.status = 'running';
    this.record.endedAt = null;
    this.record.error = null;
    this.record.process = currentOwner();
    this.record.heartbeatAt = new Date().toISOString();
    await this.save();
    this.keepAlive(heartbeatMs);
  }

  async fail(error: string): Promise<void> {
    await this.end('failed', error);
  }

  async save(): Promise<void> {
    const text = serializeRun(this.record);
    const saved = this.saving.then(() => this.driver.putDoc(runKey(this.record.id), text));
    this.saving = saved.catch(() => undefined);
    await saved;
  }

  /**
   * Updates the record's heartbeat every `intervalMs` while the run runs (one small write: cheap
   * on S3 too), so readers on other hosts can tell a run whose process died. The timer does not
   * keep the process alive.
   */
  keepAlive(intervalMs: number): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      this.record.heartbeatAt = new Date().toISOString();
      this.save().catch(() => undefined); // a missed beat is retried at the next one
    }, intervalMs);
    this.heartbeat.unref();
  }

  private async end(status: RunStatus, error: string | null): Promise<void> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.record.status = status;
    this.record.error = error;
    this.record.endedAt = new Date().toISOString();
    if (this.logLines.length) {
      const logKey = runLogKey(this.record.id);
      const previous = (await this.driver.readDoc(logKey))?.text ?? '';
      await this.driver.putDoc(logKey, previous + this.logLines.join('\n') + '\n');
      this.logLines.length = 0;
    }
    await this.save();
  }
}

function serializeRun(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function parseRun(key: string, text: string): RunRecord {
  try {
    return JSON.parse(text) as RunRecord;
  } catch (cause) {
    throw new StoreError(`run record ${key} is not valid JSON`, { cause, hint: 'run "mldp store verify"' });
  }
}
