import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real bin on the built runtime, run as a child process: the shell's exit codes and output are the process's.
const RUNTIME = join(import.meta.dirname, '../dist/index.js');
let dir: string;
let bin: string;
let worker: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mldp-runtime-cli-'));
  bin = join(dir, 'greet.mjs');
  writeFileSync(
    bin,
    `import { UsageError, runCli } from ${JSON.stringify(RUNTIME)};
await runCli({
  bin: 'greet',
  description: 'Say hello.',
  version: '1.2.3',
  options: { 'first-name': { type: 'string', demandOption: true } },
  params: { times: { rule: { type: 'integer', minimum: 1 }, default: 1, describe: 'how often' } },
  async run(args) {
    if (args['first-name'] === 'nobody') throw new UsageError('--first-name is nobody', { hint: 'give a name' });
    if (args['first-name'] === 'crash') throw new Error('boom');
    process.stdout.write(\`\${Array(args.times).fill('hello ' + args['first-name']).join(' ')}\\n\`);
  },
});
`,
  );
  worker = join(dir, 'work.mjs');
  writeFileSync(
    worker,
    `import { UsageError, runCli } from ${JSON.stringify(RUNTIME)};
const forever = () => new Promise(() => setInterval(() => undefined, 60_000));
await runCli({
  bin: 'work',
  description: 'Work until stopped.',
  version: '1.0.0',
  options: { case: { type: 'string', demandOption: true } },
  async run(args, shell) {
    const ended = shell.onInterrupt(async (signal) => {
      process.stdout.write(\`cleaning up after \${signal}\\n\`);
      if (args.case === 'slow-cleanup') await forever();
    });
    if (args.case === 'working' || args.case === 'slow-cleanup') {
      process.stdout.write('ready\\n');
      await forever();
    }
    ended();
    if (args.case === 'recording') {
      // Recording the outcome takes a while; it fails after the signal has come.
      const writing = setInterval(() => undefined, 60_000);
      const recorded = new Promise((resolve, reject) => process.once('SIGINT', () => setTimeout(() => reject(new UsageError('the record failed')), 100)));
      process.stdout.write('ready\\n');
      await recorded.finally(() => clearInterval(writing));
    }
    // Winding down: the command is done, but a timer keeps the process alive a while.
    setTimeout(() => undefined, 60_000);
    process.stdout.write('ready\\n');
  },
});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function greet(...args: string[]) {
  return greetWith({}, ...args);
}

function greetWith(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, MLDP_DEBUG: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('runCli, the shell of a bin', () => {
  it('runs the command with its options, snake_case aliases and parameters read by their rules', () => {
    expect(greet('--first-name', 'Ada', '--times', '2')).toEqual({ code: 0, stdout: 'hello Ada hello Ada\n', stderr: '' });
    expect(greet('--first_name', 'Ada')).toEqual({ code: 0, stdout: 'hello Ada\n', stderr: '' });
  });

  it('prints the help and exits 0 without running the command', () => {
    const result = greet('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/greet \[options\]\n\nSay hello\./);
    expect(result.stdout).not.toMatch(/hello /);
  });

  it('speaks English whatever the locale, as all of mldp does', () => {
    const german = { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
    expect(greetWith(german, '--help').stdout).toMatch(/--help +Show help/);
    expect(greetWith(german, '--first-name', 'Ada', '--bogus').stderr).toBe('error: greet: Unknown argument: bogus; see "greet --help"\n');
  });

  it('prints the version and exits 0 without running the command, whatever else is given', () => {
    expect(greet('--version')).toEqual({ code: 0, stdout: '1.2.3\n', stderr: '' });
    expect(greet('--first-name', 'nobody', '--version')).toEqual({ code: 0, stdout: '1.2.3\n', stderr: '' });
    expect(greet('--help').stdout).toMatch(/--version/);
  });

  it('refuses bad arguments in one line with exit code 2', () => {
    expect(greet()).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: greet: Missing required argument: first-name; see "greet --help"\n$/) });
    expect(greet('--first-name', 'a', '--first-name', 'b')).toMatchObject({ code: 2, stderr: 'error: --first-name is given 2 times ("a", "b"); give it once\n' });
    expect(greet('--first-name', 'a', '--times', '0').stderr).toMatch(/^error: --times.*0.*\n$/);
    expect(greet('--first-name', 'nobody')).toMatchObject({ code: 2, stderr: 'error: --first-name is nobody; give a name\n' });
  });

  it('reports an unexpected failure as a bug in one line with exit code 1, the stack only with --verbose', () => {
    const plain = greet('--first-name', 'crash');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe('error: unexpected failure: boom\n(this looks like a bug: rerun with --verbose or MLDP_DEBUG=1 and report the stack)\n');
    expect(greet('--first-name', 'crash', '--verbose').stderr).toMatch(/^error: unexpected failure: boom\nError: boom\n {4}at /);
  });
});

/** Runs the work bin, sends it `signals` once it is ready (and each after the last one's output), and gives its ending. */
function interrupt(workCase: string, signals: NodeJS.Signals[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [worker, '--case', workCase], { env: { ...process.env, MLDP_DEBUG: '' } });
  let stdout = '';
  let stderr = '';
  const pending = [...signals];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (pending.length) child.kill(pending.shift());
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('onInterrupt, a command that cleans up when it is stopped', () => {
  it('cleans up and exits 130 after SIGINT, 143 after SIGTERM, while it works', async () => {
    expect(await interrupt('working', ['SIGINT'])).toEqual({ code: 130, stdout: 'ready\ncleaning up after SIGINT\n', stderr: '' });
    expect(await interrupt('working', ['SIGTERM'])).toEqual({ code: 143, stdout: 'ready\ncleaning up after SIGTERM\n', stderr: '' });
  });

  it('stops at once on a second signal while the cleanup runs', async () => {
    expect(await interrupt('slow-cleanup', ['SIGINT', 'SIGINT'])).toEqual({ code: 130, stdout: 'ready\ncleaning up after SIGINT\n', stderr: '' });
  });

  it('after the work has ended, lets the command record its outcome and exits with its code, not cleaning up', async () => {
    expect(await interrupt('recording', ['SIGINT'])).toEqual({ code: 2, stdout: 'ready\n', stderr: 'error: the record failed\n' });
  });

  it('exits 0 on a signal while a finished command winds down, rather than dying of it', async () => {
    expect(await interrupt('winding-down', ['SIGTERM'])).toEqual({ code: 0, stdout: 'ready\n', stderr: '' });
  });
});
