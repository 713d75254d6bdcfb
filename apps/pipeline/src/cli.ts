#!/usr/bin/env node
import { keepWorkingWhenOutputCloses, packageVersion, printError, UsageError } from '@mldp/runtime';
import yargs, { type Argv } from 'yargs';
import { ConfigProblemsError } from './config-problems.js';
import { checkOptionValues } from './option-values.js';

type Handler = (args: any) => Promise<number> | number;

/**
 * The `mldp` command: a thin shell over the orchestrator and the store. Each command's module is
 * loaded when it runs: `mldp runs list` need not load the queue client (~300 modules) nor the
 * report's charts.
 */
async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  let usageFailure: UsageError | undefined;
  const run = (handler: Handler) => async (args: unknown) => {
    // With exitProcess(false), yargs still calls the handler after a failed validation.
    if (usageFailure) return;
    checkOptionValues(args as Record<string, unknown>);
    exitCode = await handler(args);
  };
  const overrides = (y: Argv) => y.positional('overrides', { type: 'string', array: true, default: [], describe: 'KEY=VALUE, +KEY=VALUE, ++KEY=VALUE or ~KEY' });
  const parser = yargs(argv)
    .scriptName('mldp')
    // English, as every other line mldp prints (and as the step bins, which are bundled without yargs' locale files).
    .locale('en')
    .usage('$0 <command> [options]')
    .option('store', { type: 'string', describe: 'store: a folder or s3://BUCKET/PREFIX (default: $MLDP_STORE, else .mldp/ at the workspace root)', global: true })
    .option('project', { type: 'string', describe: 'project of the artifacts and runs (default: $MLDP_PROJECT, else main.project_name of the config, else "default")', global: true })
    .option('config', { type: 'string', describe: 'config file (default: config.yaml at the workspace root)', global: true })
    .option('json', { type: 'boolean', describe: 'machine-readable output', global: true })
    .option('verbose', { type: 'boolean', describe: 'print the full stack of an error', global: true })
    .command('run [overrides..]', 'run the pipeline steps of main.execute_steps', (y) =>
        overrides(y)
          .option('step', { type: 'string', describe: 'run only this step (if it is in execute_steps)' })
          .option('force', { type: 'string', describe: 'rerun cached steps: --force for all, --force=STEP[,STEP] for some' })
          .option('multirun', { alias: 'm', type: 'boolean', describe: "run the sweep's jobs: the cartesian product of sweep overrides (a,b / choice() / range()) and the config's sweep: section" })
          .option('dry-run', { type: 'boolean', describe: 'with --multirun: print the jobs, run nothing' })
          .option('jobs', { type: 'string', describe: 'with --multirun: jobs at a time (default: the number of cores)' })
          .option('fail-fast', { type: 'boolean', describe: 'with --multirun: start no more jobs after one fails' })
          .option('queue', { type: 'string', describe: 'submit to this queue instead of running here: redis://HOST:PORT[/DB] or rediss:// (default: $MLDP_QUEUE); password in the URL or $MLDP_QUEUE_PASSWORD' })
          .option('detach', { type: 'boolean', describe: 'with --queue: print the sweep id (or job id) and return at once' }),
      run(async (args) => (await import('./commands/run.js')).runCommand(args)),
    )
    .command('config [overrides..]', 'print the resolved config', overrides, run(async (args) => (await import('./commands/config.js')).configCommand(args)))
    .command('artifacts', 'list, show, get, alias and trace artifacts', (y) =>
      y
        .command('list', 'list the artifacts of the project', {}, run(async (args) => (await import('./commands/artifacts.js')).artifactsList(args)))
        .command('show <ref>', 'show an artifact version (NAME, NAME:vN, NAME:ALIAS)', {}, run(async (args) => (await import('./commands/artifacts.js')).artifactsShow(args)))
        .command('get <ref>', "copy a version's files into a folder", (z) => z.option('out', { type: 'string', demandOption: true, describe: 'target folder' }), run(async (args) => (await import('./commands/artifacts.js')).artifactsGet(args)))
        .command('alias <ref> <alias>', 'point an alias at a version', {}, run(async (args) => (await import('./commands/artifacts.js')).artifactsAlias(args)))
        .command('lineage <ref>', 'show the runs and artifacts a version comes from', {}, run(async (args) => (await import('./commands/artifacts.js')).artifactsLineage(args)))
        .demandCommand(1, 'name an artifacts command: list, show, get, alias or lineage'),
    )
    .command('runs', 'list and show runs', (y) =>
      y
        .command('list', 'list runs, newest first', (z) =>
          z.option('group', { type: 'string' }).option('step', { type: 'string' }).option('limit', { type: 'string', default: '50', describe: 'list at most this many' }), run(async (args) => (await import('./commands/runs.js')).runsList(args)))
        .command('show <id>', 'show a run with its parameters, metrics, artifacts and log', {}, run(async (args) => (await import('./commands/runs.js')).runsShow(args)))
        .demandCommand(1, 'name a runs command: list or show'),
    )
    .command('sweeps', 'list, show and resume sweeps (mldp run --multirun)', (y) =>
      y
        .command('list', 'list the sweeps, newest first', {}, run(async (args) => (await import('./commands/sweeps.js')).sweepsList(args)))
        .command('show <id>', "show a sweep's jobs: overrides, status, key metrics, pipeline runs, durations (--json: with logs)", {}, run(async (args) => (await import('./commands/sweeps.js')).sweepsShow(args)))
        .command('resume <id>', 'rerun the jobs that failed or never ran', (z) =>
          z
            .option('jobs', { type: 'string', describe: 'jobs at a time (default: the number of cores)' })
            .option('fail-fast', { type: 'boolean', describe: 'start no more jobs after one fails' })
            .option('queue', { type: 'string', describe: 'submit the jobs to this queue instead (default: $MLDP_QUEUE)' })
            .option('detach', { type: 'boolean', describe: 'with --queue: return at once' }), run(async (args) => (await import('./commands/sweeps.js')).sweepsResume(args)))
        .demandCommand(1, 'name a sweeps command: list, show or resume'),
    )
    .command('worker', "take jobs from the project's queue and run them as mldp run would, until stopped", (y) =>
        y
          .option('queue', { type: 'string', describe: 'the queue: redis://HOST:PORT[/DB] or rediss:// (default: $MLDP_QUEUE); password in the URL or $MLDP_QUEUE_PASSWORD' })
          .option('concurrency', { type: 'string', describe: 'jobs at a time (default: 1)' })
          .option('lock-timeout', { type: 'string', describe: "seconds after which a lost worker's job returns to the queue (default: $MLDP_QUEUE_LOCK_TIMEOUT, else 30)" })
          .option('lost-retries', { type: 'string', describe: 'times a job returns to the queue after its worker was lost (default: $MLDP_QUEUE_LOST_RETRIES, else 2)' }),
      run(async (args) => (await import('./commands/worker.js')).workerCommand(args)),
    )
    .command('queue', 'show the queue of the project', (y) =>
      y
        .command('status', 'the workers, the jobs they hold, and the jobs waiting', (z) => z.option('queue', { type: 'string', describe: 'the queue (default: $MLDP_QUEUE)' }), run(async (args) => (await import('./commands/queue.js')).queueStatusCommand(args)))
        .demandCommand(1, 'name a queue command: status'),
    )
    .command('report', 'write a static HTML report of runs, artifacts, lineage and checks', (y) =>
        y
          .option('out', { type: 'string', describe: 'folder of index.html (default: report/ in the store folder; for an S3 store, under the local cache)' })
          .option('run', { type: 'string', describe: 'only this pipeline run' })
          .option('group', { type: 'string', describe: 'only the pipeline runs of this group' })
          .option('serve', { type: 'boolean', describe: 'serve it on 127.0.0.1 and print the URL' })
          .option('port', { type: 'string', describe: 'port for --serve (default: any free one)' })
          .option('sweep-metric', { type: 'string', describe: 'the metric the sweep charts plot against each swept parameter, e.g. segregate.rows_test (default: the first of the last step)' })
          .conflicts('run', 'group'),
      run(async (args) => (await import('./commands/report.js')).reportCommand(args)),
    )
    .command('store', 'create, check and copy stores', (y) =>
      y
        .command('init [location]', 'create a store (a folder, or s3://BUCKET/PREFIX: the bucket too, if allowed)', (z) => z.positional('location', { type: 'string', describe: 'default: --store, $MLDP_STORE, else .mldp/' }), run(async (args) => (await import('./commands/store.js')).storeInit(args)))
        .command('verify', 're-hash every file; report what is corrupt or missing, crashed runs and failed commits', {}, run(async (args) => (await import('./commands/store.js')).storeVerify(args)))
        .command('repair', 'mark crashed runs, remove what failed commits and dead writers left, then verify', {}, run(async (args) => (await import('./commands/store.js')).storeRepair(args)))
        .command('copy <source> <target> [refs..]', 'copy artifact versions with their runs and lineage between stores (all of them without refs)', (z) =>
          z.positional('refs', { type: 'string', array: true, default: [], describe: 'NAME, NAME:vN, NAME:ALIAS or PROJECT/NAME:ALIAS' }), run(async (args) => (await import('./commands/store.js')).storeCopy(args)))
        .demandCommand(1, 'name a store command: init, verify, repair or copy'),
    )
    .command('cache', 'manage the local read cache of remote stores', (y) =>
      y
        .command('prune', 'remove least recently used files until the cache fits its limit', (z) =>
          z.option('max-size', { type: 'string', describe: 'the limit, e.g. 2GB or 0 for all (default: $MLDP_CACHE_MAX_SIZE, else 10GB)' }), run(async (args) => (await import('./commands/store.js')).cachePrune(args)))
        .demandCommand(1, 'name a cache command: prune'),
    )
    .demandCommand(1, 'name a command: run, config, artifacts, runs, sweeps, worker, queue, report, store or cache')
    .strict()
    .version('version', 'print the version of mldp', packageVersion(import.meta.url))
    .help()
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !(error instanceof Error && error.name === 'YError')) throw error;
      usageFailure = new UsageError(`mldp: ${message ?? error?.message}`, { hint: 'see "mldp --help"' });
    });
  await parser.parseAsync();
  if (usageFailure) throw usageFailure;
  return exitCode;
}

const argv = process.argv.slice(2);
keepWorkingWhenOutputCloses();
// mldp supports the Node versions of its own engines field; the AWS SDK's notice is noise in step logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
try {
  process.exitCode = await main(argv);
} catch (error) {
  process.exitCode = printError(error, argv.includes('--verbose') || process.env.MLDP_DEBUG === '1');
  // Several config problems: the summary went out as the error line, each problem follows on its own.
  if (error instanceof ConfigProblemsError && error.problems.length > 1) process.stderr.write(`${error.toLines().slice(1).join('\n')}\n`);
}
