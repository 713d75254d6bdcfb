import { basename } from 'node:path';
import { sha256Stream } from './hashing.js';
import { type ArtifactBase, RUNS_PREFIX, aliasKey, artifactsPrefix, lockKey, parseArtifactDocKey, pendingKey, runIdOfKey, versionKey } from './keys.js';
import { judgeLock } from './locks.js';
import { parseAliasPointer, parseManifest } from './manifest.js';
import { isVersionLabel } from './names.js';
import { crashReason } from './run-liveness.js';
import type { RunRecord } from './runs.js';
import type { Store } from './store.js';

/** Damage, or a state to clean up: `store verify` exits 1. */
export interface VerifyProblem {
  kind: 'corrupt' | 'missing' | 'malformed' | 'broken-alias' | 'crashed-run' | 'orphaned-version';
  what: string;
  detail: string;
  /** `mldp store repair` fixes it. */
  repairable?: boolean;
}

/** Housekeeping that the next write (or `mldp store repair`) does by itself: reported, not damage. */
export interface VerifyNote {
  kind: 'stale-temp' | 'stale-lock' | 'unfinished-commit';
  what: string;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  versions: number;
  files: number;
  problems: VerifyProblem[];
  notes: VerifyNote[];
}

const REPAIR = 'run "mldp store repair"';

/**
 * Re-hashes every file of every version and checks every alias and manifest, like `git fsck`;
 * finds runs whose process is gone and versions that a failed commit left behind.
 */
export async function verifyStore(store: Store, onProgress?: (done: number) => void): Promise<VerifyResult> {
  const driver = store.driver;
  const problems: VerifyProblem[] = [];
  const notes: VerifyNote[] = [];
  const verified = new Map<string, string | undefined>();
  let versions = 0;
  let files = 0;
  const keys = await driver.listDocs(artifactsPrefix());
  const keySet = new Set(keys);
  for (const key of keys.filter((k) => parseArtifactDocKey(k)?.kind === 'versions')) {
    const doc = await driver.readDoc(key);
    if (!doc) continue;
    let manifest;
    try {
      manifest = parseManifest(key, doc.text);
    } catch (error) {
      problems.push({ kind: 'malformed', what: key, detail: (error as Error).message });
      continue;
    }
    versions++;
    for (const file of manifest.files) {
      files++;
      const where = `${manifest.project}/${manifest.name}:${manifest.version} ${file.path}`;
      if (!verified.has(file.sha256)) verified.set(file.sha256, await blobProblem(store, file.sha256));
      const problem = verified.get(file.sha256);
      if (problem === 'missing') problems.push({ kind: 'missing', what: where, detail: `blob ${file.sha256} is missing` });
      else if (problem) problems.push({ kind: 'corrupt', what: where, detail: `expected sha256 ${file.sha256}, found ${problem}` });
      onProgress?.(files);
    }
  }
  for (const key of keys) {
    const alias = parseArtifactDocKey(key);
    if (alias?.kind !== 'aliases') continue;
    const doc = await driver.readDoc(key);
    if (!doc) continue;
    try {
      const version = parseAliasPointer(key, doc.text);
      const target = versionKey(alias.base, version);
      // `latest` may point at a committed version whose manifest is still pending (see checkPending).
      const pending = alias.label === 'latest' && keySet.has(pendingKey(alias.base, version));
      if (!pending && !(await driver.readDoc(target))) {
        problems.push({ kind: 'broken-alias', what: key, detail: `points to ${version}, which does not exist` });
      }
    } catch (error) {
      problems.push({ kind: 'malformed', what: key, detail: (error as Error).message });
    }
  }
  const locks = await lockVerdicts(store);
  await checkPending(store, keySet, locks, problems, notes);
  for (const key of (await driver.listDocs(RUNS_PREFIX)).filter((k) => runIdOfKey(k) !== undefined)) {
    const doc = await driver.readDoc(key);
    let record: RunRecord;
    try {
      record = JSON.parse(doc?.text ?? '') as RunRecord;
    } catch {
      problems.push({ kind: 'malformed', what: key, detail: `run ${basename(key, '.json')} is not valid JSON` });
      continue;
    }
    const reason = record && typeof record === 'object' ? crashReason(record) : undefined;
    if (reason) {
      problems.push({ kind: 'crashed-run', what: `run ${record.id} (${record.step})`, detail: `recorded as running, but ${reason}; ${REPAIR} to mark it crashed`, repairable: true });
    }
  }
  for (const entry of await store.derived.list()) {
    const problem = await derivedProblem(store, entry.key, verified);
    if (problem) problems.push({ ...problem, what: `derived ${entry.kind} of ${entry.sourceSha256}` });
  }
  for (const temp of await driver.staleTemps()) {
    notes.push({ kind: 'stale-temp', what: temp, detail: 'left by a writer that is gone; removed on the next write or by "mldp store repair"' });
  }
  for (const [name, lock] of locks) {
    if (lock.stale) notes.push({ kind: 'stale-lock', what: name, detail: `${lock.description}; taken over by the next writer, or removed by "mldp store repair"` });
  }
  return { ok: problems.length === 0, versions, files, problems, notes };
}

