import { randomBytes } from 'node:crypto';
import { currentOwner, describeOwner, MldpError, ownerState, parseOwner, type ProcessOwner, sleep, UsageError } from '@mldp/runtime';
import { parseArtifactBase, parseArtifactDocKey } from './keys.js';

/**
 * Locks of the store, shared by the drivers: each driver provides a slot (a lock file, an S3
 * object) with create-only and compare-and-swap writes; this module decides what is stale and
 * how long to wait. A lock records its owner (host, pid, start time), so a lock whose process
 * is gone, or whose text is garbage, is taken over at once; a live one is waited for, up to a
 * bound, and then named in a clear error.
 */
export interface LockSlot {
  /** Creates the lock holding `text` if there is none; false if there is one. */
  create(text: string): Promise<boolean>;
  /** The current lock's text, a token that changes whenever the lock is replaced, and its age where the backend knows it. */
  read(): Promise<{ text: string; token: string; ageMs?: number } | undefined>;
  /** Replaces the lock with `text` only if it is still the one read with `token`. */
  replace(token: string, text: string): Promise<boolean>;
  /** Removes the lock only if it is still the one read with `token` (as far as the backend can tell). */
  removeIf(token: string): Promise<boolean>;
  remove(): Promise<void>;
}

interface LockRecord {
  owner: ProcessOwner;
  acquiredAt?: string;
  purpose?: string;
  nonce?: string;
}

/** A lock held by another host is presumed dead after this long: locks are held for a few requests at most. */
export const OTHER_HOST_LOCK_STALE_MS = 30_000;
/** Without a start time to tell a reused pid apart, a lock this old is not trusted either. */
const UNVERIFIABLE_LOCK_STALE_MS = 10 * 60_000;
const DEFAULT_WAIT_SECONDS = 30;

/** A lock held by a live process for longer than the wait allows. */
export class LockTimeoutError extends MldpError {
  constructor(message: string, hint: string) {
    super('E_LOCKED', message, { hint });
  }
}

export interface LockVerdict {
  stale: boolean;
  /** Who holds it, or why it is stale, for messages. */
  description: string;
}

/** Whether a lock's text describes a holder that is still there. */
export function judgeLock(text: string, ageMs: number | undefined, now = Date.now()): LockVerdict {
  const record = parseLockRecord(text);
  if (!record) return { stale: true, description: 'a lock file that is not a lock record (garbage)' };
  const holder = describeOwner(record.owner);
  const since = record.acquiredAt ? Date.parse(record.acquiredAt) : Number.NaN;
  const age = Number.isFinite(since) ? now - since : ageMs;
  const state = ownerState(record.owner);
  if (state === 'gone') return { stale: true, description: `a lock of ${holder}, which is gone` };
  if (state === 'unknown') {
    if (age === undefined || age > OTHER_HOST_LOCK_STALE_MS) return { stale: true, description: `a lock of ${holder}, ${formatAge(age)}` };
  } else if (record.owner.start === undefined && age !== undefined && age > UNVERIFIABLE_LOCK_STALE_MS) {
    return { stale: true, description: `a lock of ${holder}, ${formatAge(age)}` };
  }
  const when = record.acquiredAt ? ` since ${record.acquiredAt}` : '';
  return { stale: false, description: `${holder}${record.purpose ? ` (${record.purpose})` : ''}${when}` };
}

/** Runs `action` holding the lock of `slot`; `what` names the locked thing in messages. */
export async function withLock<T>(slot: LockSlot, what: string, purpose: string, action: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const waitMs = lockWaitMs(env);
  const text = lockText(purpose);
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    if (await slot.create(text)) break;
    const current = await slot.read();
    if (!current) continue;
    const verdict = judgeLock(current.text, current.ageMs);
    if (verdict.stale) {
      // Replaced or not, look again: another writer may have taken it over first.
      await slot.replace(current.token, text);
      if ((await slot.read())?.text === text) break;
      if (Date.now() < deadline) continue;
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(
        `${describeLocked(what)} is locked by ${verdict.description}: another mldp process is writing it`,
        `waited ${Math.round(waitMs / 1000)}s; let that process finish or stop it, then run again (a lock whose process is gone is taken over; MLDP_LOCK_TIMEOUT sets the wait in seconds)`,
      );
    }
    await sleep(Math.min(10 + attempt * 10, 100) * (0.5 + Math.random()));
  }
  try {
    return await action();
  } finally {
    // Only our own lock: after a takeover (we were judged gone) it is someone else's.
    const current = await slot.read().catch(() => undefined);
    if (current?.text === text) await slot.remove().catch(() => undefined);
  }
}

/** MLDP_LOCK_TIMEOUT: seconds to wait for a lock held by a live process (default 30). */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MLDP_LOCK_TIMEOUT;
  if (raw === undefined || raw === '') return DEFAULT_WAIT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !Number.isFinite(seconds) || seconds > 86_400) {
    throw new UsageError(`MLDP_LOCK_TIMEOUT "${raw}" is not a number of seconds from 0 to 86400`, { hint: `unset it for the default of ${DEFAULT_WAIT_SECONDS}` });
  }
  return seconds * 1000;
}

/** `artifacts/P/N` -> `the artifact P/N`; `artifacts/P/N/aliases/A.json` -> `the alias P/N:A`. */
function describeLocked(name: string): string {
  const alias = parseArtifactDocKey(name);
  if (alias?.kind === 'aliases') return `the alias ${alias.project}/${alias.name}:${alias.label}`;
  const artifact = parseArtifactBase(name);
  return artifact ? `the artifact ${artifact.project}/${artifact.name}` : name;
}

function lockText(purpose: string): string {
  const record: LockRecord = { owner: currentOwner(), acquiredAt: new Date().toISOString(), purpose, nonce: randomBytes(6).toString('hex') };
  return `${JSON.stringify(record)}\n`;
}

function parseLockRecord(text: string): LockRecord | undefined {
  // Locks of earlier mldp versions hold `pid@host`.
  const legacy = /^(\d+)@(\S+)$/.exec(text.trim());
  if (legacy) return { owner: { pid: Number(legacy[1]), host: legacy[2] } };
  try {
    const data = JSON.parse(text) as Partial<LockRecord>;
    const owner = parseOwner(data?.owner);
    if (!owner) return undefined;
    return {
      owner,
      acquiredAt: typeof data.acquiredAt === 'string' ? data.acquiredAt : undefined,
      purpose: typeof data.purpose === 'string' ? data.purpose : undefined,
    };
  } catch {
    return undefined;
  }
}

function formatAge(ms: number | undefined): string {
  if (ms === undefined) return 'of unknown age';
  return ms < 120_000 ? `${Math.round(ms / 1000)}s old` : `${Math.round(ms / 60_000)} min old`;
}
