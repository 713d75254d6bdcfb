import { readFileSync } from 'node:fs';
import { pipelineOrder } from '@mldp/runtime';
import { type ArtifactManifest, type RunRecord, RunNotFoundError, type Store, Sweeps } from '@mldp/store';
import { TABLE_COUNTS_KIND, type TableCounts, decodeTableCounts } from '@mldp/table';

/** Everything the report shows, read from the store: no raw rows, only records and summaries. */
export interface ReportModel {
  project: string;
  generatedFrom: string;
  /**
   * The runs table's rows, newest first: each pipeline run with its steps, and each step run
   * that ran alone (a step bin called by hand), which is its own one step.
   */
  pipelines: Array<{ run: RunRecord; steps: RunRecord[] }>;
  artifacts: Array<{ name: string; type: string; aliases: Record<string, string>; versions: ArtifactManifest[] }>;
  /** The data-check report of the newest pipeline shown that has one, per pipeline run id. */
  checks: Record<string, CheckReportData>;
  /** The table counts preprocess recorded for a table artifact version (`name:vN`), for its data profile. */
  tableCounts: Record<string, TableCounts>;
  /** The newest sweeps (`mldp run --multirun`), with each job's swept values and metrics. */
  sweeps: SweepSummary[];
  /** The metric the sweep charts plot against each swept parameter. */
  sweepMetric?: string;
}

export interface SweepSummary {
  id: string;
  createdAt: string;
  overrides: string[];
  /** The keys whose values differ between jobs, in the order of the overrides. */
  swept: string[];
  jobs: Array<{ num: number; status: string; run: string | null; seconds: number | null; values: Record<string, string>; metrics: Record<string, number> }>;
}

export interface CheckReportData {
  artifact: string;
  passed: boolean;
  alpha: number;
  alphaPrime: number;
  sample: string;
  reference: string;
  tests: Array<{ name: string; passed: boolean; message: string }>;
  ks: Array<{ column: string; statistic: number | null; pvalue: number | null; passed: boolean; message?: string; histogram?: { edges: number[]; reference: number[]; sample: number[] } }>;
  categorical: Array<{ column: string; statistic: number; pvalue: number; dof: number; alpha: number; passed: boolean; reference: Record<string, number>; sample: Record<string, number> }>;
}

export interface ModelOptions {
  /** Only this pipeline run. */
  run?: string;
  /** Only the pipeline runs of this group (experiment). */
  group?: string;
  /** At most this many pipeline runs, newest first. */
  limit?: number;
  /** The metric of the sweep charts (default: the first metric of the last step a sweep ran). */
  sweepMetric?: string;
}

export async function loadModel(store: Store, options: ModelOptions = {}): Promise<ReportModel> {
  const all = await store.runs.list();
  const byId = new Map(all.map((r) => [r.id, r]));
  // A step bin run alone records a step run without a parent: it is a row of its own.
  let pipelines = all.filter((r) => r.kind === 'pipeline' || r.parent === null);
  if (options.run) {
    pipelines = pipelines.filter((r) => r.id === options.run);
    if (pipelines.length === 0) throw new RunNotFoundError(options.run);
  }
  if (options.group) pipelines = pipelines.filter((r) => r.group === options.group);
  pipelines = pipelines.slice(0, options.limit ?? 500);
  const withSteps = pipelines.map((run) => {
    if (run.kind !== 'pipeline') return { run, steps: [run] };
    const reused = Object.values((run.info.reused as Record<string, string>) ?? {});
    const steps = [...run.children, ...reused].map((id) => byId.get(id)).filter((r): r is RunRecord => r !== undefined);
    steps.sort((a, b) => pipelineOrder(a.step) - pipelineOrder(b.step));
    return { run, steps };
  });

  const artifacts: ReportModel['artifacts'] = [];
  for (const summary of await store.artifacts.list(store.project)) {
    const versions: ArtifactManifest[] = [];
    for (const label of summary.versions) {
      const version = await store.artifacts.tryResolve({ name: summary.name, label });
      if (version) versions.push(version);
    }
    artifacts.push({ name: summary.name, type: summary.type, aliases: summary.aliases, versions });
  }

  const checks: Record<string, CheckReportData> = {};
  for (const { run, steps } of withSteps) {
    const check = steps.find((s) => s.step === 'check_data');
    const output = check?.outputs.find((o) => artifacts.some((a) => a.type === 'data_check' && o.startsWith(`${a.name}:`)));
    if (!output) continue;
    const data = await readCheckReport(store, output);
    if (data) checks[run.id] = data;
  }
  const tableCounts: Record<string, TableCounts> = {};
  for (const artifact of artifacts) {
    for (const version of artifact.versions) {
      const counts = await readTableCounts(store, version);
      if (counts) tableCounts[`${version.name}:${version.version}`] = counts;
    }
  }
  const sweeps = (await new Sweeps(store).list()).slice(0, MAX_SWEEPS).map((sweep) => summarizeSweep(sweep, byId));
  return { project: store.project, generatedFrom: store.location, pipelines: withSteps, artifacts, checks, tableCounts, sweeps, sweepMetric: options.sweepMetric };
}

const MAX_SWEEPS = 10;

function summarizeSweep(sweep: Awaited<ReturnType<Sweeps['list']>>[number], byId: Map<string, RunRecord>): SweepSummary {
  const jobs = sweep.jobs.map((job) => {
    // A job's override is `key=value`; keys never hold "=".
    const values = Object.fromEntries(job.overrides.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
    const pipeline = job.run ? byId.get(job.run) : undefined;
    const stepIds = pipeline ? [...pipeline.children, ...Object.values((pipeline.info.reused as Record<string, string>) ?? {})] : [];
    const metrics: Record<string, number> = {};
    for (const step of stepIds.map((id) => byId.get(id)).filter((r): r is RunRecord => r !== undefined)) {
      for (const [name, value] of Object.entries(step.metrics)) metrics[`${step.step}.${name}`] = value;
    }
    return { num: job.num, status: job.status, run: job.run, seconds: job.seconds, values, metrics };
  });
  const keys = [...new Set(jobs.flatMap((job) => Object.keys(job.values)))];
  const swept = keys.filter((key) => new Set(jobs.map((job) => job.values[key])).size > 1);
  return { id: sweep.id, createdAt: sweep.createdAt, overrides: sweep.overrides, swept, jobs };
}

/** The counts preprocess recorded for a one-file table version; derived data is a cache, so a bad entry is none. */
async function readTableCounts(store: Store, version: ArtifactManifest): Promise<TableCounts | undefined> {
  if (version.files.length !== 1) return undefined;
  const bytes = await store.derived.get(version.files[0].sha256, TABLE_COUNTS_KIND);
  if (!bytes) return undefined;
  try {
    return decodeTableCounts(bytes, `the counts of ${version.name}:${version.version}`);
  } catch {
    return undefined;
  }
}

async function readCheckReport(store: Store, ref: string): Promise<CheckReportData | undefined> {
  const version = await store.artifacts.resolve(ref).catch(() => undefined);
  const file = version?.files.find((f) => f.path === 'report.json');
  if (!version || !file) return undefined;
  const paths = await store.artifacts.materialize({ ...version, files: [file] }, store.location).catch(() => undefined);
  if (!paths) return undefined;
  return { artifact: ref, ...(JSON.parse(readFileSync(paths['report.json'], 'utf8')) as Omit<CheckReportData, 'artifact'>) };
}
