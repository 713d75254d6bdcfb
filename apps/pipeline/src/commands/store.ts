import { createReporter, verifyStore } from '@mldp/store';
import { type GlobalArgs, storeFor } from '../context.js';
import { printJson } from '../format.js';

export async function storeVerify(args: GlobalArgs): Promise<number> {
  const store = await storeFor(args);
  const reporter = createReporter();
  const report = await verifyStore(store, (files) => reporter.progress('verify', files, undefined, 'rows'));
  reporter.endProgress();
  if (args.json) {
    printJson({ location: store.location, ...report });
  } else {
    for (const problem of report.problems) process.stdout.write(`${problem.kind.toUpperCase()}: ${problem.what}: ${problem.detail}\n`);
    process.stdout.write(
      `${report.ok ? 'ok' : 'problems found'}: ${report.versions} versions, ${report.files} files checked in ${store.location}` +
        `${report.problems.length ? `, ${report.problems.length} problems` : ''}\n`,
    );
  }
  return report.ok ? 0 : 1;
}
