/**
 * Where the queue is and how to reach it: `redis://` or `rediss://` (TLS) URLs with an optional
 * `/DB`, a password from the URL or MLDP_QUEUE_PASSWORD that no message ever shows, and how a
 * connection reports an outage: once per outage, not once per attempt. The clients themselves are
 * in redis-client.ts, so that reading a URL does not load the Redis client.
 */
import type { RedisOptions } from 'ioredis';
import { MldpError, UsageError } from '@mldp/runtime';

export interface QueueLocation {
  /** The URL without credentials: what messages show. */
  display: string;
  options: RedisOptions;
  /** The password, to redact from any text that might echo it. */
  secret?: string;
}

export class QueueUnreachableError extends MldpError {
  constructor(readonly location: string, problem: string, hint = 'start Redis there, or check --queue and MLDP_QUEUE') {
    super('E_QUEUE_UNREACHABLE', `cannot reach the queue at ${location}: ${problem}`, { hint });
  }
}

/** Reads a queue URL: `redis[s]://[[USER]:PASSWORD@]HOST[:PORT][/DB]`. */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`the queue "${redactUrl(text)}" is not a URL`, { hint: 'give --queue redis://HOST:PORT[/DB] (or rediss:// for TLS)' });
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`the queue ${redactUrl(text)} is not a redis:// or rediss:// URL`, { hint: 'give --queue redis://HOST:PORT[/DB] (or rediss:// for TLS)' });
  }
  const dbText = url.pathname.replace(/^\//, '') || '0';
  if (!/^\d+$/.test(dbText)) throw new UsageError(`the queue ${redactUrl(text)} names the database "${dbText}", not a number`, { hint: 'write the database as a number: redis://HOST:PORT/0' });
  const port = url.port ? Number(url.port) : 6379;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const password = url.password ? decodeURIComponent(url.password) : env.MLDP_QUEUE_PASSWORD || undefined;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const tls = url.protocol === 'rediss:';
  return {
    display: `${url.protocol}//${url.host}/${dbText}`,
    secret: password,
    options: {
      host,
      port,
      db: Number(dbText),
      username,
      password,
      // Certificates are checked against Node's CAs and the host; NODE_EXTRA_CA_CERTS adds a private CA.
      tls: tls ? {} : undefined,
      // Commands wait through a reconnection instead of failing: a restart of Redis is an outage, not an error.
      maxRetriesPerRequest: null,
      connectTimeout: 10_000,
    },
  };
}

/** The queue URL of a command: --queue, else MLDP_QUEUE; undefined when neither is given. */
export function queueUrlOf(args: { queue?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return args.queue ?? (env.MLDP_QUEUE || undefined);
}

/** One BullMQ queue per project, so that workers of a project take only its jobs. */
export function queueNameOf(project: string): string {
  return `mldp-${project}`;
}

/** A URL as it may be shown: any password is replaced by `***`. */
export function redactUrl(text: string): string {
  return text.replace(/^(\w+:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`);
}

/** Any text with the password taken out, for messages that quote an error from elsewhere. */
export function redact(text: string, location: QueueLocation): string {
  return location.secret ? text.split(location.secret).join('***') : text;
}

/** The part of a Redis error that says what went wrong, in words. */
export function describeRedisError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { message?: string };
  const message = String(e?.message ?? error);
  if (e?.code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (e?.code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return 'the connection timed out';
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) return 'it refused the password (check MLDP_QUEUE_PASSWORD or the URL)';
  if (/self.signed|unable to verify|certificate|SSL|TLS|wrong version number/i.test(message)) return `TLS failed: ${message}`;
  if (/Connection is closed|ECONNRESET|EPIPE|socket/i.test(message)) return 'the connection was closed';
  return message;
}

/**
 * Says when the connection to the queue is lost and found again: one line at the loss, one
 * every 30 s while it lasts, one when it is back. Shared by all connections of a process.
 */
export class ConnectionWatch {
  private lostAt: number | undefined;
  private connected = false;
  private lastSaid = 0;
  private lastProblem = '';

  constructor(
    private readonly location: QueueLocation,
    private readonly say: (line: string) => void,
    private readonly who: string,
  ) {}

  noteError(error: unknown): void {
    this.lastProblem = describeRedisError(error);
  }

  /** ioredis's retryStrategy: the delay before the next attempt, growing to 5 s. */
  readonly retryStrategy = (times: number): number => {
    const delay = Math.min(250 * 2 ** Math.min(times - 1, 5), 5_000);
    const now = Date.now();
    if (this.lostAt === undefined) {
      this.lostAt = now;
      this.lastSaid = now;
      const problem = ` (${redact(this.lastProblem || 'the connection was closed', this.location)})`;
      this.say(this.connected ? `${this.who}: lost the queue at ${this.location.display}${problem}; reconnecting with backoff` : `${this.who}: cannot reach the queue at ${this.location.display}${problem}; retrying with backoff`);
    } else if (now - this.lastSaid >= 30_000) {
      this.lastSaid = now;
      this.say(`${this.who}: still reconnecting to ${this.location.display} (down ${Math.round((now - this.lostAt) / 1000)}s${this.lastProblem ? `: ${redact(this.lastProblem, this.location)}` : ''})`);
    }
    return delay;
  };

  noteReady(): void {
    this.connected = true;
    if (this.lostAt === undefined) return;
    this.say(`${this.who}: reconnected to ${this.location.display} after ${((Date.now() - this.lostAt) / 1000).toFixed(1)}s`);
    this.lostAt = undefined;
    this.lastProblem = '';
  }

  get lost(): boolean {
    return this.lostAt !== undefined;
  }
}
