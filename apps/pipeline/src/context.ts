import { join, resolve } from 'node:path';
import { type Store, findWorkspaceRoot, openStore, resolveProject } from '@mldp/store';

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
  return resolveProject({ project: args.project, configPath: args.config ? resolve(args.config) : undefined, cwd: process.cwd() });
}

export async function storeFor(args: GlobalArgs, project?: string): Promise<Store> {
  return openStore({ location: args.store, project: project ?? (await projectOf(args)), cwd: process.cwd() });
}
