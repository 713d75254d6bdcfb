// The errors module alone: the store's index would load ajv and yargs into worker threads.
import { promises as fs } from 'node:fs';
import { MldpError } from '@mldp/runtime';

/** The input data itself is unusable (malformed CSV, wrong types, missing columns). */
export class DataError extends MldpError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Opens a table file for reading; a missing file is a DataError naming it. */
export async function openInputFile(path: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DataError('E_FILE_MISSING', `${path} does not exist`, { hint: 'check the path' });
    throw error;
  }
}
