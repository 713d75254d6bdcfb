#!/usr/bin/env node
// `npm start`: build the workspace through Nx (its project graph decides what to build, its cache
// skips what is built), quietly; then run the pipeline, so that its first line is the first line
// shown. Nx's output is printed only when the build fails. Arguments go to `mldp run`.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nx = createRequire(join(root, 'package.json')).resolve('nx/bin/nx.js');

const build = spawnSync(process.execPath, [nx, 'run', 'pipeline:build', '--output-style=static'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, NX_TUI: 'false' },
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write(`error: the build failed (${build.error?.message ?? `nx exited with ${build.signal ?? `code ${build.status}`}`}); see Nx's output above\n`);
  process.exit(build.status || 1);
}

const pipeline = spawn(process.execPath, [join(root, 'apps/pipeline/dist/cli.js'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the pipeline through the terminal; a signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => pipeline.kill(signal));
pipeline.once('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
