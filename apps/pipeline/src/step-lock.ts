/**
 * A single-flight lock on a step's cache key that holds across processes and machines, kept in
 * the store: `locks/steps/STEP/KEY.json`, created exclusively. Its holder refreshes it while the
 * step runs; a lock whose holder stopped refreshing it (or, on this machine, whose process is
 * gone) is taken over with a compare-and-swap, so exactly one waiter gets it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isProcessAlive, sleep } from '@mldp/runtime';
import { type Store } from '@mldp/store';

interface LockDoc {
  token: string;
  host: string;
  pid: number;
  /** What holds it, for messages: a run id. */
  holder: string;
  refreshedAt: number;
}

export interface StepLockOptions {
  /** A lock not refreshed for this long is taken over. */
  staleMs?: number;
  refreshMs?: number;
  pollMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

const DEFAULTS = { staleMs: 30_000, refreshMs: 5_000, pollMs: 300 };

const lockKey = (step: string, key: string) => `locks/steps/${step}/${key}.json`;

/** Takes the lock if it is free (or stale) now; undefined if someone else holds it. */
export async function tryLockStep(store: Store, step: string, key: string, holder: string, options: StepLockOptions = {}): Promise<HeldLock | undefined> {
  const { staleMs, refreshMs } = { ...DEFAULTS, ...options };
  const docKey = lockKey(step, key);
  const mine: LockDoc = { token: randomBytes(8).toString('hex'), host: hostname(), pid: process.pid, holder, refreshedAt: Date.now() };
  let taken = await store.driver.createDoc(docKey, JSON.stringify(mine));
  if (!taken) {
    const current = await store.driver.readDoc(docKey);
    if (!current) return tryLockStep(store, step, key, holder, options);
    if (!isStale(JSON.parse(current.text) as LockDoc, staleMs)) return undefined;
    taken = await store.driver.swapDoc(docKey, JSON.stringify(mine), current.etag);
    if (!taken) return undefined;
  }
  const timer = setInterval(() => {
    void refresh(store, docKey, mine).catch(() => undefined);
  }, refreshMs);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      const current = await store.driver.readDoc(docKey);
      if (current && (JSON.parse(current.text) as LockDoc).token === mine.token) await store.driver.deleteDoc(docKey);
    },
  };
}

/** Waits while another process holds the lock; returns once it is released or stale. */
export async function waitForStepLock(store: Store, step: string, key: string, options: StepLockOptions = {}): Promise<void> {
  const { staleMs, pollMs } = { ...DEFAULTS, ...options };
  for (;;) {
    const current = await store.driver.readDoc(lockKey(step, key));
    if (!current || isStale(JSON.parse(current.text) as LockDoc, staleMs)) return;
    await sleep(pollMs);
  }
}

/** Who holds the lock, for the "waiting for" message. */
export async function stepLockHolder(store: Store, step: string, key: string): Promise<string | undefined> {
  const current = await store.driver.readDoc(lockKey(step, key));
  return current ? (JSON.parse(current.text) as LockDoc).holder : undefined;
}

async function refresh(store: Store, docKey: string, mine: LockDoc): Promise<void> {
  const current = await store.driver.readDoc(docKey);
  if (!current || (JSON.parse(current.text) as LockDoc).token !== mine.token) return;
  await store.driver.swapDoc(docKey, JSON.stringify({ ...mine, refreshedAt: Date.now() }), current.etag);
}

function isStale(lock: LockDoc, staleMs: number): boolean {
  if (lock.host === hostname() && !isProcessAlive(lock.pid)) return true;
  return Date.now() - lock.refreshedAt > staleMs;
}
