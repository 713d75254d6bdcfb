// The errors module alone: the store's index would load ajv and yargs into worker threads.
import { MldpError } from '@mldp/store/errors';

/** The input data itself is unusable (malformed CSV, wrong types, missing columns). */
export class DataError extends MldpError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
