import { PIPELINE_STEPS, UsageError } from '@mldp/runtime';
import type { RunRecord } from '@mldp/store';
import type { CacheKeyParts } from '../cache-key.js';
import { closestMatch } from '../did-you-mean.js';
import { type GlobalArgs, storeFor } from '../context.js';
import { formatDuration, formatTable, otherProjects, printJson } from '../format.js';

export async function runsList(args: GlobalArgs & { group?: string; step?: string; limit: number }): Promise<number> {
  if (args.step !== undefined && !RUN_STEPS.includes(args.step)) {
    const guess = closestMatch(args.step, RUN_STEPS);
    throw new UsageError(`--step ${args.step} is not a step${guess ? ` (did you mean ${guess}?)` : ''}`, { hint: `use one of: ${RUN_STEPS.join(', ')}` });
  }
  const store = await storeFor(args);
  const all = await store.runs.list();
  const runs = all.filter((r) => (args.group === undefined || r.group === args.group) && (args.step === undefined || r.step === args.step)).slice(0, args.limit);
  if (args.json) return printJson(runs.map(runJson)), 0;
  if (all.length === 0) {
    process.stdout.write(`no runs in project ${store.project} of ${store.location}${otherProjects(await store.runs.projects(), store.project, 'runs')}\n`);
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write(`${noMatch(all, args)}\n`);
    return 0;
  }
  const rows = runs.map((r) => [r.id, r.step, r.status, r.group, formatDuration(r.startedAt, r.endedAt), r.outputs.join(' ') || (r.error ?? '')]);
  process.stdout.write(`${formatTable(['ID', 'STEP', 'STATUS', 'GROUP', 'TIME', 'OUTPUTS / ERROR'], rows)}\n`);
  return 0;
}

/** Steps a run record can name: the pipeline's steps and the pipeline itself. */
const RUN_STEPS: string[] = [...PIPELINE_STEPS, 'pipeline'];

/** What a filter that matched nothing was, and the values that would match something. */
function noMatch(all: RunRecord[], args: { group?: string; step?: string }): string {
  const filters = [args.group !== undefined && `--group ${args.group}`, args.step !== undefined && `--step ${args.step}`].filter(Boolean).join(' ');
  const values = (pick: (r: RunRecord) => string) => [...new Set(all.map(pick))].sort().join(', ');
  const known = [args.group !== undefined && `groups with runs: ${values((r) => r.group)}`, args.step !== undefined && `steps with runs: ${values((r) => r.step)}`];
  return `no runs match ${filters} (of ${all.length} in project ${all[0].project}); ${known.filter(Boolean).join('; ')}`;
}

export async function runsShow(args: GlobalArgs & { id: string; log?: boolean }): Promise<number> {
  const store = await storeFor(args);
  const run = await store.runs.get(args.id);
  const log = await store.runs.log(run.id);
  if (args.json) return printJson({ ...runJson(run), log }), 0;
  const lines = [
    `run ${run.id}  ${run.kind} ${run.step}  ${run.status}`,
    `project ${run.project}, group ${run.group}${run.parent ? `, pipeline ${run.parent}` : ''}`,
    `started ${run.startedAt}, ended ${run.endedAt ?? '-'} (${formatDuration(run.startedAt, run.endedAt)})`,
    ...(run.error ? [`error: ${run.error}`] : []),
    ...(typeof run.info.resume === 'string' ? [`resume: ${run.info.resume}`] : []),
    `params: ${JSON.stringify(run.params)}`,
    `metrics: ${JSON.stringify(run.metrics)}`,
    `inputs: ${run.inputs.join(', ') || '-'}`,
    `outputs: ${run.outputs.join(', ') || '-'}`,
    ...(run.children.length ? [`steps: ${run.children.join(', ')}`] : []),
    ...(run.info.reused ? [`reused cached runs: ${Object.entries(run.info.reused as Record<string, string>).map(([step, id]) => `${step} ${id}`).join(', ')}`] : []),
    ...cacheLines(run),
    ...(log ? ['log:', ...log.trimEnd().split('\n').map((l) => `  ${l}`)] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Why the step would or would not rerun: the parts of its cache key. */
function cacheLines(run: RunRecord): string[] {
  const parts = run.info.cache as CacheKeyParts | undefined;
  if (!parts) return [];
  return [
    `cache key: ${run.info.cache_key}`,
    `  package: ${parts.package}@${parts.version}`,
    `  code: ${parts.code}`,
    `  params: ${JSON.stringify(parts.params)}`,
    ...Object.entries(parts.inputs).map(([input, digest]) => `  input: ${input} ${digest}`),
  ];
}

function runJson(run: RunRecord): Record<string, unknown> {
  return { ...run };
}
