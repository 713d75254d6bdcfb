import { createReporter, formatBytes, plural } from '@mldp/runtime';
import { ReadCache, type VerifyResult, copyStore, initStore, openStore, parseCacheSize, repairStore, verifyStore } from '@mldp/store';
import { type GlobalArgs, projectOf, storeFor, storeOptions } from '../context.js';
import { printJson } from '../format.js';

export async function storeVerify(args: GlobalArgs): Promise<number> {
  const store = await storeFor(args);
  const reporter = createReporter();
  const report = await verifyStore(store, (files) => reporter.progress('verify', files, undefined, 'rows'));
  reporter.endProgress();
  if (args.json) printJson({ location: store.location, ...report });
  else printVerifyResult(report, store.location);
  return report.ok ? 0 : 1;
}

/** Marks crashed runs, removes what failed commits and dead writers left, then verifies again. */
export async function storeRepair(args: GlobalArgs): Promise<number> {
  const store = await storeFor(args);
  const { actions, after } = await repairStore(store);
  if (args.json) {
    printJson({ location: store.location, actions, ...after });
  } else {
    for (const action of actions) process.stdout.write(`repaired: ${action.kind}: ${action.what}: ${action.detail}\n`);
    if (actions.length === 0) process.stdout.write('nothing to repair\n');
    printVerifyResult(after, store.location);
  }
  return after.ok ? 0 : 1;
}

function printVerifyResult(report: VerifyResult, location: string): void {
  for (const problem of report.problems) process.stdout.write(`${problem.kind.toUpperCase()}: ${problem.what}: ${problem.detail}\n`);
  for (const note of report.notes) process.stdout.write(`note: ${note.kind}: ${note.what}: ${note.detail}\n`);
  process.stdout.write(
    `${report.ok ? 'ok' : 'problems found'}: ${plural(report.versions, 'version')}, ${plural(report.files, 'file')} checked in ${location}` +
      `${report.problems.length ? `, ${plural(report.problems.length, 'problem')}` : ''}` +
      `${report.notes.length ? `, ${plural(report.notes.length, 'note')}` : ''}\n`,
  );
  const unrepairable = report.problems.filter((problem) => !problem.repairable).length;
  if (report.problems.length > unrepairable) process.stdout.write('run "mldp store repair" to fix what it can\n');
}

export async function storeInit(args: GlobalArgs & { location?: string }): Promise<number> {
  const result = await initStore(storeOptions(args.location ?? args.store));
  if (args.json) printJson(result);
  else process.stdout.write(`${result.created ? 'initialised' : 'already a store:'} ${result.location}\n`);
  return 0;
}

export async function storeCopy(args: GlobalArgs & { source: string; target: string; refs: string[] }): Promise<number> {
  const project = await projectOf(args);
  const source = await openStore({ ...storeOptions(args.source), project, create: false });
  const target = await openStore({ ...storeOptions(args.target), project });
  const reporter = createReporter();
  const result = await copyStore(source, target, args.refs, (done, total) => reporter.progress('copy', done, total, 'rows'));
  reporter.endProgress();
  if (args.json) {
    printJson({ source: source.location, target: target.location, ...result });
    return 0;
  }
  for (const label of result.copied) process.stdout.write(`copied ${label}\n`);
  for (const alias of result.aliases) process.stdout.write(`alias ${alias}\n`);
  for (const alias of result.keptAliases) process.stdout.write(`kept alias ${alias}\n`);
  process.stdout.write(
    `${source.location} -> ${target.location}: ${plural(result.copied.length, 'version')} copied, ${result.present.length} already there, ` +
      `${plural(result.runs, 'run')}, ${plural(result.blobsSent, 'file')} sent (${formatBytes(result.bytesSent)})` +
      `${result.derivedSent ? `, ${result.derivedSent} derived (table counts)` : ''}\n`,
  );
  return 0;
}

export async function cachePrune(args: GlobalArgs & { maxSize?: string }): Promise<number> {
  const cache = new ReadCache();
  const limit = parseCacheSize(args.maxSize, '--max-size') ?? cache.maxBytes;
  const result = await cache.prune(limit, undefined, args.maxSize === undefined ? undefined : 0);
  if (args.json) printJson({ dir: cache.dir, limit, ...result });
  else {
    process.stdout.write(
      `${cache.dir}: removed ${plural(result.removed, 'file')} (${formatBytes(result.freedBytes)}), kept ${result.keptFiles} (${formatBytes(result.keptBytes)}, limit ${formatBytes(limit)})\n`,
    );
  }
  return 0;
}
