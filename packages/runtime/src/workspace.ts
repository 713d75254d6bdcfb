import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The nearest folder up from `start` holding `nx.json` (the mldp workspace), else `start`: where
 * a command finds config.yaml and the default store `.mldp/`. Outside a workspace (a step
 * installed on its own), that is the current folder.
 */
export function findWorkspaceRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}
