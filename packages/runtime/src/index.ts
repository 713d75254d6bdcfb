export { MldpError, UsageError, type MldpErrorOptions } from './errors.js';
export { createReporter, formatBytes, silentReporter, type Reporter, type ReporterOptions } from './reporter.js';
export { errorLine, printError, runCli, type CliCommand, type CliShell } from './cli.js';
export {
  NAME_RULE,
  checkParams,
  configRuleOf,
  describeRule,
  flagOf,
  paramArgs,
  readParam,
  refuseRepeated,
  satisfies,
  whereSet,
  type ParamRule,
  type StepParam,
  type StepParams,
} from './step-params.js';
export { PIPELINE_STEPS, pipelineOrder, type PipelineStep } from './pipeline-steps.js';
export { keepWorkingWhenOutputCloses } from './broken-pipe.js';
export { findWorkspaceRoot } from './workspace.js';
export { packageVersion } from './package-version.js';
export {
  HOST,
  currentOwner,
  describeOwner,
  isProcessAlive,
  ownerState,
  parseOwner,
  processStartOf,
  sleep,
  type OwnerState,
  type ProcessOwner,
} from './process.js';
export { plural } from './plural.js';
export {
  failInWorker,
  runInWorker,
  sendFromWorker,
  serveInWorker,
  workerInput,
  type ErrorType,
  type SentError,
  type WorkerOptions,
  type WorkerRun,
} from './worker-thread.js';
