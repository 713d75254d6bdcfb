import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSource } from '@mldp/download';
import { type RunRecord, type Store, parseArtifactRef, sha256File, versionRef } from '@mldp/store';
import type { StepName } from './config-schema.js';
import { type StepPlan, stepPackages } from './steps.js';

/** The parts a step's cache key is made of, kept in its run so `mldp runs show` can explain it. */
export interface CacheKeyParts {
  package: string;
  version: string;
  /** sha256 of the built JavaScript of the step and the mldp libraries it uses. */
  code: string;
  params: Record<string, unknown>;
  /**
   * Input artifacts as `name:vN`, each with its digest and the cache key of the step execution
   * that last produced it (so a rerun upstream reruns what is downstream); for download, the
   * source file's sha256.
   */
  inputs: Record<string, string>;
}

export interface CacheKey {
  key: string;
  parts: CacheKeyParts;
}

/**
 * The step's cache key: a sha256 over its package name and version, its built code, its
 * parameters and the digests of the inputs it resolves to. Undefined when the step cannot be
 * cached: a download over http(s) (the step makes a conditional request instead), or an input
 * that does not exist yet.
 */
export async function cacheKeyOf(store: Store, plan: StepPlan, workspaceRoot: string): Promise<CacheKey | undefined> {
  const inputs: Record<string, string> = {};
  if (plan.step === 'download') {
    const url = String(plan.params.file_url);
    const location = parseSource(url, workspaceRoot, 'data.file_url');
    if (location.kind === 'http') return undefined;
    const source = await sha256File(location.path).catch(() => undefined);
    if (!source) return undefined;
    inputs[url] = `sha256:${source.sha256}`;
  }
  for (const ref of plan.inputs) {
    // A reference to be bootstrapped is the sample it will be made from: the key is the one the
    // step's run has once it made it, so that pipelines starting together share the step.
    const read = plan.bootstrap?.ref === ref && !(await store.artifacts.tryResolve(parseArtifactRef(ref))) ? plan.bootstrap.from : ref;
    const version = await store.artifacts.tryResolve(parseArtifactRef(read));
    if (!version) return undefined;
    const producer = await store.driver.readDoc(producerKey(version.project, versionRef(version)));
    inputs[versionRef(version)] = producer ? `${version.digest} from ${(JSON.parse(producer.text) as { key: string }).key}` : version.digest;
  }
  const [main, ...libraries] = stepPackages(plan.step);
  const parts: CacheKeyParts = {
    package: main.name,
    version: main.version,
    code: codeHash([main, ...libraries]),
    params: plan.params,
    inputs,
  };
  return { key: sha256(stableJson(parts)), parts };
}

/** A finished run with this key whose outputs are all still in the store, if there is one. */
export async function findCachedRun(store: Store, step: StepName, key: string): Promise<RunRecord | undefined> {
  const entry = await store.driver.readDoc(cacheEntryKey(step, key));
  if (!entry) return undefined;
  const run = await store.runs.tryGet((JSON.parse(entry.text) as { run: string }).run);
  // A run of another project made its outputs there, not here.
  if (!run || run.project !== store.project || run.status !== 'finished' || run.info.cache_key !== key) return undefined;
  for (const output of run.outputs) {
    const version = await store.artifacts.tryResolve(parseArtifactRef(output));
    if (!version) return undefined;
    for (const file of version.files) {
      if ((await store.driver.statBlob(file.sha256))?.size !== file.size) return undefined;
    }
  }
  return run;
}

/** Remembers that a finished run produced its outputs under this key. */
export async function recordCacheEntry(store: Store, step: StepName, key: string, run: RunRecord): Promise<void> {
  await store.driver.putDoc(cacheEntryKey(step, key), `${JSON.stringify({ run: run.id })}\n`);
  await recordProducer(store, run, key);
}

/** A cached run's outputs become `latest` again, as if the step had just produced them. */
export async function restoreOutputs(store: Store, run: RunRecord): Promise<void> {
  for (const output of run.outputs) await store.artifacts.setAlias(output, 'latest');
  if (typeof run.info.cache_key === 'string') await recordProducer(store, run, run.info.cache_key);
}

/** Which step execution (by cache key) last produced each output, for the keys downstream. */
async function recordProducer(store: Store, run: RunRecord, key: string): Promise<void> {
  for (const output of run.outputs) await store.driver.putDoc(producerKey(run.project, output), `${JSON.stringify({ key, run: run.id })}\n`);
}

function producerKey(project: string, ref: string): string {
  const { name, label } = parseArtifactRef(ref);
  return `cache/producers/${project}/${name}/${label}.json`;
}

function cacheEntryKey(step: StepName, key: string): string {
  return `cache/${step}/${key}.json`;
}

const codeHashes = new Map<string, string>();

function codeHash(packages: Array<{ name: string; dir: string }>): string {
  const id = packages.map((p) => p.dir).join('|');
  const cached = codeHashes.get(id);
  if (cached) return cached;
  const hash = createHash('sha256');
  for (const pkg of packages) {
    const dist = join(pkg.dir, 'dist');
    for (const file of listJs(dist)) hash.update(`${pkg.name}/${relative(dist, file)}\0`).update(readFileSync(file)).update('\0');
  }
  const digest = hash.digest('hex');
  codeHashes.set(id, digest);
  return digest;
}

function listJs(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listJs(path));
    else if (entry.endsWith('.js') && !entry.endsWith('.test.js')) files.push(path);
  }
  return files;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so equal values always hash the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'a while ago';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds}s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}
