import { UsageError } from '@mldp/store';
import { loadConfig } from '../config.js';
import { STEP_NAMES, type StepName } from '../config-schema.js';
import { type GlobalArgs, configPathOf, storeFor, workspaceRoot } from '../context.js';
import { runPipeline } from '../orchestrator.js';

export async function runCommand(args: GlobalArgs & { overrides: string[]; step?: string; force?: string }): Promise<number> {
  for (const step of [args.step, ...forcedSteps(args.force)].filter((s): s is string => s !== undefined && s !== '')) {
    if (!STEP_NAMES.includes(step as StepName)) {
      throw new UsageError(`"${step}" is not a pipeline step`, { hint: `use one of: ${STEP_NAMES.join(', ')}` });
    }
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
    force: args.force === undefined ? undefined : args.force === '' ? true : (forcedSteps(args.force) as StepName[]),
  });
  return outcome.exitCode;
}

/** `--force` alone reruns every step; `--force=check_data,segregate` reruns those. */
function forcedSteps(force: string | undefined): string[] {
  return force ? force.split(',').map((s) => s.trim()) : [];
}
