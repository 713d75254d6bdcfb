import { UsageError } from '@mldp/runtime';
import { type GlobalArgs, projectOf, workspaceRoot } from '../context.js';
import { parseQueueUrl, queueUrlOf } from '../queue/connection.js';
import { startWorker } from '../queue/worker.js';

export interface WorkerArgs extends GlobalArgs {
  queue?: string;
  concurrency?: string;
  lockTimeout?: string;
  lostRetries?: string;
}

/** `mldp worker`: takes the project's jobs until it is stopped (SIGINT/SIGTERM). */
export async function workerCommand(args: WorkerArgs): Promise<number> {
  const url = queueUrlOf(args);
  if (!url) throw new UsageError('mldp worker needs the queue', { hint: 'give --queue redis://HOST:PORT[/DB] or set MLDP_QUEUE' });
  const location = parseQueueUrl(url);
  const concurrency = wholeNumber(args.concurrency ?? '1', '--concurrency', 1);
  const lockSeconds = positiveNumber(args.lockTimeout ?? process.env.MLDP_QUEUE_LOCK_TIMEOUT ?? '30', args.lockTimeout === undefined ? 'MLDP_QUEUE_LOCK_TIMEOUT' : '--lock-timeout');
  const lostRetries = wholeNumber(args.lostRetries ?? process.env.MLDP_QUEUE_LOST_RETRIES ?? '2', args.lostRetries === undefined ? 'MLDP_QUEUE_LOST_RETRIES' : '--lost-retries', 0);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const worker = await startWorker({
    location,
    project: await projectOf(args),
    concurrency,
    store: args.store,
    lockTimeoutMs: Math.round(lockSeconds * 1000),
    lostRetries,
    workspaceRoot: workspaceRoot(),
    say,
  });
  // Stopping abandons the running jobs: their steps are stopped, and the jobs return to the
  // queue after the lock timeout, for another worker (a stop counts as a lost worker).
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  say(`worker: ${signal}: stopping; jobs it held return to the queue after the lock timeout`);
  await Promise.race([worker.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function wholeNumber(text: string, what: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${what} ${text} is not a whole number >= ${min}`, { hint: `e.g. ${what} ${Math.max(min, 2)}` });
  return n;
}

function positiveNumber(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${what} ${text} is not a number of seconds > 0`, { hint: 'e.g. 30' });
  return n;
}
