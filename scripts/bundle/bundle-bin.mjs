// Bundles a step's bin into dist/bundle/: its own modules, its @mldp/* siblings and its npm
// dependencies in one module, lazy imports (yargs for help, Parquet, S3) in chunks beside it.
// Measured: loading the ~90 separate modules of a step took ~120 ms over node's own start, the
// bundle ~55 ms (bench/RESULTS.md). Run from the package's folder after `tsc -b`.
//
// Code that finds files next to its own module keeps working: every worker script of the package
// and its siblings is an entry of the same folder, so `new URL('./x-worker.js', import.meta.url)`
// from any chunk names the bundled worker; package.json is one folder further up.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist/bundle';
// Loaded only for an S3 store: large, and resolved from node_modules like any dependency.
const EXTERNAL = ['@aws-sdk/*', '@smithy/*'];

const packageDir = process.cwd();
const workers = workerScripts(packageDir);
const entryPoints = { cli: join(packageDir, 'dist/cli.js') };
for (const script of workers) {
  const name = basename(script, '.js');
  if (entryPoints[name]) throw new Error(`bundle-bin: two worker scripts named ${name}.js (${entryPoints[name]}, ${script}): rename one`);
  entryPoints[name] = script;
}
rmSync(join(packageDir, OUT), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: join(packageDir, OUT),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  chunkNames: '[name]-[hash]',
  // CommonJS dependencies call require(): give the ES module one.
  banner: { js: "import { createRequire as __mldpCreateRequire } from 'node:module'; const require = __mldpCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

/** The `*-worker.js` scripts in the dist/ of this package and of the @mldp packages it depends on. */
function workerScripts(dir, seen = new Set()) {
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (seen.has(manifest.name)) return [];
  seen.add(manifest.name);
  const dist = join(dir, 'dist');
  const found = existsSync(dist) ? readdirSync(dist).filter((file) => file.endsWith('-worker.js')).map((file) => join(dist, file)) : [];
  const require = createRequire(manifestPath);
  for (const dependency of Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@mldp/'))) {
    found.push(...workerScripts(dirname(resolve(require.resolve(`${dependency}/package.json`))), seen));
  }
  return found;
}
