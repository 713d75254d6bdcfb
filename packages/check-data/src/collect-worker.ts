/** Collects one table in a worker thread (see collect-parallel.ts). */
import { serveInWorker, silentReporter } from '@mldp/runtime';
import { type CollectRequest, collectColumns, toTransferable } from './collect.js';

/** What the worker collects; the request's sets and maps cross by structured clone. */
export interface CollectJob {
  path: string;
  request: CollectRequest;
  spillDir?: string;
}

await serveInWorker<CollectJob>(async ({ path, request, spillDir }) => {
  const { data, transfer } = toTransferable(await collectColumns(path, request, silentReporter, 'check_data', spillDir));
  return { value: data, transfer };
});
