import { join, resolve } from 'node:path';
import { type Reporter, UsageError } from '@mldp/runtime';
import { type ArtifactVersion, Artifacts, type LogArtifactSpec, type LoggedArtifact, versionRef } from './artifacts.js';
import type { StoreDriver } from './driver.js';
import { StoreError } from './errors.js';
import { ReadCache } from './read-cache.js';
import { DerivedData } from './derived.js';
import { parseS3Url, s3SettingsFromEnv } from './s3-location.js';
import { pathOfFileUrl } from './file-url.js';
import { STORE_MARKER } from './keys.js';
import { checkStoreMarker } from './store-format.js';
import { FsDriver } from './fs-driver.js';
import { resolveProject } from './project.js';
import { assertValidName } from './names.js';
import { type Run, Runs } from './runs.js';
import { StepCache } from './step-cache.js';
import { StepLocks } from './step-locks.js';

export const DEFAULT_PROJECT = 'default';

/** The artifact store and run tracker of one project, on one driver. */
export class Store {
  readonly artifacts: Artifacts;
  readonly runs: Runs;
  /** Data computed from files' content (such as table counts), kept to save recomputing it. */
  readonly derived: DerivedData;
  /** Which finished run each step execution of `mldp run` (by cache key) has, and what produced each version. */
  readonly stepCache: StepCache;
  /** Single-flight locks on step executions, across processes and machines. */
  readonly stepLocks: StepLocks;

  constructor(
    readonly driver: StoreDriver,
    readonly project: string = DEFAULT_PROJECT,
  ) {
    assertValidName('project', project);
    this.artifacts = new Artifacts(driver, project);
    this.runs = new Runs(driver, project);
    this.derived = new DerivedData(driver);
    this.stepCache = new StepCache(this);
    this.stepLocks = new StepLocks(driver);
  }

  get location(): string {
    return this.driver.location;
  }

  /**
   * Resolves an input artifact, records it as used by `run`, and returns local paths of its
   * files (verified against their sha256). Remote files are copied into `scratchDir`.
   */
  async useArtifact(ref: string, options: { run?: Run; scratchDir: string }): Promise<{ version: ArtifactVersion; files: Record<string, string> }> {
    const version = await this.useArtifactVersion(ref, options);
    return { version, files: await this.artifacts.materialize(version, options.scratchDir) };
  }

  /** Resolves an input artifact and records it as used by `run`, leaving its files where they are. */
  async useArtifactVersion(ref: string, options: { run?: Run }): Promise<ArtifactVersion> {
    const version = await this.artifacts.resolve(ref);
    await options.run?.useArtifact(versionRef(version));
    return version;
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
  /** A folder or URL; default: `MLDP_STORE`, else `.mldp/` in `root`. */
  location?: string;
  /** The folder of the default store and of config.yaml (a command passes its workspace root); default: `cwd`. */
  root?: string;
  /** Default: `MLDP_PROJECT`, else `main.project_name` of the workspace's config.yaml, else `default` (`resolveProject`). */
  project?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Shows the progress of large transfers (S3); default: none. */
  reporter?: Reporter;
  /** Create a missing local store (the default); false for a store that is only read, such as a copy's source. */
  create?: boolean;
}

export function resolveStoreLocation(options: OpenStoreOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const location = options.location ?? env.MLDP_STORE;
  if (location) return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : resolve(cwd, location);
  return join(options.root ?? cwd, '.mldp');
}

/**
 * Opens the store at the resolved location: a local folder (created on first use) or
 * `s3://bucket/prefix`, which must have been initialised with `mldp store init`.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const project = options.project ?? (await resolveProject({ env, root: options.root ?? options.cwd }));
  const driver = await driverFor(resolveStoreLocation(options), env, options.reporter);
  if (!(await driver.isInitialized())) {
    if ('describeMissingStore' in driver && typeof driver.describeMissingStore === 'function') {
      throw new StoreError(`${await driver.describeMissingStore()}`, { hint: `create it with "mldp store init ${driver.location}", or check MLDP_STORE and AWS_ENDPOINT_URL` });
    }
    if (options.create === false) {
      throw new StoreError(`there is no mldp store at ${driver.location}`, { hint: 'check the location (it is not created when only read from); nothing was written' });
    }
    if (!driver.readOnly) await driver.init();
  } else {
    const marker = await driver.readDoc(STORE_MARKER);
    if (marker) checkStoreMarker(marker.text, driver.location);
  }
  return new Store(driver, project);
}

/** Creates the store (and an S3 bucket, where allowed) at the location; a no-op if it exists. */
export async function initStore(options: OpenStoreOptions = {}): Promise<{ location: string; created: boolean }> {
  const driver = await driverFor(resolveStoreLocation(options), options.env ?? process.env, options.reporter);
  if (await driver.isInitialized()) {
    const marker = await driver.readDoc(STORE_MARKER);
    if (marker) checkStoreMarker(marker.text, driver.location);
    return { location: driver.location, created: false };
  }
  await driver.init();
  return { location: driver.location, created: true };
}

/** The driver for a location: a folder or file:// URL, or s3:// (the AWS SDK is loaded only then). */
export async function driverFor(location: string, env: NodeJS.ProcessEnv = process.env, reporter?: Reporter): Promise<StoreDriver> {
  const readOnly = env.MLDP_STORE_READONLY === '1' || env.MLDP_STORE_READONLY === 'true';
  if (location.startsWith('s3://')) {
    const where = parseS3Url(location);
    const settings = s3SettingsFromEnv(env);
    const { S3Driver } = await loadS3Driver();
    return new S3Driver(where, settings, new ReadCache({ env }), { readOnly, reporter });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://')) {
    throw new UsageError(`store location "${location}" uses an unsupported scheme`, {
      hint: 'use a local folder, file:///path or s3://bucket/prefix',
    });
  }
  return new FsDriver(/^file:/i.test(location) ? pathOfFileUrl(location, 'store location') : location, { readOnly });
}

/**
 * The S3 driver and the AWS SDK it needs. The SDK is an optional peer dependency of
 * @mldp/store (heavy, and only S3 users need it); the mldp workspace installs it.
 */
async function loadS3Driver(): Promise<typeof import('./s3-driver.js')> {
  try {
    return await import('./s3-driver.js');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /@aws-sdk\//.test((error as Error).message)) {
      throw new UsageError('s3:// stores need the AWS SDK, which is not installed', {
        hint: 'run "npm install @aws-sdk/client-s3 @aws-sdk/lib-storage" in your project',
        cause: error,
      });
    }
    throw error;
  }
}
