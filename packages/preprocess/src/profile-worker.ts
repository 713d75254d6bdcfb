/** Profiles a CSV file's columns in a worker thread (see column-profile.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { profileCsvColumns, serializeProfile } from './column-profile.js';

try {
  const profile = await profileCsvColumns((workerData as { path: string }).path);
  parentPort!.postMessage({ ok: true, profile: serializeProfile(profile) });
} catch (error) {
  const e = error as { code?: string; message: string; hint?: string };
  parentPort!.postMessage({ ok: false, error: { code: e.code, message: e.message, hint: e.hint } });
}
