import { type ArtifactBase, RUNS_PREFIX, artifactsPrefix, parseArtifactDocKey, runIdOfKey } from './keys.js';
import { judgeLock } from './locks.js';
import { isVersionLabel } from './names.js';
import type { Store } from './store.js';
import { settlePending } from './version-commit.js';
import { type VerifyResult, verifyStore } from './verify.js';

export interface RepairAction {
  kind: 'marked-crashed' | 'removed-orphan' | 'completed-commit' | 'removed-stale-lock' | 'removed-stale-temp';
  what: string;
  detail: string;
}

export interface RepairResult {
  actions: RepairAction[];
  /** `store verify` after the repair: what is left needs a person (corrupt or missing files, say). */
  after: VerifyResult;
}

/**
 * Fixes what `store verify` reports as repairable, and does the housekeeping of its notes:
 * runs whose process is gone are recorded as `crashed`, commits a dead writer left are rolled
 * back (never committed) or completed (committed), stale locks and temp files are removed.
 * Safe beside running writers: each artifact is settled holding its lock, and a run is marked
 * only if its record is unchanged since it was judged crashed.
 */
export async function repairStore(store: Store): Promise<RepairResult> {
  const driver = store.driver;
  const actions: RepairAction[] = [];
  const pendings = new Map<ArtifactBase, string>();
  for (const key of await driver.listDocs(artifactsPrefix())) {
    const doc = parseArtifactDocKey(key);
    if (doc?.kind === 'pending' && isVersionLabel(doc.label)) pendings.set(doc.base, `${doc.project}/${doc.name}`);
  }
  for (const [base, label] of [...pendings].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const settled = await driver.withLock(base, 'repair', () => settlePending(driver, base));
    for (const { version, outcome } of settled) {
      if (outcome === 'rolled back') actions.push({ kind: 'removed-orphan', what: `${label}:${version}`, detail: 'never committed (latest did not move to it); removed' });
      else actions.push({ kind: 'completed-commit', what: `${label}:${version}`, detail: outcome === 'completed' ? 'committed; put in place' : 'committed; its leftover pending copy removed' });
    }
  }
  // Every project's runs: repair concerns the whole store.
  for (const id of (await driver.listDocs(RUNS_PREFIX)).flatMap((key) => runIdOfKey(key) ?? [])) {
    const run = await store.runs.tryGet(id).catch(() => undefined);
    if (run?.status !== 'crashed') continue;
    const reason = await store.runs.markCrashed(id);
    if (reason) actions.push({ kind: 'marked-crashed', what: `run ${id} (${run.step})`, detail: reason });
  }
  for (const { name, slot } of await driver.locks()) {
    const current = await slot.read().catch(() => undefined);
    if (!current) continue;
    const verdict = judgeLock(current.text, current.ageMs);
    if (verdict.stale && (await slot.removeIf(current.token))) actions.push({ kind: 'removed-stale-lock', what: name, detail: verdict.description });
  }
  for (const temp of await driver.sweepStaleTemps()) actions.push({ kind: 'removed-stale-temp', what: temp, detail: 'left by a writer that is gone' });
  return { actions, after: await verifyStore(store) };
}
