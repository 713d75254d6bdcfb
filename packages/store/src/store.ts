import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ArtifactVersion, Artifacts, type LogArtifactSpec, type LoggedArtifact, versionRef } from './artifacts.js';
import type { StoreDriver } from './driver.js';
import { UsageError } from './errors.js';
import { FsDriver } from './fs-driver.js';
import { assertValidName } from './names.js';
import { type Run, Runs } from './runs.js';

export const DEFAULT_PROJECT = 'default';

/** The artifact store and run tracker of one project, on one driver. */
export class Store {
  readonly artifacts: Artifacts;
  readonly runs: Runs;

  constructor(
    readonly driver: StoreDriver,
    readonly project: string = DEFAULT_PROJECT,
  ) {
    assertValidName('project', project);
    this.artifacts = new Artifacts(driver, project);
    this.runs = new Runs(driver, project);
  }

  get location(): string {
    return this.driver.location;
  }

  /**
   * Resolves an input artifact, records it as used by `run`, and returns local paths of its
   * files (verified against their sha256). Remote files are copied into `scratchDir`.
   */
  async useArtifact(ref: string, options: { run?: Run; scratchDir: string }): Promise<{ version: ArtifactVersion; files: Record<string, string> }> {
    const version = await this.artifacts.resolve(ref);
    await options.run?.useArtifact(versionRef(version));
    return { version, files: await this.artifacts.materialize(version, options.scratchDir) };
  }

  /**
   * Runs `body` with a scratch folder: `given` if the caller has one (it then cleans up),
   * else a fresh one from the driver, removed afterwards however `body` ends.
   */
  async withWorkDir<T>(given: string | undefined, body: (dir: string) => Promise<T>): Promise<T> {
    if (given) return body(given);
    const dir = await this.driver.createWorkDir();
    try {
      return await body(dir);
    } finally {
      await this.driver.releaseWorkDir(dir);
    }
  }

  /** Logs an output artifact and records it as produced by `run` (even when deduplicated). */
  async logArtifact(spec: LogArtifactSpec, run?: Run): Promise<LoggedArtifact> {
    const logged = await this.artifacts.log(spec, run?.id ?? null);
    await run?.produced(versionRef(logged.version));
    return logged;
  }
}

export interface OpenStoreOptions {
  /** A folder or URL; default: `MLDP_STORE`, else `.mldp/` at the workspace root. */
  location?: string;
  /** Default: `MLDP_PROJECT`, else `default`. */
  project?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function resolveStoreLocation(options: OpenStoreOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const location = options.location ?? env.MLDP_STORE;
  if (location) return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : resolve(cwd, location);
  return join(findWorkspaceRoot(cwd), '.mldp');
}

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const location = resolveStoreLocation(options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    if (!location.startsWith('file://')) {
      throw new UsageError(`store location "${location}" uses an unsupported scheme`, {
        hint: 'set MLDP_STORE to a local folder (object stores are not supported in this version)',
      });
    }
  }
  const root = location.startsWith('file://') ? new URL(location).pathname : location;
  const driver = new FsDriver(root, { readOnly: env.MLDP_STORE_READONLY === '1' || env.MLDP_STORE_READONLY === 'true' });
  if (!(await driver.isInitialized()) && !driver.readOnly) await driver.init();
  return new Store(driver, options.project ?? env.MLDP_PROJECT ?? DEFAULT_PROJECT);
}

/** The nearest folder up from `start` holding `nx.json` (the mldp workspace), else `start`. */
export function findWorkspaceRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}