interface LockState {
  stale: boolean;
  description: string;
}

/** Every lock of the store by name (`locks/artifacts/PROJECT/NAME.lock`, ...), judged live or stale. */
async function lockVerdicts(store: Store): Promise<Map<string, LockState>> {
  const verdicts = new Map<string, LockState>();
  for (const { name, slot } of await store.driver.locks()) {
    const current = await slot.read().catch(() => undefined);
    if (current) verdicts.set(name, judgeLock(current.text, current.ageMs));
  }
  return verdicts;
}

/**
 * Pending manifests (see version-commit.ts): one that `latest` points at is committed but not
 * yet in place (a note); one whose writer is gone before `latest` moved is an orphan, invisible
 * to readers, that repair removes. One whose artifact is locked by a live writer is in progress.
 */
async function checkPending(store: Store, keys: Set<string>, locks: Map<string, LockState>, problems: VerifyProblem[], notes: VerifyNote[]): Promise<void> {
  for (const key of keys) {
    const pending = parseArtifactDocKey(key);
    if (pending?.kind !== 'pending' || !isVersionLabel(pending.label)) continue;
    const { base, project, name, label: version } = pending;
    const lock = locks.get(lockKey(base));
    if (lock && !lock.stale) continue;
    const label = `${project}/${name}:${version}`;
    if (keys.has(versionKey(base, version))) {
      notes.push({ kind: 'unfinished-commit', what: label, detail: 'committed; its pending copy is left over and removed by the next write or by "mldp store repair"' });
      continue;
    }
    if ((await latestLabel(store, base)) === version) {
      notes.push({ kind: 'unfinished-commit', what: label, detail: 'committed (latest points at it); put in place by the next write or by "mldp store repair"' });
    } else {
      problems.push({ kind: 'orphaned-version', what: label, detail: `a commit that failed before latest moved left it (hidden from readers); ${REPAIR} to remove it`, repairable: true });
    }
  }
}

async function blobProblem(store: Store, sha256: string): Promise<string | undefined> {
  if (!(await store.driver.statBlob(sha256))) return 'missing';
  const actual = await sha256Stream(await store.driver.openBlob(sha256));
  return actual.sha256 === sha256 ? undefined : actual.sha256;
}

/**
 * A problem of one derived-data entry (see DerivedData). Harmless for results, as the steps
 * then read the table itself, but worth knowing: the cause may hit the artifacts too.
 */
async function derivedProblem(store: Store, key: string, verified: Map<string, string | undefined>): Promise<Omit<VerifyProblem, 'what'> | undefined> {
  const cure = 'the steps read the table instead, and preprocessing it again records it anew';
  const doc = await store.driver.readDoc(key);
  let sha256: unknown;
  try {
    sha256 = (JSON.parse(doc?.text ?? '') as { sha256?: unknown }).sha256;
  } catch {
    sha256 = undefined;
  }
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return { kind: 'malformed', detail: `${key} names no blob; ${cure}` };
  if (!verified.has(sha256)) verified.set(sha256, await blobProblem(store, sha256));
  const problem = verified.get(sha256);
  if (problem === 'missing') return { kind: 'missing', detail: `blob ${sha256} is missing; ${cure}` };
  if (problem) return { kind: 'corrupt', detail: `expected sha256 ${sha256}, found ${problem}; ${cure}` };
  return undefined;
}

async function latestLabel(store: Store, base: ArtifactBase): Promise<string | undefined> {
  const key = aliasKey(base, 'latest');
  const doc = await store.driver.readDoc(key);
  try {
    return doc && parseAliasPointer(key, doc.text);
  } catch {
    return undefined; // reported as a malformed alias
  }
}
