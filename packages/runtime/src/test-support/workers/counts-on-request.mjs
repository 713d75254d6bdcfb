// Sends 1, 2, 3... one number each time the caller asks, up to `upTo`; then fails on purpose.
import { failInWorker, sendFromWorker, workerInput } from '../../../dist/worker-thread.js';
import { parentPort } from 'node:worker_threads';

const { upTo } = workerInput();
let sent = 0;
sendFromWorker(++sent);
parentPort.on('message', () => {
  if (sent < upTo) sendFromWorker(++sent);
  else failInWorker(Object.assign(new Error(`no number after ${upTo}`), { code: 'E_DONE' }));
});
