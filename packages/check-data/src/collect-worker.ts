/**
 * Collects one table in a worker thread, so that check_data reads the reference and the sample
 * on two cores at once (each read is CPU-bound parsing).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { silentReporter } from '@mldp/runtime';
import type { ColumnType } from '@mldp/table';
import { type CollectRequest, collectColumns, toTransferable } from './collect.js';

const { path, numeric, sorted, categorical, wanted, knownTypes, spillDir } = workerData as {
  spillDir?: string;
  sorted?: string[];
  path: string;
  numeric: string[];
  categorical: string[];
  wanted: string[];
  knownTypes: Array<[string, ColumnType]>;
};
const request: CollectRequest = { numeric: new Set(numeric), sorted: sorted ? new Set(sorted) : undefined, categorical: new Set(categorical), wanted: new Set(wanted), knownTypes: new Map(knownTypes) };
try {
  const { data, transfer } = toTransferable(await collectColumns(path, request, silentReporter, 'check_data', spillDir));
  parentPort!.postMessage({ ok: true, data }, transfer);
} catch (error) {
  const e = error as { code?: string; message: string; hint?: string };
  parentPort!.postMessage({ ok: false, error: { code: e.code, message: e.message, hint: e.hint } });
}
