// Fails the way a bug does: an uncoded error.
import { serveInWorker } from '../../../dist/worker-thread.js';

await serveInWorker(async () => {
  const missing = undefined;
  return { value: missing.field };
});
