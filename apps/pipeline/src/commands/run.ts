import { PIPELINE_STEPS, UsageError } from '@mldp/runtime';
import { resolveProject } from '@mldp/store';
import { loadConfig } from '../config.js';
import type { StepName } from '../config-schema.js';
import { configPathOf, storeFor, workspaceRoot } from '../context.js';
import { closestMatch } from '../did-you-mean.js';
import { type MultirunArgs, multirunCommand } from './multirun.js';
import { printJson } from '../format.js';
import { nxInvocationOf } from '../nx-invocation.js';
import { runPipeline } from '../orchestrator.js';
import { pipelineSummary } from '../run-summary.js';
import { type QueueArgs, queueOf, submitRun } from './queue.js';

export async function runCommand(args: MultirunArgs & QueueArgs & { step?: string; force?: string; multirun?: boolean }): Promise<number> {
  const queue = queueOf(args);
  if (queue && (args.step !== undefined || args.force !== undefined)) throw new UsageError('--step and --force do not go with --queue', { hint: 'give main.execute_steps=[...] or main.force=true as overrides' });
  if (args.multirun) {
    if (args.step !== undefined || args.force !== undefined) throw new UsageError('--step and --force do not go with --multirun', { hint: 'give main.execute_steps=[...] or main.force=true as overrides of the sweep' });
    return multirunCommand(args);
  }
  const sweepOnly = [args.dryRun && '--dry-run', args.jobs !== undefined && '--jobs', args.failFast && '--fail-fast'].filter(Boolean);
  if (sweepOnly.length) throw new UsageError(`${sweepOnly.join(', ')} ${sweepOnly.length === 1 ? 'goes' : 'go'} with --multirun`, { hint: 'add --multirun (-m)' });
  for (const step of [args.step, ...forcedSteps(args.force)].filter((s): s is string => s !== undefined && s !== '')) {
    if (!PIPELINE_STEPS.includes(step as StepName)) {
      const guess = closestMatch(step, PIPELINE_STEPS);
      throw new UsageError(`"${step}" is not a pipeline step${guess ? ` (did you mean ${guess}?)` : ''}`, { hint: `use one of: ${PIPELINE_STEPS.join(', ')}` });
    }
  }
  const configPath = configPathOf(args);
  const config = loadConfig(configPath, args.overrides);
  // The config's project comes after $MLDP_PROJECT; an override of it is as explicit as --project.
  const overridden = args.overrides.some((o) => /^\+{0,2}main\.project_name=/.test(o));
  const project = await resolveProject({ project: args.project ?? (overridden ? config.main.project_name : undefined), configPath, configProject: config.main.project_name });
  config.main.project_name = project;
  const store = await storeFor(args, project);
  if (queue) return submitRun(queue, store, config, args.overrides, configPath, args);
  const outcome = await runPipeline(config, {
    store,
    workspaceRoot: workspaceRoot(),
    overrides: args.overrides,
    configPath,
    configArg: args.config,
    // The store and project as they were chosen (a flag or the environment), so the resume command keeps them.
    storeArg: (args.store ?? process.env.MLDP_STORE) ? store.location : undefined,
    projectArg: (args.project ?? process.env.MLDP_PROJECT) ? project : undefined,
    onlyStep: args.step as StepName | undefined,
    nxInvocation: args.step ? nxInvocationOf() : undefined,
    force: args.force === undefined ? undefined : args.force === '' ? true : (forcedSteps(args.force) as StepName[]),
    info: process.env.MLDP_SWEEP ? { sweep: process.env.MLDP_SWEEP } : undefined,
    report: !process.env.MLDP_SWEEP,
    // With --json, stdout is the summary alone: progress and the steps' output go to stderr.
    ...(args.json ? { print: (line: string) => process.stderr.write(`${line}\n`), stepOutput: 'stderr' as const } : {}),
  });
  if (args.json) printJson(pipelineSummary(outcome, store, config.main.experiment_name));
  return outcome.exitCode;
}

/** `--force` alone reruns every step; `--force=check_data,segregate` reruns those. */
function forcedSteps(force: string | undefined): string[] {
  return force ? force.split(',').map((s) => s.trim()) : [];
}
