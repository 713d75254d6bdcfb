import { type StepParams } from '@mldp/runtime';

/**
 * The longest wait a timeout or retry delay may ask for, in seconds: a day. Node's timers cannot
 * wait longer than 2^31 - 1 ms (about 24.8 days) and fire at once instead.
 */
export const MAX_WAIT_SECONDS = 86_400;

/** download's tunable parameters: the bin's flags and config.yaml's `download:` keys follow these rules. */
export const DOWNLOAD_PARAMS = {
  connect_timeout: { rule: { type: 'number', exclusiveMinimum: 0, maximum: MAX_WAIT_SECONDS }, default: 10, describe: 'seconds to wait for a connection' },
  idle_timeout: { rule: { type: 'number', exclusiveMinimum: 0, maximum: MAX_WAIT_SECONDS }, default: 30, describe: 'seconds the server may stay silent' },
  retries: { rule: { type: 'integer', minimum: 0, maximum: 20 }, default: 2, describe: 'further attempts on network errors and 5xx' },
  retry_delay: { rule: { type: 'number', minimum: 0, maximum: MAX_WAIT_SECONDS }, default: 0.5, describe: 'seconds before the first retry (doubled each time)' },
  sha256: { rule: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' }, describe: 'expected sha256 of the content, 64 hex digits as sha256sum prints; a mismatch stores nothing' },
  max_redirects: { rule: { type: 'integer', minimum: 0, maximum: 50 }, default: 5, describe: 'redirects to follow at most' },
} as const satisfies StepParams;
