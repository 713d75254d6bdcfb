import { UsageError } from '@mldp/store';
import { loadConfig } from '../config.js';
import { STEP_NAMES, type StepName } from '../config-schema.js';
import { type GlobalArgs, configPathOf, storeFor, workspaceRoot } from '../context.js';
import { runPipeline } from '../orchestrator.js';

export async function runCommand(args: GlobalArgs & { overrides: string[]; step?: string }): Promise<number> {
  if (args.step !== undefined && !STEP_NAMES.includes(args.step as StepName)) {
    throw new UsageError(`--step "${args.step}" is not a pipeline step`, { hint: `use one of: ${STEP_NAMES.join(', ')}` });
  }
  const configPath = configPathOf(args);
  const config = loadConfig(configPath, args.overrides);
  const store = await storeFor(args, config.main.project_name);
  const outcome = await runPipeline(config, {
    store,
    workspaceRoot: workspaceRoot(),
    overrides: args.overrides,
    configPath,
    configArg: args.config,
    onlyStep: args.step as StepName | undefined,
  });
  return outcome.exitCode;
}
