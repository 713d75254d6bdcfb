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
