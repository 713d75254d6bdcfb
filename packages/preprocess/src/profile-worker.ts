/** Profiles a CSV file's columns in a worker thread (see column-profile.ts). */
import { serveInWorker } from '@mldp/runtime';
import { profileCsvColumns, serializeProfile } from './column-profile.js';

await serveInWorker<{ path: string; countTo: number }>(async ({ path, countTo }) => {
  const { data, transfer } = serializeProfile(await profileCsvColumns(path, countTo));
  return { value: data, transfer };
});
