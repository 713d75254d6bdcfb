/**
 * Runs each distinct step execution once, even when several pipelines (the jobs of a sweep, or
 * separate `mldp run`s on several machines) reach the same step at the same moment: the first
 * takes the lock on the step's cache key and runs it; the others wait, then find it cached.
 */
import { createHash } from 'node:crypto';
import type { HeldStepLock, RunRecord, Store } from '@mldp/store';
import { type CacheKey, cacheKeyOf, stableJson } from './cache-key.js';
import type { StepName } from './config-schema.js';
import type { StepPlan } from './steps.js';

export type Claim =
  | { kind: 'cached'; cacheKey: CacheKey; run: RunRecord }
  | { kind: 'run'; cacheKey: CacheKey | undefined; lock: HeldStepLock };

/** Either the cached run of the step, or the lock to run it, waiting while another process runs it. */
export async function claimStep(
  store: Store,
  plan: StepPlan,
  workspaceRoot: string,
  holder: string,
  onWait: (holder: string | undefined) => void,
): Promise<Claim> {
  const step = plan.step as StepName;
  let waited = false;
  for (;;) {
    const cacheKey = await cacheKeyOf(store, plan, workspaceRoot);
    const cached = cacheKey && (await store.stepCache.get(step, cacheKey.key));
    if (cacheKey && cached) return { kind: 'cached', cacheKey, run: cached };
    // A step without a key yet (an input still to be bootstrapped, a download over http) is
    // locked on what it would run, so that it, too, runs once at a time.
    const lockName = cacheKey?.key ?? planFingerprint(plan);
    const lock = await store.stepLocks.tryAcquire(step, lockName, holder);
    if (lock) {
      const again = cacheKey && (await store.stepCache.get(step, cacheKey.key));
      if (cacheKey && again) {
        await lock.release();
        return { kind: 'cached', cacheKey, run: again };
      }
      return { kind: 'run', cacheKey, lock };
    }
    if (!waited) onWait(await store.stepLocks.holder(step, lockName));
    waited = true;
    await store.stepLocks.waitFor(step, lockName);
  }
}

function planFingerprint(plan: StepPlan): string {
  return createHash('sha256').update(stableJson({ step: plan.step, params: plan.params, inputs: plan.inputs })).digest('hex');
}
