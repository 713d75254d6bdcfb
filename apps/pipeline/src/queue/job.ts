/**
 * What a queued job carries: one pipeline run, or one job of a sweep, with its resolved config,
 * the store it writes to, and the mldp version and code hash of its submitter. It carries no
 * credentials: each worker reaches the store with its own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from '../config.js';

export interface QueueJobData {
  kind: 'run' | 'sweep-job';
  /** The store location as the submitter opened it: s3://BUCKET/PREFIX or an absolute folder. */
  store: string;
  project: string;
  config: ResolvedConfig;
  overrides: string[];
  configFile: string;
  /** For a sweep job: the sweep's id and the job's number. */
  sweep?: { id: string; num: number };
  code: CodeIdentity;
  /** The worker that last stopped this job and put it back in the queue (`mldp worker` stopped twice), and in which attempt. */
  handedBack?: { by: string; attempt: number };
}

export interface CodeIdentity {
  version: string;
  /** sha256 over the built code of mldp and its step packages. */
  hash: string;
}

/**
 * The BullMQ id of a job: the sweep's id and the job's number (or "run"), and a random part, so
 * that a resubmitted job (resume) is a new queue job; a job put back after a restart of Redis
 * keeps its id.
 */
export function newJobId(data: Pick<QueueJobData, 'sweep'>): string {
  const nonce = randomBytes(4).toString('hex');
  return data.sweep ? `${data.sweep.id}-${data.sweep.num}-${nonce}` : `run-${nonce}`;
}

/** "sweep 2026...:#3" or "run" for messages. */
export function describeJob(data: QueueJobData): string {
  return data.sweep ? `sweep ${data.sweep.id} job #${data.sweep.num}` : `pipeline run (${data.overrides.join(' ') || 'no overrides'})`;
}

const PIPELINE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

let identity: CodeIdentity | undefined;

/** This installation's mldp version and code hash (computed once per process). */
export function codeIdentity(): CodeIdentity {
  if (identity) return identity;
  const hash = createHash('sha256');
  for (const root of mldpPackageRoots()) {
    const manifest = readManifest(root);
    hash.update(`${manifest.name}@${manifest.version}\n`);
    for (const file of codeFiles(join(root, 'dist'))) hash.update(`${relative(root, file)}\n`).update(readFileSync(file)).update('\n');
  }
  identity = { version: readManifest(PIPELINE_ROOT).version, hash: hash.digest('hex').slice(0, 16) };
  return identity;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
}

/** The pipeline's folder and those of the @mldp packages it depends on, directly or not, in a stable order. */
function mldpPackageRoots(): string[] {
  const roots = new Map<string, string>();
  const visit = (root: string): void => {
    const manifest = readManifest(root);
    if (roots.has(manifest.name)) return;
    roots.set(manifest.name, root);
    const require = createRequire(join(root, 'package.json'));
    for (const name of Object.keys(manifest.dependencies ?? {}).filter((n) => n.startsWith('@mldp/')).sort()) visit(dirname(require.resolve(`${name}/package.json`)));
  };
  visit(PIPELINE_ROOT);
  return [...roots.values()];
}

/** The .js files of a dist folder, in a stable order, leaving out tests. */
function codeFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...codeFiles(path));
    else if (entry.name.endsWith('.js') && !/\.test\.js$/.test(entry.name) && !path.includes('/test-support/')) files.push(path);
  }
  return files;
}

/** Why this worker must not run a job from `submitter`, or undefined when their code is the same. */
export function codeSkew(submitter: CodeIdentity, worker: CodeIdentity): string | undefined {
  if (submitter.version !== worker.version) return `it comes from mldp ${submitter.version} and this worker runs mldp ${worker.version}`;
  if (submitter.hash !== worker.hash) return `it comes from mldp ${submitter.version} with pipeline code ${submitter.hash} and this worker runs code ${worker.hash}`;
  return undefined;
}
