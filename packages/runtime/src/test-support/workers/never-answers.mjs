// Keeps running and never answers, until terminated; tells the caller it started.
import { sendFromWorker } from '../../../dist/worker-thread.js';

sendFromWorker('started');
setInterval(() => undefined, 1000);
