/**
 * Makes every test run see the same environment, whatever the caller's shell exports (issue 24).
 *
 * It is the first `globalSetup` of every package's vitest config (vitest.shared.ts), so it runs
 * in vitest's main process before the S3 harness adds its own AWS_* settings and before any
 * worker starts: workers copy the main process's environment, and the bins and servers tests
 * start copy theirs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Inputs of the test harness itself, which a developer sets on purpose: kept. */
const HARNESS_SWITCH = /^MLDP_TEST_/;

/** Variables read by mldp, the AWS SDK, Ceph's tools or Node's colours that no test may inherit. */
const CLEARED = [
  /^MLDP_/, // MLDP_STORE, MLDP_PROJECT, MLDP_GROUP, MLDP_RUN_ID, MLDP_PARENT_RUN, MLDP_CACHE_*, MLDP_S3_*, MLDP_STORE_READONLY, MLDP_DEBUG, MLDP_QUEUE*, ...
  /^AWS_/, // keys, endpoint, region, profile, config files
  /^(NO_COLOR|FORCE_COLOR|NODE_DISABLE_COLORS|CLICOLOR|CLICOLOR_FORCE)$/,
  /^(XDG_CACHE_HOME|CEPH_ARGS|CEPH_CONF|S3_ACCESS_KEY|S3_SECRET_KEY)$/,
];

/**
 * The environment tests run in: `env` less every variable a test could depend on, plus fixed
 * values for the few that must be set. `scratch` is a fresh folder for the default cache.
 */
export function hermeticEnv(env: NodeJS.ProcessEnv, scratch: string): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (HARNESS_SWITCH.test(name) || !CLEARED.some((pattern) => pattern.test(name))) clean[name] = value;
  }
  return {
    ...clean,
    // Not a terminal: no progress lines, whatever the shell's CI says.
    CI: 'true',
    // The default read cache of remote stores, where no test names one.
    XDG_CACHE_HOME: join(scratch, 'cache'),
    // The AWS SDK reads no ~/.aws files and asks no instance metadata service for credentials.
    AWS_CONFIG_FILE: join(scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Replaces the contents of `target` with `next`, keeping the object (process.env is special). */
export function replaceEnv(target: NodeJS.ProcessEnv, next: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(target)) if (!(name in next)) delete target[name];
  for (const [name, value] of Object.entries(next)) if (value !== undefined) target[name] = value;
}

const DONE = Symbol.for('mldp.hermetic-env');

/**
 * vitest globalSetup: cleans the main process's environment; removes the scratch folder at the
 * end. Once per process: when one vitest runs several projects, a later project's run must not
 * undo what an earlier project's own setup added (the S3 harness's AWS_* settings).
 */
export default function setup(): () => void {
  const state = process as unknown as Record<symbol, boolean>;
  if (state[DONE]) return () => undefined;
  state[DONE] = true;
  const scratch = mkdtempSync(join(tmpdir(), 'mldp-test-env-'));
  replaceEnv(process.env, hermeticEnv(process.env, scratch));
  return () => {
    rmSync(scratch, { recursive: true, force: true });
    state[DONE] = false;
  };
}
