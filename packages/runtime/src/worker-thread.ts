/**
 * Work in a worker thread, as one call: the caller starts it, reads what it sends, and stops it;
 * the worker serves a function. Failures arrive as one error that names the work: the worker's own
 * coded error as it was thrown, or, when it crashed or stopped before it answered, an `E_WORKER`
 * error. Waiting never hangs on a dead worker.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { MldpError } from './errors.js';

/** An error as it crosses from the worker to the caller. */
export interface SentError {
  name: string;
  message: string;
  code?: string;
  hint?: string;
  exitCode?: 1 | 2;
}

/** A coded error type the caller rebuilds by name (e.g. `DataError`), keeping its class. */
export type ErrorType = { name: string; new (code: string, message: string, options: { hint?: string }): Error };

type Sent = { value: unknown } | { error: SentError };

export interface WorkerOptions {
  /** Names the work in error messages, step first: `check_data: collecting the reference`. */
  task: string;
  /** The worker's input (`workerInput()`), copied by structured clone. */
  data?: unknown;
  /** Error types to rebuild as themselves; other coded errors come back as MldpError. */
  errorTypes?: ErrorType[];
}

/** A worker under way: its messages in arrival order, a way to talk to it, and to stop it. */
export interface WorkerRun<Message> {
  /** The next value the worker sent; rejects with its error, or if it stopped without sending one. */
  next(): Promise<Message>;
  /** The first value, after which the worker is stopped: for workers that answer once. */
  result(): Promise<Message>;
  post(message: unknown): void;
  /** Terminates the worker; safe to call more than once. Call it when the caller fails too. */
  stop(): Promise<void>;
}

/**
 * Starts `script` (a built `.js` module, given as `new URL('./x-worker.js', import.meta.url)`)
 * in a worker thread. The work starts at once; nothing is lost if the caller reads it later.
 */
export function runInWorker<Message>(script: URL, options: WorkerOptions): WorkerRun<Message> {
  const worker = new Worker(builtScript(script, options.task), { workerData: options.data });
  const arrived: Array<{ value: Message } | { failure: Error }> = [];
  let ended: Error | undefined;
  let wake: (() => void) | undefined;
  const deliver = (item: { value: Message } | { failure: Error }) => {
    arrived.push(item);
    wake?.();
  };
  worker.on('message', (sent: Sent) => deliver('error' in sent ? { failure: rebuild(sent.error, options) } : { value: sent.value as Message }));
  worker.on('messageerror', (error) => deliver({ failure: workerFailure(options.task, `a message could not be read: ${error.message}`, error) }));
  worker.on('error', (error) => deliver({ failure: workerFailure(options.task, `its worker thread failed: ${error.message}`, error) }));
  worker.on('exit', (code) => {
    ended = workerFailure(options.task, `its worker thread stopped (exit code ${code}) before it sent its result`);
    wake?.();
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= worker.terminate().then(() => undefined));
  const next = async (): Promise<Message> => {
    while (arrived.length === 0) {
      if (ended) throw ended;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    const item = arrived.shift()!;
    if ('failure' in item) throw item.failure;
    return item.value;
  };
  return {
    next,
    async result() {
      try {
        return await next();
      } finally {
        await stop();
      }
    },
    post: (message) => worker.postMessage(message),
    stop,
  };
}

/** In a worker: the data the caller started it with. */
export function workerInput<T>(): T {
  return workerData as T;
}

/** In a worker: sends the caller a value; `transfer` lists buffers to move rather than copy. */
export function sendFromWorker(value: unknown, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage({ value } satisfies Sent, transfer);
}

/** In a worker: sends the caller the error it should throw. */
export function failInWorker(error: unknown): void {
  const e = error as Partial<MldpError> & { name?: string; message?: string };
  const sent: SentError = { name: e?.name ?? 'Error', message: e?.message ?? String(error), code: e?.code, hint: e?.hint, exitCode: e?.exitCode };
  parentPort!.postMessage({ error: sent } satisfies Sent);
}

/** In a worker: runs `work` on the input and sends its result, or its error. */
export async function serveInWorker<Input>(work: (input: Input) => Promise<{ value: unknown; transfer?: ArrayBuffer[] }>): Promise<void> {
  try {
    const { value, transfer } = await work(workerInput<Input>());
    sendFromWorker(value, transfer);
  } catch (error) {
    failInWorker(error);
  }
}

/**
 * The worker script to run. From TypeScript sources (tests) the script is not beside the module,
 * so the package's build of it is used: src/x-worker.js is built to dist/x-worker.js.
 */
function builtScript(script: URL, task: string): string {
  const path = fileURLToPath(script);
  if (existsSync(path)) return path;
  const built = path.replace(/([/\\])src([/\\])(?!.*[/\\]src[/\\])/, '$1dist$2');
  if (built !== path && existsSync(built)) return built;
  throw workerFailure(task, `its worker script ${path} is not built`, undefined, 'build the package first (npm run build)');
}

/** A coded error is the worker's own verdict and comes back as it was thrown; anything else is a failure of the worker. */
function rebuild(sent: SentError, options: WorkerOptions): Error {
  if (!sent.code) return workerFailure(options.task, `its worker thread failed: ${sent.message}`);
  const type = options.errorTypes?.find((t) => t.name === sent.name);
  if (type) return new type(sent.code, sent.message, { hint: sent.hint });
  return new MldpError(sent.code, sent.message, { hint: sent.hint, exitCode: sent.exitCode });
}

function workerFailure(task: string, what: string, cause?: unknown, hint = 'this is a bug in mldp, or the machine ran short of memory; run again with MLDP_DEBUG=1 and report it'): MldpError {
  return new MldpError('E_WORKER', `${task}: ${what}`, { hint, cause });
}
