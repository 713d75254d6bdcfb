import { rmSync } from 'node:fs';
import type { Options } from 'yargs';
import { keepWorkingWhenOutputCloses } from './broken-pipe.js';
import { endCommits } from './version-commit.js';
import { MldpError, StoreError, UsageError, fsError } from './errors.js';
import { type Reporter, createReporter } from './reporter.js';
import type { Run } from './runs.js';
import { parseSimpleArgs } from './step-args.js';
import { type StepParams, paramFlagOptions, readParamFlags, refuseRepeated } from './step-params.js';
import { type Store, openStore } from './store.js';

/** What every step function takes besides its parameters and the store. */
export interface StepOptions {
  /** The run to record inputs, outputs and metrics on (none: nothing is recorded). */
  run?: Run;
  reporter?: Reporter;
  /** A scratch folder the caller owns; default: a fresh one, removed afterwards. */
  workDir?: string;
}

export interface StepContext {
  store: Store;
  run: Run;
  reporter: Reporter;
  /** A scratch folder removed when the step ends, however it ends. */
  workDir(): Promise<string>;
}

export interface StepCliSpec<A> {
  /** The step's name in run records (`download`, `check_data`, ...). */
  step: string;
  /** The bin's name, for usage messages. */
  bin: string;
  description: string;
  /** Options by kebab-case name; the snake_case spelling is accepted as an alias. */
  options: Record<string, Options>;
  /**
   * The step's parameters with their rules (the ones config.yaml's schema uses), by snake_case
   * name: each is a flag, checked against its rule before `parse` sees it as a number or list.
   */
  params?: StepParams;
  /** Checks and converts the parsed arguments; throw a UsageError for bad values. */
  parse(args: Record<string, unknown>): A;
  execute(args: A, context: StepContext): Promise<void>;
}

/** How long an interrupted step waits for a commit under way before it exits anyway. */
const COMMIT_GRACE_MS = 5_000;

const COMMON_OPTIONS: Record<string, Options> = {
  store: { type: 'string', describe: 'store: a folder or s3://BUCKET/PREFIX (default: $MLDP_STORE, else .mldp/ at the workspace root)' },
  project: { type: 'string', describe: 'project the artifacts and runs belong to (default: $MLDP_PROJECT, else main.project_name of the workspace\'s config.yaml, else "default")' },
  verbose: { type: 'boolean', describe: 'print the full stack of an error' },
};

/** The thin shell around a step: parse, open the store, track the run, print, set the exit code. */
export async function runStepCli<A>(spec: StepCliSpec<A>, argv: string[] = process.argv.slice(2)): Promise<void> {
  keepWorkingWhenOutputCloses();
  const verbose = argv.includes('--verbose') || process.env.MLDP_DEBUG === '1';
  try {
    const args = checkedArgs(spec, await parseStepArgs(spec, argv));
    const parsed = spec.parse(args);
    const store = await openStore({ location: args.store as string | undefined, project: args.project as string | undefined });
    await executeTracked(spec, parsed, store, paramsOf(spec, args));
    process.exitCode = 0;
  } catch (error) {
    process.exitCode = printError(error, verbose);
  }
}

/** The arguments as yargs parses them; yargs itself is loaded only for help and errors (step-args.ts). */
async function parseStepArgs<A>(spec: StepCliSpec<A>, argv: string[]): Promise<Record<string, unknown>> {
  const options: Record<string, Options> = {};
  for (const [name, option] of Object.entries({ ...spec.options, ...paramFlagOptions(spec.params ?? {}), ...COMMON_OPTIONS })) {
    options[name] = name.includes('-') ? { ...option, alias: name.replace(/-/g, '_') } : option;
  }
  const simple = parseSimpleArgs(options, argv);
  if (simple) return simple;
  const { default: yargs } = await import('yargs');
  let failure: UsageError | undefined;
  const args = yargs(argv)
    .scriptName(spec.bin)
    .usage(`$0 [options]\n\n${spec.description}`)
    .options(options)
    .strict()
    .version(false)
    .help()
    .exitProcess(false)
    .fail((message, error) => {
      failure = new UsageError(`${spec.bin}: ${error?.message ?? message}`, { hint: `see "${spec.bin} --help"` });
    })
    .parseSync();
  if (failure) throw failure;
  if (argv.includes('--help')) process.exit(0);
  return args as Record<string, unknown>;
}

