import { MldpError } from '@mldp/runtime';

/** A failed transfer. `retryable` failures (network errors, 5xx, timeouts) are tried again. */
export class DownloadError extends MldpError {
  constructor(
    code: string,
    message: string,
    readonly retryable: boolean,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
