import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '@mldp/runtime';
import { InvalidNameError } from './errors.js';
import { assertValidName } from './names.js';
import { DEFAULT_PROJECT } from './store.js';

export interface ProjectOptions {
  /** The project named on the command line (`--project`). */
  project?: string;
  env?: NodeJS.ProcessEnv;
  /** The folder of config.yaml (a command passes its workspace root); default: the current folder. */
  root?: string;
  /** The config file to read `main.project_name` from (`--config`); default: config.yaml in `root`. */
  configPath?: string;
  /** `main.project_name` of a config the caller has read already (then no file is read). */
  configProject?: string;
}

/**
 * The project that artifacts and runs belong to, by the one rule of every mldp command, step
 * bin and `openStore`: `--project`, else `$MLDP_PROJECT`, else `main.project_name` of the
 * config.yaml in the root folder (the workspace root, where the default store is), else
 * "default". The name is checked, and a bad one names where it came from.
 */
export async function resolveProject(options: ProjectOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  if (options.project !== undefined) return checked(options.project, '--project');
  if (env.MLDP_PROJECT) return checked(env.MLDP_PROJECT, 'MLDP_PROJECT');
  const configPath = options.configPath ?? join(options.root ?? process.cwd(), 'config.yaml');
  const fromConfig = options.configProject ?? (await projectNameIn(configPath, options.configPath !== undefined));
  return fromConfig === undefined ? DEFAULT_PROJECT : checked(fromConfig, `main.project_name of ${configPath}`);
}

/** `main.project_name` of a config file; undefined when the file or the key is absent. */
async function projectNameIn(path: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    throw new UsageError(`cannot read the config file ${path}: ${code === 'ENOENT' ? 'it does not exist' : code}`, { hint: 'pass --config FILE, or --project NAME' });
  }
  // Loaded only here: the YAML parser is a large share of a step's start, and the orchestrator names the project.
  const { parse } = await import('./yaml-parser.js');
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw new UsageError(`cannot read the project from ${path}: it is not valid YAML (${(error as Error).message.split('\n')[0]})`, {
      hint: 'fix the file, or pass --project NAME or set MLDP_PROJECT',
    });
  }
  const main = (config as { main?: unknown } | null)?.main;
  return main !== null && typeof main === 'object' ? (main as { project_name?: unknown }).project_name : undefined;
}

function checked(project: unknown, source: string): string {
  if (typeof project !== 'string') {
    throw new UsageError(`the project in ${source} is ${JSON.stringify(project)}, not a name`, { hint: 'use letters, digits, ".", "_" and "-" only, starting with a letter or digit' });
  }
  try {
    assertValidName('project', project);
  } catch (error) {
    if (error instanceof InvalidNameError) throw new UsageError(`${error.message} (from ${source})`, { hint: error.hint });
    throw error;
  }
  return project;
}
