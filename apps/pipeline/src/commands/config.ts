import { stringify } from 'yaml';
import { loadConfig } from '../config.js';
import { type GlobalArgs, configPathOf } from '../context.js';
import { printJson } from '../format.js';

export function configCommand(args: GlobalArgs & { overrides: string[] }): number {
  const config = loadConfig(configPathOf(args), args.overrides);
  if (args.json) printJson(config);
  else process.stdout.write(stringify(config));
  return 0;
}
