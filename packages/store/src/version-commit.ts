import { basename } from 'node:path';
import type { StoreDriver } from './driver.js';
import { StoreError } from './errors.js';
import { type ArtifactManifest, parseAliasPointer, parseManifest, serializeAliasPointer, serializeManifest } from './manifest.js';
import { type ArtifactBase, aliasKey, artifactDocsPrefix, pendingKey, versionKey } from './keys.js';
import { isVersionLabel, versionNumber } from './names.js';

/**
 * How a new version and `latest` become one commit as readers see it, on any driver. Under the
 * artifact's lock, the manifest is first written as *pending* (`pending/vN.json`, which readers
 * do not list), then `latest` moves to it, which is the commit: from then on readers see vN,
 * through `latest`. Then the manifest takes its place in `versions/` and the pending copy goes.
 * A writer that fails before `latest` moved removes its pending copy; a writer killed at any
 * point leaves either nothing visible or a complete version, and the next writer of that
 * artifact (or `mldp store repair`) rolls what it left back or forward. Holding the lock also
 * makes "same content as latest: no new version" hold for concurrent writers.
 */

export interface ArtifactDocs {
  committed: string[];
  pending: string[];
}

/** The version labels of an artifact's committed and pending manifests, in version order. */
export async function listVersionDocs(driver: StoreDriver, base: ArtifactBase): Promise<ArtifactDocs> {
  const docs: ArtifactDocs = { committed: [], pending: [] };
  for (const key of await driver.listDocs(artifactDocsPrefix(base))) {
    const label = basename(key, '.json');
    if (!isVersionLabel(label)) continue;
    if (key === versionKey(base, label)) docs.committed.push(label);
    else if (key === pendingKey(base, label)) docs.pending.push(label);
  }
  const order = (a: string, b: string) => versionNumber(a) - versionNumber(b);
  docs.committed.sort(order);
  docs.pending.sort(order);
  return docs;
}

export async function readLatestLabel(driver: StoreDriver, base: ArtifactBase): Promise<string | undefined> {
  const key = aliasKey(base, 'latest');
  const doc = await driver.readDoc(key);
  return doc && parseAliasPointer(key, doc.text);
}

/** A pending manifest is committed once `latest` points at it. */
export async function readVisiblePending(driver: StoreDriver, base: ArtifactBase, version: string): Promise<ArtifactManifest | undefined> {
  const doc = await driver.readDoc(pendingKey(base, version));
  if (!doc || (await readLatestLabel(driver, base)) !== version) return undefined;
  return parseManifest(pendingKey(base, version), doc.text);
}

/** Commits under way in this process: an interrupted step lets them end before it exits. */
const inFlight = new Set<Promise<unknown>>();
let refusal: string | undefined;

/**
 * After an interrupt: new commits are refused (`why` is their error), and this resolves when
 * the commits under way have ended (or after `timeoutMs`).
 */
export async function endCommits(why: string, timeoutMs: number): Promise<void> {
  refusal = why;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.allSettled([...inFlight]), timeout]);
  clearTimeout(timer);
}

/** Runs `action` holding the artifact's lock, after settling what a dead writer left. */
export function withArtifactLock<T>(driver: StoreDriver, base: ArtifactBase, purpose: string, action: () => Promise<T>): Promise<T> {
  if (refusal) return Promise.reject(new StoreError(refusal));
  const work = driver.withLock(base, purpose, async () => {
    await settlePending(driver, base);
    return action();
  });
  inFlight.add(work);
  void work.catch(() => undefined).finally(() => inFlight.delete(work));
  return work;
}

export interface SettledPending {
  version: string;
  outcome: 'completed' | 'rolled back' | 'leftover removed';
}

/**
 * Call holding the lock, so every pending manifest belongs to a writer that is gone: one that
 * `latest` points at was committed, and is completed; any other is removed.
 */
export async function settlePending(driver: StoreDriver, base: ArtifactBase): Promise<SettledPending[]> {
  const docs = await listVersionDocs(driver, base);
  const settled: SettledPending[] = [];
  if (docs.pending.length === 0) return settled;
  const latest = await readLatestLabel(driver, base);
  for (const version of docs.pending) {
    if (docs.committed.includes(version)) {
      settled.push({ version, outcome: 'leftover removed' });
    } else if (version === latest) {
      const doc = await driver.readDoc(pendingKey(base, version));
      if (doc) await driver.createDoc(versionKey(base, version), doc.text);
      settled.push({ version, outcome: 'completed' });
    } else {
      settled.push({ version, outcome: 'rolled back' });
    }
    await driver.deleteDoc(pendingKey(base, version));
  }
  return settled;
}

/**
 * Commits `draft` as the next version of its artifact unless `isSame(latest)` (then the latest
 * version is returned, `created: false`). Call holding the artifact's lock (withArtifactLock).
 */
export async function commitNextVersion(
  driver: StoreDriver,
  base: ArtifactBase,
  draft: ArtifactManifest,
  isSame: (latest: ArtifactManifest) => boolean,
): Promise<{ manifest: ArtifactManifest; created: boolean }> {
  const latestLabel = await readLatestLabel(driver, base);
  const latestDoc = latestLabel === undefined ? undefined : await driver.readDoc(versionKey(base, latestLabel));
  const latest = latestDoc && parseManifest(versionKey(base, latestLabel!), latestDoc.text);
  if (latest && isSame(latest)) return { manifest: latest, created: false };

  const { committed } = await listVersionDocs(driver, base);
  const next = committed.length ? versionNumber(committed[committed.length - 1]) + 1 : 0;
  const manifest: ArtifactManifest = { ...draft, version: `v${next}` };
  const text = serializeManifest(manifest);
  await driver.putDoc(pendingKey(base, manifest.version), text);
  let previous: { text: string } | undefined;
  try {
    previous = await pointLatestAt(driver, base, manifest.version);
  } catch (error) {
    // `latest` did not move: nothing was committed.
    await driver.deleteDoc(pendingKey(base, manifest.version)).catch(() => undefined);
    throw error;
  }
  try {
    if (!(await driver.createDoc(versionKey(base, manifest.version), text))) {
      throw new StoreError(`${manifest.name}:${manifest.version} was written by another process (a store copy?) while it was being committed`, {
        hint: 'run the step again',
      });
    }
  } catch (error) {
    await rollBackLatest(driver, base, manifest.version, previous).catch(() => undefined);
    await driver.deleteDoc(pendingKey(base, manifest.version)).catch(() => undefined);
    throw error;
  }
  // A leftover pending copy is harmless (versions/ wins) and removed by the next writer.
  await driver.deleteDoc(pendingKey(base, manifest.version)).catch(() => undefined);
  return { manifest, created: true };
}

/** Moves `latest` to `version` by compare-and-swap; returns the pointer it replaced. */
async function pointLatestAt(driver: StoreDriver, base: ArtifactBase, version: string): Promise<{ text: string } | undefined> {
  const key = aliasKey(base, 'latest');
  for (;;) {
    const current = await driver.readDoc(key);
    if (await driver.swapDoc(key, serializeAliasPointer(version), current?.etag)) return current && { text: current.text };
  }
}

/** Puts `latest` back where it was, if it still points at the version whose commit failed. */
async function rollBackLatest(driver: StoreDriver, base: ArtifactBase, version: string, previous: { text: string } | undefined): Promise<void> {
  const key = aliasKey(base, 'latest');
  const current = await driver.readDoc(key);
  if (!current || parseAliasPointer(key, current.text) !== version) return;
  if (previous) await driver.swapDoc(key, previous.text, current.etag);
  else await driver.deleteDoc(key);
}
