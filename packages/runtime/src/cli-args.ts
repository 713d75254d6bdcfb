import parser from 'yargs-parser';
import type { Options } from 'yargs';

/**
 * A step's arguments parsed by yargs-parser, the parser yargs itself runs, with the options
 * yargs would give it; undefined when yargs has something to say: help, a missing required
 * option, an unknown option or a stray positional argument (the caller then runs yargs, which
 * prints it). Loading yargs (its help formatting and locale support) was a third of a step's
 * start; yargs-parser alone is a small part of that.
 */
export function parseSimpleArgs(options: Record<string, Options>, argv: string[]): Record<string, unknown> | undefined {
  if (argv.some((arg) => arg === '--' || arg === '--help' || arg === '-h' || arg === '--version')) return undefined;
  const config = { string: [] as string[], number: [] as string[], boolean: [] as string[], alias: {} as Record<string, string[]>, default: {} as Record<string, unknown> };
  const known = new Set<string>(['_', '$0']);
  for (const [name, option] of Object.entries(options)) {
    if (option.type === 'string' || option.type === 'number' || option.type === 'boolean') config[option.type].push(name);
    else return undefined;
    const aliases = option.alias === undefined ? [] : Array.isArray(option.alias) ? option.alias : [option.alias];
    if (aliases.length) config.alias[name] = aliases;
    if (option.default !== undefined) config.default[name] = option.default;
    for (const spelling of [name, ...aliases]) {
      known.add(spelling);
      known.add(camelCase(spelling));
    }
  }
  const parsed = parser.detailed(argv, { ...config, configuration: { 'parse-positional-numbers': false } });
  if (parsed.error) return undefined;
  const args = parsed.argv as Record<string, unknown> & { _: unknown[] };
  if (args._.length > 0 || Object.keys(args).some((key) => !known.has(key))) return undefined;
  for (const [name, option] of Object.entries(options)) if (option.demandOption && args[name] === undefined) return undefined;
  return args;
}

function camelCase(name: string): string {
  return name.replace(/[-_]+([^-_])/g, (_, next: string) => next.toUpperCase());
}
