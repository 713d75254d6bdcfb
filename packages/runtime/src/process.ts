import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** True when a process with this pid runs on this machine (a stale lock or temp file owner is not). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const HOST = hostname();

/** Node's timers wait at most 2^31 - 1 ms; asked for longer, they warn and fire after 1 ms. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms` milliseconds, a long wait as several timers. */
export async function sleep(ms: number): Promise<void> {
  let left = ms;
  do {
    const wait = Math.min(Math.max(left, 0), LONGEST_TIMER_MS);
    await new Promise((resolve) => setTimeout(resolve, wait));
    left -= wait;
  } while (left > 0);
}

/** Who a lock, a pending version or a run belongs to. */
export interface ProcessOwner {
  host: string;
  pid: number;
  /** When the process started, as the kernel counts it (boot id and clock ticks); absent where unknown. */
  start?: string;
}

/** `gone`: the owner's process has ended (or its pid now belongs to another process); `unknown`: it runs on another host. */
export type OwnerState = 'alive' | 'gone' | 'unknown';

let self: ProcessOwner | undefined;

export function currentOwner(): ProcessOwner {
  self ??= { host: HOST, pid: process.pid, ...optionalStart(processStartOf(process.pid)) };
  return self;
}

export function ownerState(owner: ProcessOwner): OwnerState {
  if (owner.host !== HOST) return 'unknown';
  if (!isProcessAlive(owner.pid)) return 'gone';
  // A pid is reused once its process is gone: the start time tells the two apart.
  if (owner.start !== undefined) {
    const start = processStartOf(owner.pid);
    if (start !== undefined && start !== owner.start) return 'gone';
  }
  return 'alive';
}

/** A process owner read back from JSON, or undefined if it is not one. */
export function parseOwner(value: unknown): ProcessOwner | undefined {
  const owner = value as Partial<ProcessOwner> | null;
  if (!owner || typeof owner !== 'object' || typeof owner.host !== 'string' || !Number.isInteger(owner.pid)) return undefined;
  if (owner.start !== undefined && typeof owner.start !== 'string') return undefined;
  return { host: owner.host, pid: owner.pid as number, ...optionalStart(owner.start) };
}

export function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid} on ${owner.host}`;
}

let bootId: string | undefined;

/**
 * Linux: the boot id and field 22 of /proc/PID/stat (start time in clock ticks since boot);
 * undefined elsewhere or when the process is gone.
 */
export function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return fields[19] ? `${bootId}:${fields[19]}` : undefined;
  } catch {
    return undefined;
  }
}

function optionalStart(start: string | undefined): { start?: string } {
  return start === undefined ? {} : { start };
}
