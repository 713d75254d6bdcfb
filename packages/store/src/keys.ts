/**
 * The layout of a store: the key of every kind of document it holds. Every module that reads or
 * writes documents (artifacts, runs, copy, verify, repair, derived data, sweeps, locks, the step
 * cache) takes its keys from here, so the layout is written down once. Blobs are not documents:
 * where they live is each driver's business.
 *
 * Changing a key here changes the store format (see store-format.ts): stores written by earlier
 * releases must still read.
 */

/** The document that makes a location an mldp store, and says which layout it has. */
export const STORE_MARKER = 'mldp-store.json';

// ---- artifacts: artifacts/PROJECT/NAME/{versions,pending,aliases}/LABEL.json

/** `artifacts/PROJECT/NAME`: the prefix of one artifact's documents, and the name of its lock. */
export type ArtifactBase = `artifacts/${string}/${string}`;

const ARTIFACTS = 'artifacts/';

export const artifactBase = (project: string, name: string): ArtifactBase => `artifacts/${project}/${name}`;
/** The prefix of the artifacts of one project, or of all. */
export const artifactsPrefix = (project?: string): string => (project ? `${ARTIFACTS}${project}/` : ARTIFACTS);
/** The prefix of one artifact's documents (its versions, pending versions and aliases). */
export const artifactDocsPrefix = (base: ArtifactBase): string => `${base}/`;
export const versionKey = (base: ArtifactBase, version: string): string => `${base}/versions/${version}.json`;
/** A version being committed (see version-commit.ts): readers do not list it. */
export const pendingKey = (base: ArtifactBase, version: string): string => `${base}/pending/${version}.json`;
export const aliasKey = (base: ArtifactBase, alias: string): string => `${base}/aliases/${alias}.json`;
export const aliasesPrefix = (base: ArtifactBase): string => `${base}/aliases/`;

/** What an artifact document's key names. */
export interface ArtifactDocKey {
  base: ArtifactBase;
  project: string;
  name: string;
  kind: 'versions' | 'pending' | 'aliases';
  /** The version (`v3`) or the alias (`latest`). */
  label: string;
}

/** The parts of an artifact document's key; undefined for a key that is not one. */
export function parseArtifactDocKey(key: string): ArtifactDocKey | undefined {
  const match = /^artifacts\/([^/]+)\/([^/]+)\/(versions|pending|aliases)\/([^/]+)\.json$/.exec(key);
  if (!match) return undefined;
  const [, project, name, kind, label] = match;
  return { base: artifactBase(project, name), project, name, kind: kind as ArtifactDocKey['kind'], label };
}

/** The project and name of an artifact base; undefined for a name that is not one. */
export function parseArtifactBase(name: string): { project: string; name: string } | undefined {
  const match = /^artifacts\/([^/]+)\/([^/]+)$/.exec(name);
  return match ? { project: match[1], name: match[2] } : undefined;
}

// ---- runs: runs/ID.json (the record) and runs/ID.log (its log)

export const RUNS_PREFIX = 'runs/';
export const runKey = (id: string): string => `${RUNS_PREFIX}${id}.json`;
export const runLogKey = (id: string): string => `${RUNS_PREFIX}${id}.log`;

/** The run id of a run record's key; undefined for a log or any other key. */
export function runIdOfKey(key: string): string | undefined {
  return key.startsWith(RUNS_PREFIX) && key.endsWith('.json') ? key.slice(RUNS_PREFIX.length, -'.json'.length) : undefined;
}

// ---- derived data: derived/SOURCE_SHA256/KIND.json

export const DERIVED_PREFIX = 'derived/';
export const derivedKey = (sourceSha256: string, kind: string): string => `${DERIVED_PREFIX}${sourceSha256}/${kind}.json`;
export const derivedPrefix = (sourceSha256: string): string => `${DERIVED_PREFIX}${sourceSha256}/`;

export function parseDerivedKey(key: string): { sourceSha256: string; kind: string } | undefined {
  const match = /^derived\/([0-9a-f]{64})\/(.+)\.json$/.exec(key);
  return match ? { sourceSha256: match[1], kind: match[2] } : undefined;
}

// ---- sweeps: sweeps/ID.json (the record) and sweeps/ID/job-N.log (each job's output)

export const SWEEPS_PREFIX = 'sweeps/';
export const sweepKey = (id: string): string => `${SWEEPS_PREFIX}${id}.json`;
export const sweepJobLogKey = (id: string, num: number): string => `${SWEEPS_PREFIX}${id}/job-${num}.log`;
export const isSweepKey = (key: string): boolean => /^sweeps\/[^/]+\.json$/.test(key);

// ---- locks: locks/NAME.lock, where NAME is an artifact base or another resource's name

export const LOCKS_PREFIX = 'locks/';
export const lockKey = (name: string): string => `${LOCKS_PREFIX}${name}.lock`;
/** Only the store's own `.lock` documents are locks: the step locks below live under locks/ too. */
export const isLockKey = (key: string): boolean => key.startsWith(LOCKS_PREFIX) && key.endsWith('.lock');

// ---- the step cache of `mldp run` (see step-cache.ts and step-locks.ts)

/** Which finished run a step's cache key names. */
export const stepCacheKey = (step: string, cacheKey: string): string => `cache/${step}/${cacheKey}.json`;
/** Which step execution (by cache key) produced an artifact version. */
export const producerKey = (project: string, name: string, version: string): string => `cache/producers/${project}/${name}/${version}.json`;
/** The single-flight lock on a step's cache key. */
export const stepLockKey = (step: string, cacheKey: string): string => `${LOCKS_PREFIX}steps/${step}/${cacheKey}.json`;
