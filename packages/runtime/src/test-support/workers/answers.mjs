// Answers once: the sum of its input, with the buffer it made moved rather than copied.
import { serveInWorker } from '../../../dist/worker-thread.js';

await serveInWorker(async ({ numbers }) => {
  const sum = new Float64Array([numbers.reduce((a, b) => a + b, 0)]);
  return { value: { sum }, transfer: [sum.buffer] };
});
