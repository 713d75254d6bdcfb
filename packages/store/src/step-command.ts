import { rmSync } from 'node:fs';
import { type CliCommand, MldpError, type Reporter, type StepParams, UsageError, createReporter, errorLine, findWorkspaceRoot } from '@mldp/runtime';
import { endCommits } from './version-commit.js';
import { StoreError, fsError } from './errors.js';
import type { Run } from './runs.js';
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

export interface StepCommandSpec<A> {
  /** The step's name in run records (`download`, `check_data`, ...). */
  step: string;
  /** The bin's name, for usage messages. */
  bin: string;
  description: string;
  /** The step package's version, printed by --version (`packageVersion(import.meta.url)`). */
  version: string;
  /** Options by kebab-case name; the snake_case spelling is accepted as an alias. */
  options: Record<string, Options>;
  /** The step's parameters with their rules, by snake_case name (see `CliCommand.params`). */
  params?: StepParams;
  /** Checks and converts the parsed arguments; throw a UsageError for bad values. */
  parse(args: Record<string, unknown>): A;
  execute(args: A, context: StepContext): Promise<void>;
}

/** How long an interrupted step waits for a commit under way before it exits anyway. */
const COMMIT_GRACE_MS = 5_000;

type Options = CliCommand['options'][string];

const STORE_OPTIONS: Record<string, Options> = {
  store: { type: 'string', describe: 'store: a folder or s3://BUCKET/PREFIX (default: $MLDP_STORE, else .mldp/ at the workspace root)' },
  project: { type: 'string', describe: 'project the artifacts and runs belong to (default: $MLDP_PROJECT, else main.project_name of the workspace\'s config.yaml, else "default")' },
};

/**
 * A step bin's command (for `runCli` of @mldp/runtime): opens the store, records the step as a
 * run with its parameters, inputs, outputs and log, and fails the run when the step fails.
 */
export function stepCommand<A>(spec: StepCommandSpec<A>): CliCommand {
  return {
    bin: spec.bin,
    description: spec.description,
    version: spec.version,
    options: { ...spec.options, ...STORE_OPTIONS },
    params: spec.params,
    async run(args, shell) {
      for (const name of Object.keys(STORE_OPTIONS)) {
        // An empty --store would be the current folder, an empty --project no project.
        if (args[name] === '') throw new UsageError(`--${name} has no value`, { hint: `give it one: --${name} VALUE` });
      }
      const parsed = spec.parse(args);
      // mldp supports the Node versions of its own engines field; the AWS SDK's notice is noise in step logs.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const log: { run?: Run } = {};
      const reporter = createReporter({ onMessage: (line) => log.run?.appendLog(line) });
      const store = await openStore({ location: args.store as string | undefined, project: args.project as string | undefined, root: findWorkspaceRoot(process.cwd()), reporter });
      await executeTracked(spec, parsed, store, paramsOf(spec, args), reporter, log, shell.onInterrupt);
    },
  };
}

function paramsOf<A>(spec: StepCommandSpec<A>, args: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const name of [...Object.keys(spec.options), ...Object.keys(spec.params ?? {}).map((key) => key.replace(/_/g, '-'))]) {
    if (args[name] !== undefined) params[name.replace(/-/g, '_')] = args[name];
  }
  return params;
}

async function executeTracked<A>(
  spec: StepCommandSpec<A>,
  parsed: A,
  store: Store,
  params: Record<string, unknown>,
  reporter: Reporter,
  log: { run?: Run },
  onInterrupt: (cleanup: (signal: NodeJS.Signals) => Promise<void>) => () => void,
): Promise<void> {
  const started = store.runs.start({
    id: process.env.MLDP_RUN_ID || undefined,
    step: spec.step,
    group: process.env.MLDP_GROUP || 'default',
    parent: process.env.MLDP_PARENT_RUN || null,
    params,
    info: { command: [spec.bin, ...process.argv.slice(2)].join(' ') },
  });
  const workDirs: string[] = [];
  // Listening before the run is recorded: a signal that comes while it is being written still marks it failed.
  let interrupted = false;
  const workEnded = onInterrupt(async (signal) => {
    interrupted = true;
    reporter.endProgress();
    // A commit under way takes a few small writes: let it end, so that none is left half-done.
    await endCommits(`interrupted by ${signal}`, COMMIT_GRACE_MS);
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
    await (await started).fail(`interrupted by ${signal}`);
  });
  let run: Run;
  try {
    run = await started;
  } catch (error) {
    workEnded();
    throw error;
  }
  log.run = run;
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
    if (interrupted) await untilTheInterruptEndsTheProcess();
    // From here a signal no longer fails the run: its outputs are committed, only the record is left.
    workEnded();
    reporter.endProgress();
    await run.finish();
  } catch (error) {
    if (interrupted) await untilTheInterruptEndsTheProcess();
    workEnded();
    reporter.endProgress();
    const failure = explainSystemError(error, store.location, workDirs);
    // Scratch output first: on a full disk, that frees the room to record the failure.
    for (const dir of workDirs) await store.driver.releaseWorkDir(dir).catch(() => undefined);
    await run.fail(errorLine(failure)).catch(() => undefined);
    throw failure;
  } finally {
    for (const dir of workDirs) await store.driver.releaseWorkDir(dir);
  }
}

/** The interrupt's cleanup records how the run ended and exits: the step must not record it too. */
function untilTheInterruptEndsTheProcess(): Promise<never> {
  return new Promise(() => undefined);
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