/** The parameters read by their rules; any flag given twice, and an empty --store or --project, refused. */
function checkedArgs<A>(spec: StepCliSpec<A>, args: Record<string, unknown>): Record<string, unknown> {
  for (const name of [...Object.keys(spec.options), ...Object.keys(COMMON_OPTIONS)]) {
    if (!spec.options[name]?.array) refuseRepeated(`--${name}`, args[name]);
  }
  for (const name of ['store', 'project']) {
    // An empty --store would be the current folder, an empty --project no project.
    if (args[name] === '') throw new UsageError(`--${name} has no value`, { hint: `give it one: --${name} VALUE` });
  }
  return readParamFlags(spec.params ?? {}, args);
}

function paramsOf<A>(spec: StepCliSpec<A>, args: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const name of [...Object.keys(spec.options), ...Object.keys(spec.params ?? {}).map((key) => key.replace(/_/g, '-'))]) {
    if (args[name] !== undefined) params[name.replace(/-/g, '_')] = args[name];
  }
  return params;
}

async function executeTracked<A>(spec: StepCliSpec<A>, parsed: A, store: Store, params: Record<string, unknown>): Promise<void> {
  const run = await store.runs.start({
    id: process.env.MLDP_RUN_ID || undefined,
    step: spec.step,
    group: process.env.MLDP_GROUP || 'default',
    parent: process.env.MLDP_PARENT_RUN || null,
    params,
    info: { command: [spec.bin, ...process.argv.slice(2)].join(' ') },
  });
  const workDirs: string[] = [];
  const reporter = createReporter({ onMessage: (line) => run.appendLog(line) });
  const onSignal = (signal: NodeJS.Signals): void => {
    reporter.endProgress();
    // A commit under way takes a few small writes: let it end, so that none is left half-done.
    endCommits(`interrupted by ${signal}`, COMMIT_GRACE_MS)
      .then(() => {
        for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
        return run.fail(`interrupted by ${signal}`);
      })
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const context: StepContext = {
    store,
    run,
    reporter,
    async workDir() {
      const dir = await store.driver.createWorkDir();
      workDirs.push(dir);
      return dir;
    },
  };
  try {
    await spec.execute(parsed, context);
    reporter.endProgress();
    await run.finish();
  } catch (error) {
    reporter.endProgress();
    const failure = explainSystemError(error, store.location, workDirs);
    // Scratch output first: on a full disk, that frees the room to record the failure.
    for (const dir of workDirs) await store.driver.releaseWorkDir(dir).catch(() => undefined);
    await run.fail(errorLine(failure)).catch(() => undefined);
    throw failure;
  } finally {
    for (const dir of workDirs) await store.driver.releaseWorkDir(dir);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * A failure of the operating system (a full disk, a read-only or failing file system) that the
 * step's own code did not wrap, as one line naming the file and the fix. The step's scratch files
 * are removed afterwards, so a full disk has room again and nothing half-written stays.
 */
export function explainSystemError(error: unknown, storeLocation: string, workDirs: string[]): unknown {
  if (error instanceof MldpError) return error;
  const failure = error as NodeJS.ErrnoException;
  if (!failure || typeof failure.code !== 'string' || !/^E[A-Z]+$/.test(failure.code)) return error;
  const path = failure.path ?? workDirs[0] ?? storeLocation;
  if (failure.code === 'ENOSPC' || failure.code === 'EDQUOT') {
    return new StoreError(`no space left on the disk of ${path} (${failure.code}) while writing the step's output`, {
      hint: `free some space on that disk (the store is ${storeLocation}; the step's partial output was removed), or point MLDP_STORE at a disk with room, and run again`,
      cause: error,
    });
  }
  return failure.path && FILE_SYSTEM_CODES.has(failure.code) ? fsError('write', failure.path, error) : error;
}

const FILE_SYSTEM_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'EIO', 'ENOTDIR', 'EISDIR']);

/** The one line an error is reported as: control characters of the inputs it quotes (a newline in a name) are escaped. */
export function errorLine(error: unknown): string {
  const line = error instanceof MldpError ? error.toLine() : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  return line.replace(/[\u0000-\u001f\u007f]/g, escapeControl);
}

function escapeControl(char: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };
  return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Prints an error as one line (the full stack with --verbose or MLDP_DEBUG=1); returns the exit code. */
export function printError(error: unknown, verbose = process.env.MLDP_DEBUG === '1'): number {
  const expected = error instanceof MldpError;
  process.stderr.write(`error: ${errorLine(error)}\n`);
  if (verbose) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  else if (!expected) process.stderr.write('(this looks like a bug: rerun with --verbose or MLDP_DEBUG=1 and report the stack)\n');
  return expected ? (error as MldpError).exitCode : 1;
}
