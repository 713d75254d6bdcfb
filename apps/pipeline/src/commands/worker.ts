import { UsageError, plural } from '@mldp/runtime';
import { type GlobalArgs, projectOf, workspaceRoot } from '../context.js';
import { parseQueueUrl, queueUrlOf } from '../queue/connection.js';
import { startWorker } from '../queue/worker.js';

export interface WorkerArgs extends GlobalArgs {
  queue?: string;
  concurrency?: string;
  lockTimeout?: string;
  lostRetries?: string;
}

/** `mldp worker`: takes the project's jobs until it is stopped (SIGINT/SIGTERM: see below). */
export async function workerCommand(args: WorkerArgs): Promise<number> {
  const url = queueUrlOf(args);
  if (!url) throw new UsageError('mldp worker needs the queue', { hint: 'give --queue redis://HOST:PORT[/DB] or set MLDP_QUEUE' });
  const location = parseQueueUrl(url);
  const concurrency = wholeNumber(args.concurrency ?? '1', '--concurrency', 1);
  const lockSeconds = positiveNumber(args.lockTimeout ?? process.env.MLDP_QUEUE_LOCK_TIMEOUT ?? '30', args.lockTimeout === undefined ? 'MLDP_QUEUE_LOCK_TIMEOUT' : '--lock-timeout');
  const lostRetries = wholeNumber(args.lostRetries ?? process.env.MLDP_QUEUE_LOST_RETRIES ?? '2', args.lostRetries === undefined ? 'MLDP_QUEUE_LOST_RETRIES' : '--lost-retries', 0);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const signals = stopSignals();
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
  // The first signal lets the running jobs finish (a scale-down loses no work); a second one
  // stops them and hands them back to the queue at once, for another worker.
  const first = await signals.next();
  const count = worker.running();
  say(
    count === 0
      ? `worker: ${first}: stopping (no job was running)`
      : `worker: ${first}: finishing the ${plural(count, 'running job')}, taking no new ones; ${first === 'SIGINT' ? 'Ctrl-C' : first} again stops ${count === 1 ? 'it' : 'them'} now and puts ${count === 1 ? 'it' : 'them'} back in the queue`,
  );
  const finished = worker.finish().then(() => 'finished' as const);
  const outcome = await Promise.race([finished, signals.next()]);
  if (outcome === 'finished') {
    say('worker: stopped; every job it took has ended');
    return 0;
  }
  say(`worker: ${outcome}: stopping the running jobs; they go back to the queue`);
  await worker.stopNow(10_000);
  process.exit(outcome === 'SIGINT' ? 130 : 143);
}

/**
 * SIGINT and SIGTERM as they come, one per `next()`. One listener stays for the whole life of
 * the worker: removing the last one would give a signal that arrives in between its default
 * action, which kills the process.
 */
function stopSignals(): { next: () => Promise<NodeJS.Signals> } {
  const came: NodeJS.Signals[] = [];
  const waiting: Array<(signal: NodeJS.Signals) => void> = [];
  const on = (signal: NodeJS.Signals) => {
    const waiter = waiting.shift();
    if (waiter) waiter(signal);
    else came.push(signal);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    next: () => {
      const signal = came.shift();
      return signal ? Promise.resolve(signal) : new Promise((resolve) => waiting.push(resolve));
    },
  };
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
