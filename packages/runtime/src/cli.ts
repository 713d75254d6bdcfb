import type { Options } from 'yargs';
import { keepWorkingWhenOutputCloses } from './broken-pipe.js';
import { parseSimpleArgs } from './cli-args.js';
import { MldpError, UsageError } from './errors.js';
import { type StepParams, formerFlagNotes, paramFlagOptions, readParamFlags, refuseRepeated } from './step-params.js';

/** A command of a bin: its options, and what it does with the arguments once they are checked. */
export interface CliCommand {
  /** The bin's name, for usage messages. */
  bin: string;
  description: string;
  /** The package's version, printed by --version (`packageVersion(import.meta.url)`). */
  version: string;
  /** Options by kebab-case name; the snake_case spelling is accepted as an alias. */
  options: Record<string, Options>;
  /**
   * Parameters with their rules (the ones config.yaml's schema uses), by snake_case name: each
   * is a flag, checked against its rule before `run` sees it as a number, a text or a list.
   */
  params?: StepParams;
  run(args: Record<string, unknown>, shell: CliShell): Promise<void>;
}

/** What the shell offers a running command. */
export interface CliShell {
  /**
   * Runs `cleanup` when the process is interrupted (SIGINT, SIGTERM), then exits with 130 or 143.
   * Returns the function to call once the work has ended, before its outcome is recorded: a signal
   * after that waits for the command to settle and exits with the command's own code, since the
   * work is done and nothing is left to clean up.
   */
  onInterrupt(cleanup: (signal: NodeJS.Signals) => Promise<void>): () => void;
}

const VERBOSE_OPTION: Record<string, Options> = {
  verbose: { type: 'boolean', describe: 'print the full stack of an error' },
};

/**
 * The outermost shell of a bin, the only part that touches the process: parses and checks the
 * arguments, runs the command, prints an error as one line, and sets the exit code (2 for usage
 * errors, 1 for failures, 0 after --help).
 */
export async function runCli(command: CliCommand, argv: string[] = process.argv.slice(2)): Promise<void> {
  keepWorkingWhenOutputCloses();
  const verbose = argv.includes('--verbose') || process.env.MLDP_DEBUG === '1';
  if (argv.includes('--version')) {
    process.stdout.write(`${command.version}\n`);
    process.exitCode = 0;
    return;
  }
  const settled = deferred();
  try {
    const options = optionsOf(command);
    const parsed = await parseArgs(command, options, argv);
    if (parsed === 'help') {
      process.exitCode = 0;
      return;
    }
    await command.run(checkedArgs(command, options, parsed), { onInterrupt: (cleanup) => onInterrupt(cleanup, settled.promise) });
    process.exitCode = 0;
  } catch (error) {
    process.exitCode = printError(error, verbose);
  } finally {
    settled.resolve();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

function optionsOf(command: CliCommand): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const [name, option] of Object.entries({ ...command.options, ...paramFlagOptions(command.params ?? {}), ...VERBOSE_OPTION })) {
    options[name] = name.includes('-') ? { ...option, alias: name.replace(/-/g, '_') } : option;
  }
  return options;
}

/** The arguments as yargs parses them; yargs itself is loaded only for help and errors (cli-args.ts). */
async function parseArgs(command: CliCommand, options: Record<string, Options>, argv: string[]): Promise<Record<string, unknown> | 'help'> {
  const simple = parseSimpleArgs(options, argv);
  if (simple) return simple;
  const { default: yargs } = await import('yargs');
  let failure: UsageError | undefined;
  const args = yargs(argv)
    .scriptName(command.bin)
    // English, as every other line mldp prints; and a bundled bin (scripts/bundle/) has no locale files.
    .locale('en')
    .usage(`$0 [options]\n\n${command.description}`)
    .options(options)
    .strict()
    .version(command.version)
    .help()
    .exitProcess(false)
    .fail((message, error) => {
      failure = new UsageError(`${command.bin}: ${error?.message ?? message}`, { hint: `see "${command.bin} --help"` });
    })
    .parseSync();
  if (failure) throw failure;
  // yargs has printed the help.
  if (argv.includes('--help')) return 'help';
  return args as Record<string, unknown>;
}

/** The parameters read by their rules, and any flag given twice refused. */
function checkedArgs(command: CliCommand, options: Record<string, Options>, args: Record<string, unknown>): Record<string, unknown> {
  const params = new Set(Object.keys(paramFlagOptions(command.params ?? {})));
  for (const [name, option] of Object.entries(options)) {
    if (!option.array && !params.has(name)) refuseRepeated(`--${name}`, args[name]);
  }
  for (const note of formerFlagNotes(command.params ?? {}, args)) process.stderr.write(`${command.bin}: ${note}\n`);
  return readParamFlags(command.params ?? {}, args);
}

/**
 * The handler stays for the life of the process: removing it would leave a signal that comes while
 * the process winds down (closing sockets and threads) to kill it with no exit code at all.
 */
function onInterrupt(cleanup: (signal: NodeJS.Signals) => Promise<void>, settled: Promise<void>): () => void {
  // working: a signal cleans up; ended: the work is done, its outcome being recorded; leaving: a signal came.
  let phase: 'working' | 'ended' | 'leaving' = 'working';
  const codeOf = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);
  const handler = (signal: NodeJS.Signals): void => {
    if (phase === 'working') {
      phase = 'leaving';
      cleanup(signal)
        .catch(() => undefined)
        .finally(() => process.exit(codeOf(signal)));
    } else if (phase === 'ended') {
      phase = 'leaving';
      void settled.then(() => process.exit(process.exitCode ?? 0));
    } else {
      // A second signal while the first is being handled: stop now.
      process.exit(codeOf(signal));
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    if (phase === 'working') phase = 'ended';
  };
}

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
