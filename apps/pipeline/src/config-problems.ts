import { MldpError, UsageError, errorLine } from '@mldp/runtime';

/** How many problems a config error lists before "and N more". */
const SHOWN = 5;

/**
 * Every problem found in the overrides or in a config file, reported at once so that one run
 * shows all there is to fix. One problem reads as the usual single line; several are a summary
 * line, then a line each.
 */
export class ConfigProblemsError extends UsageError {
  constructor(
    /** What has the problems, as the summary starts: "config.yaml has", "the overrides have". */
    readonly what: string,
    /** Put before a lone problem's message: "config.yaml: ", or nothing. */
    readonly context: string,
    readonly problems: MldpError[],
    hint?: string,
  ) {
    const [first] = problems;
    super(problems.length === 1 ? `${context}${first.message}` : `${what} ${problems.length} problems`, { hint: problems.length === 1 ? (first.hint ?? hint) : hint });
  }

  /** One problem: its line; several: the summary that the lines of `toLines()` follow. */
  override toLine(): string {
    return this.problems.length === 1 ? super.toLine() : `${this.message}${this.hint ? ` (${this.hint})` : ''}:`;
  }

  /** The lines a CLI prints: the summary, then each problem (the first five, then "and N more"). */
  toLines(): string[] {
    if (this.problems.length === 1) return [this.toLine()];
    const shown = this.problems.slice(0, SHOWN).map((problem) => `  ${errorLine(problem)}`);
    const more = this.problems.length - SHOWN;
    return [this.toLine(), ...shown, ...(more > 0 ? [`  and ${more} more`] : [])];
  }
}

/** The usage errors (exit code 2) an error stands for, several for a ConfigProblemsError; any other error is rethrown. */
export function problemsOf(error: unknown): MldpError[] {
  if (error instanceof ConfigProblemsError) return error.problems;
  if (error instanceof MldpError && error.exitCode === 2) return [error];
  throw error;
}
