/**
 * For the queue tests: a real redis-server on 127.0.0.1 on a free port, in a folder of its own,
 * without persistence (`--save '' --appendonly no`), and real `mldp worker` processes, each with
 * its own MLDP_CACHE_DIR and working folder, standing for separate machines.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';
const ROOT = join(import.meta.dirname, '../../../..');
export const MLDP = join(ROOT, 'apps/pipeline/bin/mldp.js');

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** Stops it (SIGKILL: its data is gone, as with a crash) and starts it again on the same port. */
  restart(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  password?: string;
  /** Also serve TLS on this server: a throw-away certificate for 127.0.0.1 is made with openssl. */
  tls?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer & { tlsUrl?: string; caFile?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mldp-redis-'));
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const caFile = join(dir, 'cert.pem');
  if (options.tls) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  }
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(tlsPort ? ['--tls-port', String(tlsPort), '--tls-cert-file', caFile, '--tls-key-file', join(dir, 'key.pem'), '--tls-auth-clients', 'no'] : []),
  ];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          child!.stdout!.off('data', onData);
          child!.stdout!.resume();
          resolve();
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.resume();
      child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill(signal);
    });
  };
  await start();
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    tlsUrl: tlsPort ? `rediss://127.0.0.1:${tlsPort}` : undefined,
    caFile: options.tls ? caFile : undefined,
    start,
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGKILL');
      await start();
    },
    async stop() {
      await stopWith('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the worker's output matches (it has printed that line), or fails when it exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * A worker in a working folder of its own, holding a copy of the repo's data (unless `data` is
 * false) and no config: it is one machine of many.
 */
export function spawnWorker(base: string, args: string[], env: Record<string, string>, options: { data?: boolean; script?: string; ownGroup?: boolean } = {}): WorkerProcess {
  const home = mkdtempSync(join(base, 'worker-'));
  if (options.data !== false) {
    mkdirSync(join(home, 'data'));
    copyFileSync(join(ROOT, 'data/genres_mod1.parquet'), join(home, 'data/genres_mod1.parquet'));
  }
  return spawnMldp(['worker', ...args], { cwd: home, env: { MLDP_CACHE_DIR: join(home, 'cache'), ...env }, script: options.script, ownGroup: options.ownGroup });
}

/**
 * `mldp ARGS` as a process the test can watch while it runs; `ownGroup` makes it lead a process
 * group, as a shell does for a command at the terminal, so that a signal can go to the group.
 */
export function spawnMldp(args: string[], options: { cwd: string; env: Record<string, string>; script?: string; ownGroup?: boolean }): WorkerProcess {
  const child = spawn(process.execPath, [options.script ?? MLDP, ...args], {
    cwd: options.cwd,
    detached: options.ownGroup === true,
    env: { ...process.env, CI: 'true', MLDP_DEBUG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor(pattern) {
      const match = output.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exit.then((code) => reject(new Error(`the process exited (${code}) before printing ${pattern}:\n${output}`)));
      });
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}
