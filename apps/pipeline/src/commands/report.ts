import { join, resolve } from 'node:path';
import { type GlobalArgs, storeFor } from '../context.js';
import { printJson } from '../format.js';
import { MldpError, plural } from '@mldp/runtime';
import type { Store } from '@mldp/store';

export async function reportCommand(args: GlobalArgs & { out?: string; run?: string; group?: string; serve?: boolean; port?: number; sweepMetric?: string }): Promise<number> {
  const store = await storeFor(args);
  if (args.group !== undefined) await refuseEmptyGroup(store, args.group);
  const out = args.out ? resolve(args.out) : store.driver.localOutputDir('report');
  // Loaded here, not at start: the report's chart library is most of what mldp would load otherwise.
  const { buildReport, serveReport } = await import('@mldp/report');
  const report = await buildReport(store, out, { run: args.run, group: args.group, sweepMetric: args.sweepMetric });
  if (args.json && !args.serve) return printJson(report), 0;
  process.stdout.write(`report: ${report.path} (${plural(report.pipelines, 'pipeline run')}, ${(report.bytes / 1024).toFixed(0)} KB)\n`);
  if (!args.serve) return 0;
  const { url } = await serveReport(out, args.port ?? 0);
  process.stdout.write(`serving the report at ${url} (Ctrl-C to stop)\n`);
  await new Promise(() => undefined);
  return 0;
}

/** A report of a group that has no pipeline run would be empty: say so instead, and write nothing. */
async function refuseEmptyGroup(store: Store, group: string): Promise<void> {
  const pipelines = await store.runs.list({ kind: 'pipeline' });
  if (pipelines.some((run) => run.group === group)) return;
  const groups = [...new Set(pipelines.map((run) => run.group))].sort();
  throw new MldpError('E_NO_MATCH', `no pipeline run of project ${store.project} has the group "${group}", so there is nothing to report`, {
    hint: groups.length ? `groups with pipeline runs: ${groups.join(', ')}` : 'run the pipeline first: npx mldp run',
  });
}
