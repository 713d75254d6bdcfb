/**
 * Parts of the fault-injection suites (faults*.test.ts): the step bins as real child processes,
 * a small tmpfs for a full or read-only disk, a seeded random generator, and the checks every
 * fault must pass (one error line, nothing half-written, verify clean after repair).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, openStore, repairStore, verifyStore } from '@mldp/store';
import { runNode } from '@mldp/testkit';
import { expect } from 'vitest';

export const ROOT = join(import.meta.dirname, '../../../..');
export const MLDP = join(ROOT, 'apps/pipeline/bin/mldp.js');
export const BINS = {
  download: join(ROOT, 'packages/download/bin/mldp-download.js'),
  preprocess: join(ROOT, 'packages/preprocess/bin/mldp-preprocess.js'),
  check_data: join(ROOT, 'packages/check-data/bin/mldp-check-data.js'),
  segregate: join(ROOT, 'packages/segregate/bin/mldp-segregate.js'),
};
export type StepBin = keyof typeof BINS;

const CACHE_DIR = join(tmpdir(), 'mldp-faults-cache');

/** Variables that would change what the children do, set to neutral values so the tests are hermetic. */
export function hermeticEnv(store: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MLDP_STORE: store,
    MLDP_PROJECT: 'faults',
    MLDP_STORE_READONLY: '',
    MLDP_LOCK_TIMEOUT: '',
    MLDP_GROUP: '',
    MLDP_PARENT_RUN: '',
    MLDP_RUN_ID: '',
    MLDP_DEBUG: '',
    MLDP_CACHE_DIR: CACHE_DIR,
    ...extra,
  };
}

/** The store as the test reads it: the children's cache, and the S3 endpoint of the test cluster (none other). */
export function openTestStore(location: string): Promise<Store> {
  const s3 = Object.fromEntries(['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'].map((name) => [name, process.env[name]]));
  return openStore({ location, project: 'faults', env: location.startsWith('s3://') ? { ...s3, MLDP_CACHE_DIR: CACHE_DIR } : { MLDP_CACHE_DIR: CACHE_DIR } });
}

export function mldp(env: Record<string, string>, ...args: string[]) {
  return runNode(MLDP, args, { env, cwd: ROOT, timeoutMs: 120_000 });
}

export function runStep(step: StepBin, args: string[], env: Record<string, string>) {
  return runNode(BINS[step], args, { env, cwd: ROOT, timeoutMs: 120_000 });
}

/** A step as a child process that the test may kill. */
export function spawnStep(step: StepBin, args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [BINS[step], ...args], { cwd: ROOT, env: { ...process.env, CI: 'true', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

/** mulberry32: a small seeded generator, so that every failure can be reproduced with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: MLDP_TEST_FAULT_SEED if it is a whole number, else a fixed one. */
export function faultSeed(): number {
  const given = Number(process.env.MLDP_TEST_FAULT_SEED);
  return Number.isInteger(given) && given >= 0 ? given : 18;
}

/** A failure as the user sees it: a non-zero exit and one line, `error: ...`, with no stack trace. */
export function expectOneLineError(result: { code: number | null; stderr: string }, pattern?: RegExp): void {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trimEnd().split('\n').filter((line) => line.startsWith('error:'));
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at |unexpected failure|looks like a bug/m);
  if (pattern) expect(lines[0]).toMatch(pattern);
}

/**
 * The promise of the store after any fault: every visible version is complete (its files are
 * there and intact), no version repeats the one before it, `latest` resolves, no run is left
 * `running`, and after `mldp store repair` (as a user would run it; `viaCli: false` calls the
 * function behind it, to save a process) `store verify` is clean.
 */
export async function expectConsistentAfterRepair(location: string, env: Record<string, string>, options: { viaCli?: boolean } = {}): Promise<{ crashedRuns: number }> {
  const store = await openTestStore(location);
  await expectVisibleVersionsComplete(store);
  const before = await verifyStore(store);
  const unrepairable = before.problems.filter((problem) => !problem.repairable);
  expect(unrepairable).toEqual([]);
  const runs = await store.runs.list();
  expect(runs.filter((run) => run.status === 'running').map((run) => run.id)).toEqual([]);
  if (options.viaCli === false) {
    expect((await repairStore(store)).after.ok).toBe(true);
  } else {
    const repair = await mldp(env, 'store', 'repair');
    expect(repair.stderr).toBe('');
    expect(repair.code, repair.stdout).toBe(0);
  }
  const after = await verifyStore(store);
  expect(after.problems).toEqual([]);
  expect(after.notes).toEqual([]);
  return { crashedRuns: before.problems.filter((problem) => problem.kind === 'crashed-run').length };
}

export async function expectVisibleVersionsComplete(store: Store): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'mldp-faults-read-'));
  try {
    for (const artifact of await store.artifacts.list()) {
      let previous: { digest: string; type: string } | undefined;
      for (const label of artifact.versions) {
        const version = await store.artifacts.resolve(`${artifact.project}/${artifact.name}:${label}`);
        await store.artifacts.materialize(version, scratch);
        expect(previous && previous.digest === version.digest && previous.type === version.type, `${artifact.name}:${label} repeats the version before it`).toBeFalsy();
        previous = version;
      }
      if (artifact.aliases.latest) await store.artifacts.resolve(`${artifact.project}/${artifact.name}:latest`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A tmpfs of `size` (such as `2m`) mounted at a fresh folder; needs root. */
export interface Tmpfs {
  path: string;
  remount(options: string): void;
  unmount(): void;
}

export function mountTmpfs(size: string): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), 'mldp-faults-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', path], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`mount tmpfs at ${path}: ${mounted.stderr.trim()}`);
  return {
    path,
    remount(options) {
      const result = spawnSync('mount', ['-o', `remount,${options}`, path], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`remount ${path} ${options}: ${result.stderr.trim()}`);
    },
    unmount() {
      spawnSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
