import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSource } from '@mldp/download';
import { type Store, parseArtifactRef, sha256File, versionRef } from '@mldp/store';
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
    const producer = await store.stepCache.producerOf(version.project, versionRef(version));
    inputs[versionRef(version)] = producer ? `${version.digest} from ${producer}` : version.digest;
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
