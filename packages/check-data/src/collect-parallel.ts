import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Reporter } from '@mldp/runtime';
import { DataError } from '@mldp/table';
import { type CollectRequest, type CollectedTable, collectColumns, fromTransferable } from './collect.js';

const WORKER = fileURLToPath(new URL('./collect-worker.js', import.meta.url));

/**
 * Collects two tables at once: the second in a worker thread, the first here. Where the worker
 * script is not built (running from TypeScript sources), they are collected one after the other.
 */
export async function collectBoth(
  firstRequest: CollectRequest,
  secondRequest: CollectRequest,
  first: string,
  second: string,
  reporter: Reporter,
  spillDir?: string,
): Promise<[CollectedTable, CollectedTable]> {
  if (!existsSync(WORKER)) {
    return [await collectColumns(first, firstRequest, reporter, 'check_data: sample', spillDir), await collectColumns(second, secondRequest, reporter, 'check_data: reference', spillDir)];
  }
  const worker = new Worker(WORKER, {
    workerData: {
      path: second,
      numeric: [...secondRequest.numeric],
      sorted: secondRequest.sorted ? [...secondRequest.sorted] : undefined,
      categorical: [...secondRequest.categorical],
      wanted: [...secondRequest.wanted],
      knownTypes: [...(secondRequest.knownTypes ?? [])],
      spillDir,
    },
  });
  const fromWorker = new Promise<CollectedTable>((resolve, reject) => {
    worker.once('message', (message: { ok: boolean; data?: unknown; error?: { code?: string; message: string; hint?: string } }) => {
      if (message.ok) resolve(fromTransferable(message.data));
      else reject(new DataError(message.error?.code ?? 'E_DATA', message.error?.message ?? 'reading failed', { hint: message.error?.hint }));
    });
    worker.once('error', reject);
  });
  try {
    const here = await collectColumns(first, firstRequest, reporter, 'check_data: sample', spillDir);
    return [here, await fromWorker];
  } finally {
    await worker.terminate();
  }
}
