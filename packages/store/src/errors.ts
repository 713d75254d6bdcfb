import { MldpError, type MldpErrorOptions } from '@mldp/runtime';

/** The store's failures: each an MldpError (from @mldp/runtime) with its own code and hint. */
export class InvalidReferenceError extends MldpError {
  constructor(readonly ref: string, problem: string) {
    super('E_REF_INVALID', `artifact reference "${ref}" ${problem}`, {
      hint: 'write it as NAME, NAME:vN, NAME:ALIAS or PROJECT/NAME:ALIAS',
      exitCode: 2,
    });
  }
}

export class InvalidNameError extends MldpError {
  constructor(readonly kind: string, readonly value: string, problem: string) {
    super('E_NAME_INVALID', `${kind} "${value.replace(/\0/g, '\\0')}" ${problem}`, {
      hint: `use letters, digits, ".", "_" and "-" only, starting with a letter or digit`,
      exitCode: 2,
    });
  }
}

export class ArtifactNotFoundError extends MldpError {
  constructor(readonly ref: string, available: string[]) {
    super('E_ARTIFACT_NOT_FOUND', `artifact "${ref}" does not exist`, {
      hint: available.length
        ? `available: ${available.join(', ')}`
        : 'no version of that name exists yet; run the step that produces it first',
    });
  }
}

export class CorruptFileError extends MldpError {
  constructor(readonly what: string, readonly expected: string, readonly actual: string) {
    super('E_CORRUPT', `${what} is corrupt: expected sha256 ${expected}, found ${actual}`, {
      hint: 'run "mldp store verify" and log the artifact again',
    });
  }
}

export class ChecksumMismatchError extends MldpError {
  constructor(readonly what: string, readonly expected: string, readonly actual: string) {
    super('E_CHECKSUM', `${what} has sha256 ${actual}, but ${expected} was expected`, {
      hint: 'check the source and the expected sha256; nothing was stored',
    });
  }
}

export class StoreError extends MldpError {
  constructor(message: string, options: MldpErrorOptions = {}) {
    super('E_STORE', message, options);
  }
}

export class RunNotFoundError extends MldpError {
  constructor(readonly runId: string) {
    super('E_RUN_NOT_FOUND', `run "${runId}" does not exist`, { hint: 'list runs with "mldp runs list"' });
  }
}

/** Wraps any failure of the file system with the path it concerns. */
export function fsError(action: string, path: string, cause: unknown): MldpError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const hints: Record<string, string> = {
    EACCES: 'check the permissions of the store folder, or point MLDP_STORE at a writable folder',
    EPERM: 'check the permissions of the store folder, or point MLDP_STORE at a writable folder',
    EROFS: 'the file system is read-only; point MLDP_STORE at a writable folder',
    ENOSPC: 'the disk is full; free some space and run again',
    ENOENT: 'check that the path exists',
    ENOTDIR: 'a file stands where a folder is expected; point MLDP_STORE at a folder',
    EISDIR: 'a folder stands where a file is expected',
    EEXIST: 'a file stands where a folder is expected; remove it or choose another path',
  };
  return new StoreError(`cannot ${action} ${path}: ${code ?? (cause as Error)?.message ?? cause}`, {
    hint: code ? hints[code] : undefined,
    cause,
  });
}
