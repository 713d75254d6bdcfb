/**
 * The test projects of the workspace, one per package with a `test` script, for the root
 * vitest.config.ts. Every project runs in the hermetic environment of vitest.hermetic-env.ts
 * (its first globalSetup); a package's own `tests/global-setup.ts` (the Ceph cluster, say) runs
 * after it.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const WORKSPACE = import.meta.dirname;
const HERMETIC_ENV = join(WORKSPACE, 'vitest.hermetic-env.ts');
/** Where the workspace's packages are (package.json `workspaces`, less those without tests). */
const PACKAGE_FOLDERS = ['packages', 'apps'];

interface PackageJson {
  name: string;
  scripts?: Record<string, string>;
  nx?: { name?: string };
}

function packageJsonOf(dir: string): PackageJson | undefined {
  return existsSync(join(dir, 'package.json')) ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson) : undefined;
}

/** A package's test project: named as its Nx project, so `vitest run --project store` runs one. */
function projectOf(dir: string): TestProjectInlineConfiguration {
  const pkg = packageJsonOf(dir) as PackageJson;
  const ownSetup = join(dir, 'tests/global-setup.ts');
  return {
    test: {
      name: pkg.nx?.name ?? pkg.name,
      root: dir,
      include: ['src/**/*.test.ts'],
      globalSetup: [HERMETIC_ENV, ...(existsSync(ownSetup) ? [ownSetup] : [])],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
}

function packageDirs(): string[] {
  return PACKAGE_FOLDERS.flatMap((folder) =>
    readdirSync(join(WORKSPACE, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(WORKSPACE, folder, entry.name))
      .filter((dir) => packageJsonOf(dir)?.scripts?.test),
  ).sort();
}

/**
 * Every package's test project; run from inside a package (`cd packages/store && npx vitest run
 * src/runs.test.ts`, or its `npm test`, which Nx's `test` target runs), only that package's, so a
 * file filter matches its files alone and no other package's setup starts.
 */
export function testProjects(cwd = process.cwd()): TestProjectInlineConfiguration[] {
  const dirs = packageDirs();
  const inside = dirs.find((dir) => {
    const path = relative(dir, cwd);
    return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
  });
  return (inside ? [inside] : dirs).map(projectOf);
}
