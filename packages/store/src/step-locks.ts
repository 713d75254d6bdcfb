/**
 * A single-flight lock on a step's cache key that holds across processes and machines, kept in
 * the store: `locks/steps/STEP/KEY.json` (see keys.ts), created exclusively. Its holder
 * refreshes it while the step runs; a lock whose holder stopped refreshing it (or, on this
 * machine, whose process is gone) is taken over with a compare-and-swap, so exactly one waiter
 * gets it. Unlike the store's own locks (locks.ts), which guard a short write, this one is held
 * for as long as a step runs.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isProcessAlive, sleep } from '@mldp/runtime';
import type { StoreDriver } from './driver.js';
import { stepLockKey } from './keys.js';

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

export interface HeldStepLock {
  release(): Promise<void>;
}

const DEFAULTS = { staleMs: 30_000, refreshMs: 5_000, pollMs: 300 };

export class StepLocks {
  constructor(private readonly driver: StoreDriver) {}

  /** Takes the lock if it is free (or stale) now; undefined if someone else holds it. */
  async tryAcquire(step: string, cacheKey: string, holder: string, options: StepLockOptions = {}): Promise<HeldStepLock | undefined> {
    const { staleMs, refreshMs } = { ...DEFAULTS, ...options };
    const docKey = stepLockKey(step, cacheKey);
    const mine: LockDoc = { token: randomBytes(8).toString('hex'), host: hostname(), pid: process.pid, holder, refreshedAt: Date.now() };
    let taken = await this.driver.createDoc(docKey, JSON.stringify(mine));
    if (!taken) {
      const current = await this.driver.readDoc(docKey);
      if (!current) return this.tryAcquire(step, cacheKey, holder, options);
      if (!isStale(JSON.parse(current.text) as LockDoc, staleMs)) return undefined;
      taken = await this.driver.swapDoc(docKey, JSON.stringify(mine), current.etag);
      if (!taken) return undefined;
    }
    const timer = setInterval(() => {
      void this.refresh(docKey, mine).catch(() => undefined);
    }, refreshMs);
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        const current = await this.driver.readDoc(docKey);
        if (current && (JSON.parse(current.text) as LockDoc).token === mine.token) await this.driver.deleteDoc(docKey);
      },
    };
  }

  /** Waits while another process holds the lock; returns once it is released or stale. */
  async waitFor(step: string, cacheKey: string, options: StepLockOptions = {}): Promise<void> {
    const { staleMs, pollMs } = { ...DEFAULTS, ...options };
    for (;;) {
      const current = await this.driver.readDoc(stepLockKey(step, cacheKey));
      if (!current || isStale(JSON.parse(current.text) as LockDoc, staleMs)) return;
      await sleep(pollMs);
    }
  }

  /** Who holds the lock, for the "waiting for" message. */
  async holder(step: string, cacheKey: string): Promise<string | undefined> {
    const current = await this.driver.readDoc(stepLockKey(step, cacheKey));
    return current ? (JSON.parse(current.text) as LockDoc).holder : undefined;
  }

  private async refresh(docKey: string, mine: LockDoc): Promise<void> {
    const current = await this.driver.readDoc(docKey);
    if (!current || (JSON.parse(current.text) as LockDoc).token !== mine.token) return;
    await this.driver.swapDoc(docKey, JSON.stringify({ ...mine, refreshedAt: Date.now() }), current.etag);
  }
}

function isStale(lock: LockDoc, staleMs: number): boolean {
  if (lock.host === hostname() && !isProcessAlive(lock.pid)) return true;
  return Date.now() - lock.refreshedAt > staleMs;
}
