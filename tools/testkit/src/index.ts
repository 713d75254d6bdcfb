/**
 * Helpers for the tests of this workspace: temporary folders, running a bin as a real child
 * process, a throw-away S3 server, and skipping what a machine cannot run. A private package:
 * never published, only the workspace's tests import it (as `@mldp/testkit`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { sleep } from '@mldp/runtime';

/** This package sits at tools/testkit of the workspace (built into dist/). */
const WORKSPACE_ROOT = join(import.meta.dirname, '../../..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node script ...args` and collects its output. */
export function runNode(script: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return runProgram(process.execPath, [script, ...args], options);
}

/** Runs a program with CI set (unless `env` says otherwise), and collects its output. */
export function runProgram(program: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: { ...process.env, CI: 'true', MLDP_DEBUG: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A fresh temporary folder, and a function that removes it. */
export function tempDir(prefix = 'mldp-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A throw-away Ceph cluster serving S3 on 127.0.0.1 (scripts/s3/start-ceph.sh), for tests. */
export interface CephS3 {
  endpoint: string;
  /** AWS_* variables that point a client (and child processes) at it. */
  env: Record<string, string>;
  /** Stops the RADOS Gateway only (the S3 endpoint goes away; the data stays). */
  stopGateway(): Promise<void>;
  startGateway(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a private cluster on free ports; needs root and Ceph (scripts/install-test-deps.sh). */
export async function startCephS3(options: { memoryBytes?: number } = {}): Promise<CephS3> {
  const scripts = join(WORKSPACE_ROOT, 'scripts/s3');
  if (!existsSync(join(scripts, 'start-ceph.sh'))) throw new Error(`startCephS3: ${scripts}/start-ceph.sh not found (run the tests from the mldp workspace)`);
  const [rgwPort, monPort, monV2Port] = await freePorts(3);
  const cephDir = join(tmpdir(), `mldp-ceph-${process.pid}-${rgwPort}`);
  const scriptEnv = {
    ...process.env,
    CEPH_DIR: cephDir,
    RGW_PORT: String(rgwPort),
    MON_PORT: String(monPort),
    MON_V2_PORT: String(monV2Port),
    MEMSTORE_BYTES: String(options.memoryBytes ?? 4 * 1024 ** 3),
  };
  const started = spawnSync('bash', [join(scripts, 'start-ceph.sh')], { env: scriptEnv, encoding: 'utf8', timeout: 180_000 });
  if (started.status !== 0) {
    spawnSync('bash', [join(scripts, 'stop-ceph.sh')], { env: scriptEnv });
    throw new Error(`startCephS3: start-ceph.sh failed (${started.status}): ${started.stderr.trim() || started.stdout.trim()}`);
  }
  const fields = Object.fromEntries(started.stdout.trim().split('\n').pop()!.split(' ').map((pair) => pair.split('=') as [string, string]));
  const endpoint = fields.endpoint;
  const gatewayPidFile = join(cephDir, 'run/client.rgw.a.pid');
  const waitForGateway = async (up: boolean) => {
    for (let i = 0; i < 200; i++) {
      const reachable = await fetch(endpoint).then(() => true, () => false);
      if (reachable === up) return;
      await sleep(100);
    }
    throw new Error(`startCephS3: the gateway at ${endpoint} did not come ${up ? 'up' : 'down'}`);
  };
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: fields.access_key, AWS_SECRET_ACCESS_KEY: fields.secret_key, AWS_REGION: fields.region },
    async stopGateway() {
      const pid = Number(readFileSync(gatewayPidFile, 'utf8'));
      process.kill(pid, 'SIGKILL');
      await waitForGateway(false);
    },
    async startGateway() {
      const result = spawnSync('radosgw', ['-n', 'client.rgw.a'], { env: { ...process.env, CEPH_CONF: join(cephDir, 'ceph.conf') }, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`startCephS3: radosgw did not start: ${result.stderr}`);
      await waitForGateway(true);
    },
    async stop() {
      spawnSync('bash', [join(scripts, 'stop-ceph.sh')], { env: scriptEnv, timeout: 60_000 });
    },
  };
}

/** The system programs scripts/s3/start-ceph.sh runs. */
const CEPH_PROGRAMS = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'curl'];

/**
 * For a vitest `globalSetup`: points the tests (and the processes they start) at an S3 store.
 * Uses MLDP_TEST_S3_ENDPOINT with MLDP_TEST_S3_ACCESS_KEY_ID, MLDP_TEST_S3_SECRET_ACCESS_KEY
 * (and MLDP_TEST_S3_REGION) when given, else starts a private Ceph cluster and stops it
 * afterwards. Where Ceph cannot run (not installed, not root), the S3 tests are skipped:
 * MLDP_TEST_S3_SKIP holds why (see `missingRequirement`).
 */
export async function setupS3ForTests(): Promise<() => Promise<void>> {
  delete process.env.MLDP_TEST_S3_SKIP;
  const cacheDir = mkdtempSync(join(tmpdir(), 'mldp-test-cache-'));
  process.env.MLDP_CACHE_DIR = cacheDir;
  let cluster: CephS3 | undefined;
  const external = process.env.MLDP_TEST_S3_ENDPOINT;
  const cephMissing = external ? undefined : missingProgram(CEPH_PROGRAMS) ?? (process.getuid?.() === 0 ? undefined : 'Ceph needs root');
  if (external) {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: external,
      AWS_ACCESS_KEY_ID: process.env.MLDP_TEST_S3_ACCESS_KEY_ID ?? '',
      AWS_SECRET_ACCESS_KEY: process.env.MLDP_TEST_S3_SECRET_ACCESS_KEY ?? '',
      AWS_REGION: process.env.MLDP_TEST_S3_REGION ?? 'us-east-1',
    });
  } else if (cephMissing) {
    process.env.MLDP_TEST_S3_SKIP = `${cephMissing}; or point MLDP_TEST_S3_ENDPOINT at an S3 server`;
    failOrWarn(`the S3 tests: ${process.env.MLDP_TEST_S3_SKIP}`);
  } else {
    cluster = await startCephS3();
    Object.assign(process.env, cluster.env, { MLDP_TEST_CEPH_ENDPOINT: cluster.endpoint });
  }
  return async () => {
    await cluster?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  };
}

/** What a test needs beyond Node: a system program, root, a tmpfs it may mount, or the S3 store of the global setup. */
export interface Requirement {
  /** What needs it, for the message: "the report in a browser". */
  for: string;
  /** Programs on PATH, or absolute paths. */
  programs?: string[];
  root?: boolean;
  tmpfs?: boolean;
  s3?: boolean;
}

/**
 * Why tests cannot run here (printed once, as "skipping ...: reason"), or undefined when they
 * can; use it as `describe.skipIf(missingRequirement({...}))`. With MLDP_TEST_NO_SKIP=1 (as CI
 * sets) a missing requirement throws instead, so that CI cannot pass by skipping.
 */
export function missingRequirement(need: Requirement): string | undefined {
  const reason =
    (need.programs && missingProgram(need.programs)) ??
    (need.root && process.getuid?.() !== 0 ? 'it needs root' : undefined) ??
    (need.tmpfs ? tmpfsUnavailable() : undefined) ??
    (need.s3 ? process.env.MLDP_TEST_S3_SKIP : undefined);
  if (reason) failOrWarn(`${need.for}: ${reason}`);
  return reason;
}

function failOrWarn(message: string): void {
  if (process.env.MLDP_TEST_NO_SKIP === '1') throw new Error(`cannot run ${message} (MLDP_TEST_NO_SKIP=1 forbids skipping)`);
  process.stderr.write(`skipping ${message}\n`);
}

/** "X is not installed" for the first program that is missing. */
function missingProgram(programs: string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const missing = programs.find((program) => (isAbsolute(program) ? !existsSync(program) : !dirs.some((dir) => existsSync(join(dir, program)))));
  return missing && `${missing} is not installed (scripts/install-test-deps.sh installs what the tests use)`;
}

/** Whether this process may mount a tmpfs (root in a container often may not). */
function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = mkdtempSync(join(tmpdir(), 'mldp-tmpfs-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
    if (mounted.status !== 0) return `mounting a tmpfs is not allowed here (${(mounted.stderr || mounted.error?.message || '').trim()})`;
    spawnSync('umount', [dir]);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function freePorts(count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, () => new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    })),
  );
}
