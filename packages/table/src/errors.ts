import { MldpError } from '@mldp/store';

/** The input data itself is unusable (malformed CSV, wrong types, missing columns). */
export class DataError extends MldpError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
