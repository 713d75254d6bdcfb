/**
 * Builds the package under test before its tests run (a `globalSetup` of the packages whose code
 * runs in worker threads): a worker runs the package's built `.js` (dist/), never its TypeScript
 * sources, so without this a test would run a stale or missing worker. `tsc -b` is incremental:
 * nearly free when dist/ is current.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export default function buildFirst(project?: { config?: { root?: string } }): void {
  execFileSync(process.execPath, [tsc, '-b'], { cwd: project?.config?.root ?? process.cwd(), stdio: 'inherit' });
}
