import { readParam, refuseRepeated, type StepParam, UsageError } from '@mldp/runtime';

/** mldp's options that take a value, by yargs' name; numbers are read as text and checked here. */
const TEXT_OPTIONS = ['store', 'project', 'config', 'out', 'run', 'group', 'step', 'max-size', 'sweep-metric', 'queue', 'concurrency', 'lock-timeout', 'lost-retries'];
const NUMBER_OPTIONS: Record<string, StepParam> = {
  port: { rule: { type: 'integer', minimum: 0, maximum: 65535 }, describe: 'the port for --serve; 0 for any free one' },
  limit: { rule: { type: 'integer', minimum: 1 }, describe: 'the number of runs to list' },
  jobs: { rule: { type: 'integer', minimum: 1 }, describe: 'the number of jobs at a time' },
};

/**
 * Refuses an option given twice or without a value (`--config` at the end of the line means no
 * file, not the default one), and reads the numeric ones, naming what was typed.
 */
export function checkOptionValues(args: Record<string, unknown>): void {
  for (const name of TEXT_OPTIONS) {
    refuseRepeated(`--${name}`, args[name]);
    if (args[name] === '') throw new UsageError(`--${name} has no value`, { hint: `give it one: --${name} VALUE` });
  }
  for (const [name, param] of Object.entries(NUMBER_OPTIONS)) {
    if (args[name] !== undefined) args[name] = readParam(name, args[name], param);
  }
}
