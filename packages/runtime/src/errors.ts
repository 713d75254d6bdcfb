/**
 * One error type per kind of failure. Each has a stable `code`, a message that names the
 * offending input, and a `hint` that says what to do. CLIs print `error: <message> (<hint>)`
 * on one line and exit with `exitCode`: 2 for usage and config errors, 1 for runtime failures.
 */
export interface MldpErrorOptions {
  hint?: string;
  cause?: unknown;
  exitCode?: 1 | 2;
}

export class MldpError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, options: MldpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }

  /** The single line a CLI prints for this error. */
  toLine(): string {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}

/** Bad command-line arguments or config values: exit code 2. */
export class UsageError extends MldpError {
  constructor(message: string, options: Omit<MldpErrorOptions, 'exitCode'> = {}) {
    super('E_USAGE', message, { ...options, exitCode: 2 });
  }
}
