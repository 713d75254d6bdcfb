import yargs, { type Options } from 'yargs';
import { describe, expect, it } from 'vitest';
import { parseSimpleArgs } from './cli-args.js';

// A step's options as runCli gives them to yargs: kebab-case names with snake_case aliases.
const OPTIONS: Record<string, Options> = {
  'input-artifact': { type: 'string', demandOption: true, alias: 'input_artifact' },
  'artifact-prefix': { type: 'string', default: 'data', alias: 'artifact_prefix' },
  'test-size': { type: 'number', default: 0.3, alias: 'test_size' },
  'random-seed': { type: 'number', default: 42, alias: 'random_seed' },
  stratify: { type: 'string', default: 'null' },
  store: { type: 'string' },
  verbose: { type: 'boolean' },
};

function withYargs(argv: string[]): Record<string, unknown> | Error {
  let failure: Error | undefined;
  const args = yargs(argv)
    .options(OPTIONS)
    .strict()
    .version(false)
    .help()
    .exitProcess(false)
    .fail((message, error) => {
      failure = error ?? new Error(message);
    })
    .parseSync();
  return failure ?? (args as Record<string, unknown>);
}

describe('parseSimpleArgs', () => {
  it.each([
    [['--input-artifact', 'table.csv:latest']],
    [['--input_artifact', 'table.csv:latest', '--test_size', '0.25', '--random-seed', '7']],
    [['--input-artifact=a:v0', '--test-size=1000', '--stratify', 'genre', '--store', '/tmp/x', '--verbose']],
    [['--input-artifact', 'a:v0', '--test-size', '-0.5', '--no-verbose']],
    [['--input-artifact', 'a:v0', '--test-size', 'abc']],
    [['--input-artifact', 'a:v0', '--random-seed', '1', '--random-seed', '2']],
    [['--input-artifact', '', '--artifact-prefix', '0012']],
  ])('parses %j as yargs does', (argv) => {
    const expected = withYargs(argv);
    expect(expected).not.toBeInstanceOf(Error);
    const simple = parseSimpleArgs(OPTIONS, argv);
    expect(simple).toBeDefined();
    for (const name of [...Object.keys(OPTIONS), 'input_artifact', 'test_size', 'inputArtifact', 'testSize']) expect(simple![name], name).toEqual((expected as Record<string, unknown>)[name]);
  });

  it.each([
    [[]],
    [['--test-size', '0.2']],
    [['--input-artifact', 'a:v0', '--unknown', '1']],
    [['--input-artifact', 'a:v0', 'stray']],
    [['--input-artifact', 'a:v0', '--help']],
    [['--input-artifact', 'a:v0', '--', '--x']],
  ])('leaves %j to yargs, which refuses it or prints help', (argv) => {
    expect(parseSimpleArgs(OPTIONS, argv)).toBeUndefined();
    if (!argv.includes('--help') && !argv.includes('--')) expect(withYargs(argv)).toBeInstanceOf(Error);
  });
});
