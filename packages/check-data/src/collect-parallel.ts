import { type Reporter, runInWorker } from '@mldp/runtime';
import { DataError } from '@mldp/table';
import { type CollectRequest, type CollectedTable, collectColumns, fromTransferable } from './collect.js';
import type { CollectJob } from './collect-worker.js';

const WORKER = new URL('./collect-worker.js', import.meta.url);

/**
 * Collects two tables at once: the second in a worker thread, the first here (each read is
 * CPU-bound parsing, so the two cores share the step).
 */
export async function collectBoth(
  firstRequest: CollectRequest,
  secondRequest: CollectRequest,
  first: string,
  second: string,
  reporter: Reporter,
  spillDir?: string,
): Promise<[CollectedTable, CollectedTable]> {
  const job: CollectJob = { path: second, request: secondRequest, spillDir };
  const worker = runInWorker<unknown>(WORKER, { task: 'check_data: collecting the reference table', data: job, errorTypes: [DataError] });
  try {
    const here = await collectColumns(first, firstRequest, reporter, 'check_data: sample', spillDir);
    return [here, fromTransferable(await worker.result())];
  } finally {
    await worker.stop();
  }
}
