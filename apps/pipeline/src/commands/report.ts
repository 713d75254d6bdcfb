import { join, resolve } from 'node:path';
import { buildReport, serveReport } from '@mldp/report';
import { type GlobalArgs, storeFor } from '../context.js';
import { printJson } from '../format.js';

export async function reportCommand(args: GlobalArgs & { out?: string; run?: string; group?: string; serve?: boolean; port?: number; sweepMetric?: string }): Promise<number> {
  const store = await storeFor(args);
  const out = args.out ? resolve(args.out) : store.driver.localOutputDir('report');
  const report = await buildReport(store, out, { run: args.run, group: args.group, sweepMetric: args.sweepMetric });
  if (args.json && !args.serve) return printJson(report), 0;
  process.stdout.write(`report: ${report.path} (${report.pipelines} pipeline runs, ${(report.bytes / 1024).toFixed(0)} KB)\n`);
  if (!args.serve) return 0;
  const { url } = await serveReport(out, args.port ?? 0);
  process.stdout.write(`serving the report at ${url} (Ctrl-C to stop)\n`);
  await new Promise(() => undefined);
  return 0;
}
