import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Store, findWorkspaceRoot, openStore } from '@mldp/store';
import { readConfigFile } from './config.js';

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

/**
 * The project for artifact and run commands: --project, else $MLDP_PROJECT, else
 * main.project_name of the workspace's config.yaml, else "default".
 */
export function projectOf(args: GlobalArgs): string | undefined {
  if (args.project) return args.project;
  if (process.env.MLDP_PROJECT) return process.env.MLDP_PROJECT;
  const path = configPathOf(args);
  if (!existsSync(path)) return undefined;
  try {
    const main = readConfigFile(path).main as { project_name?: unknown } | undefined;
    return typeof main?.project_name === 'string' ? main.project_name : undefined;
  } catch {
    return undefined;
  }
}

export function storeFor(args: GlobalArgs, project = projectOf(args)): Promise<Store> {
  return openStore({ location: args.store, project, cwd: process.cwd() });
}
