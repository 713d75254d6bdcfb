import { describeOwner, ownerState, parseOwner } from '@mldp/runtime';
import type { RunRecord } from './runs.js';

/** How often a running run updates its record. */
export const HEARTBEAT_MS = 30_000;
/**
 * A run on another host whose record has not been updated for this long is taken for crashed:
 * four missed beats, wide enough for a loaded machine or a slow object store.
 */
export const HEARTBEAT_STALE_MS = 4 * HEARTBEAT_MS;

/**
 * Why a run recorded as `running` is not running any more, or undefined while it may be: on
 * this host, its process has ended (or its pid belongs to another process now); elsewhere, its
 * heartbeat is stale. This is how W&B tells a crashed run from a running one.
 */
export function crashReason(record: RunRecord, now = Date.now()): string | undefined {
  if (record.status !== 'running') return undefined;
  const owner = parseOwner(record.process);
  if (owner) {
    const state = ownerState(owner);
    if (state === 'gone') return `its process (${describeOwner(owner)}) ended without finishing the run`;
    if (state === 'alive') return undefined;
  }
  const lastSign = Date.parse(record.heartbeatAt ?? record.startedAt);
  if (Number.isFinite(lastSign) && now - lastSign > HEARTBEAT_STALE_MS) {
    const where = owner ? ` (${describeOwner(owner)})` : '';
    return `no heartbeat from its process${where} since ${record.heartbeatAt ?? record.startedAt}`;
  }
  return undefined;
}

/** The record as readers show it: a `running` run whose process is gone is `crashed`. */
export function seenAsCrashed(record: RunRecord, now = Date.now()): RunRecord {
  const reason = crashReason(record, now);
  if (!reason) return record;
  return { ...record, status: 'crashed', error: record.error ?? reason, endedAt: record.endedAt ?? record.heartbeatAt ?? record.startedAt };
}
