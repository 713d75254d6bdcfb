import { NAME_RULE, type StepParams } from '@mldp/runtime';

/**
 * The longest wait a timeout or retry delay may ask for, in seconds: a day. Node's timers cannot
 * wait longer than 2^31 - 1 ms (about 24.8 days) and fire at once instead.
 */
export const MAX_WAIT_SECONDS = 86_400;

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 200, description: NAME_RULE } as const;

/**
 * download's parameters, declared once: the bin's flags, config.yaml's keys, the orchestrator's
 * arguments and the cache key come from here.
 */
export const DOWNLOAD_PARAMS = {
  file_url: { rule: { type: 'string', minLength: 1 }, required: true, config: 'data.file_url', describe: 'http(s):// URL, file:// URL or path' },
  artifact_name: { rule: name, default: 'raw_data.parquet', config: 'download.artifact_name', describe: 'name of the artifact to log' },
  artifact_type: { rule: name, default: 'raw_data', config: 'download.artifact_type', describe: 'type of the artifact' },
  artifact_description: { rule: { type: 'string' }, default: 'Raw data as downloaded', config: 'download.artifact_description', describe: 'description of the artifact' },
  sha256: {
    rule: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    nullable: true,
    config: 'data.sha256',
    describe: 'expected sha256 of the content, 64 hex digits as sha256sum prints; a mismatch stores nothing',
  },
  connect_timeout: { rule: { type: 'number', exclusiveMinimum: 0, maximum: MAX_WAIT_SECONDS }, default: 10, config: 'download.connect_timeout', describe: 'seconds to wait for a connection' },
  idle_timeout: { rule: { type: 'number', exclusiveMinimum: 0, maximum: MAX_WAIT_SECONDS }, default: 30, config: 'download.idle_timeout', describe: 'seconds the server may stay silent' },
  retries: { rule: { type: 'integer', minimum: 0, maximum: 20 }, default: 2, config: 'download.retries', describe: 'further attempts on network errors and 5xx' },
  retry_delay: { rule: { type: 'number', minimum: 0, maximum: MAX_WAIT_SECONDS }, default: 0.5, config: 'download.retry_delay', describe: 'seconds before the first retry (doubled each time)' },
  max_redirects: { rule: { type: 'integer', minimum: 0, maximum: 50 }, default: 5, config: 'download.max_redirects', describe: 'redirects to follow at most' },
} as const satisfies StepParams;
