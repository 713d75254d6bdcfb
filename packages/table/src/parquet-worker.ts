/** Decodes a Parquet file's row groups in a worker thread, a few ahead of the reader (see parquet-background.ts). */
import { parentPort } from 'node:worker_threads';
import { failInWorker, sendFromWorker, workerInput } from '@mldp/runtime';
import { groupStatistics, layOutEvenSlices } from './group-lines.js';
import { type BackgroundJob, owned, transferablesOf } from './parquet-background.js';
import { groupDecoder, openParquet } from './parquet-reader.js';

const { path, selected, ahead } = workerInput<BackgroundJob>();
let credit = ahead;
let next = 0;
let pumping = false;

try {
  const layout = await openParquet(path);
  const decode = groupDecoder(path, layout, selected);
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (credit > 0 && next < layout.rowGroups.length) {
        credit--;
        const group = await decode(next);
        next++;
        const { stats, nulls } = groupStatistics(group);
        const laidOut = layOutEvenSlices(group);
        const lineBuffers = [...laidOut.values()].flatMap((slice) => [slice.lines, slice.lineStarts]);
        sendFromWorker({ group, stats: stats.map((s) => s.toJSON()), nulls, laidOut }, [...transferablesOf(group), ...owned(lineBuffers)]);
      }
    } catch (error) {
      failInWorker(error);
    } finally {
      pumping = false;
    }
  };
  // The reader asks for one more group each time it takes one.
  parentPort!.on('message', () => {
    credit++;
    void pump();
  });
  await pump();
} catch (error) {
  failInWorker(error);
}

