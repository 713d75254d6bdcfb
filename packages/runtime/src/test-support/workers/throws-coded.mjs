// Throws a coded error of its own kind, as a step's reader does on bad input.
import { MldpError } from '../../../dist/errors.js';
import { serveInWorker } from '../../../dist/worker-thread.js';

class DataError extends MldpError {}

await serveInWorker(async ({ path }) => {
  throw new DataError('E_BAD_ROW', `${path} line 3 has 2 fields, the header 3`, { hint: 'fix the row' });
});
