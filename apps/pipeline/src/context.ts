import { join, resolve } from 'node:path';
import { createReporter, findWorkspaceRoot } from '@mldp/runtime';
import { type OpenStoreOptions, type Store, openStore, resolveProject } from '@mldp/store';

export interface GlobalArgs {
  store?: string;
  project?: string;
  config?: string;
  json?: boolean;
}

export function workspaceRoot(): string {
  return findWorkspaceRoot(process.cwd());
}

export function configPathOf(args: GlobalArgs): string {
  return args.config ? resolve(args.config) : join(workspaceRoot(), 'config.yaml');
}

/** The project of artifact, run and report commands, by the rule of `resolveProject`. */
export function projectOf(args: GlobalArgs): Promise<string> {
  return resolveProject({ project: args.project, configPath: args.config ? resolve(args.config) : undefined, root: workspaceRoot() });
}

/** The store of a command: `--store`, else MLDP_STORE, else `.mldp/` at the workspace root; large S3 transfers show progress. */
export async function storeFor(args: GlobalArgs, project?: string): Promise<Store> {
  return openStore({ ...storeOptions(args.store), project: project ?? (await projectOf(args)) });
}

export function storeOptions(location: string | undefined): OpenStoreOptions {
  return { location, root: workspaceRoot(), reporter: createReporter() };
}
