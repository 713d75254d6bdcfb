/** Profiles a CSV file's columns in a worker thread (see column-profile.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { profileCsvColumns, serializeProfile } from './column-profile.js';

try {
  const { path, countTo } = workerData as { path: string; countTo: number };
  const { data, transfer } = serializeProfile(await profileCsvColumns(path, countTo));
  parentPort!.postMessage({ ok: true, profile: data }, transfer);
} catch (error) {
  const e = error as { code?: string; message: string; hint?: string };
  parentPort!.postMessage({ ok: false, error: { code: e.code, message: e.message, hint: e.hint } });
}
