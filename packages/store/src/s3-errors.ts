import { MldpError } from '@mldp/runtime';
import { StoreError } from './errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'RequestTimeout']);
const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'CredentialsProviderError', 'InvalidToken', 'ExpiredToken']);

export function statusOf(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode;
}

export function isNotFound(error: unknown): boolean {
  const name = (error as SdkError)?.name;
  return name === 'NotFound' || name === 'NoSuchKey' || (statusOf(error) === 404 && name !== 'NoSuchBucket');
}

export function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412 || (error as SdkError)?.name === 'PreconditionFailed';
}

/** AWS answers 409 while another conditional write to the key is in flight: try again. */
export function isConditionalConflict(error: unknown): boolean {
  return statusOf(error) === 409 && (error as SdkError)?.name !== 'BucketAlreadyOwnedByYou';
}

export function isNetworkError(error: unknown): boolean {
  const e = error as SdkError;
  return NETWORK_CODES.has(e?.code ?? '') || NETWORK_CODES.has(e?.name ?? '') || /socket hang up|ECONNRESET|aborted|premature close/i.test(e?.message ?? '');
}

/**
 * Turns an AWS SDK failure into one line that names the store location, what failed and what
 * to do. The SDK has already retried what is retryable (5xx, SlowDown, dropped connections).
 */
export function s3Error(action: string, where: string, error: unknown, endpoint: string): MldpError {
  if (error instanceof MldpError) return error;
  const e = error as SdkError;
  // HEAD answers carry no error body, so the SDK can only report the status.
  const name = e?.name && e.name !== 'Unknown' ? e.name : `HTTP ${statusOf(error) ?? '?'}`;
  const status = statusOf(error);
  const attempts = e?.$metadata?.attempts;
  const tried = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  if (name === 'NoSuchBucket') {
    return new StoreError(`cannot ${action} ${where}: the bucket does not exist at ${endpoint}`, {
      hint: `create the store with "mldp store init ${where.replace(/^(s3:\/\/[^/]+).*$/, '$1')}/..." or check the bucket name and AWS_ENDPOINT_URL`,
      cause: error,
    });
  }
  if (CREDENTIAL_ERRORS.has(name) || status === 403) {
    return new StoreError(`cannot ${action} ${where}: S3 at ${endpoint} refused the credentials (${name})`, {
      hint: 'check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and that the key may use this bucket',
      cause: error,
    });
  }
  if (name === 'SlowDown' || status === 503) {
    return new StoreError(`cannot ${action} ${where}: S3 at ${endpoint} is throttling requests (${name}${tried})`, {
      hint: 'try again later, or raise MLDP_S3_MAX_ATTEMPTS to retry longer',
      cause: error,
    });
  }
  if (isNetworkError(error)) {
    return new StoreError(`cannot ${action} ${where}: the connection to ${endpoint} failed (${e?.code ?? name}${tried})`, {
      hint: 'check AWS_ENDPOINT_URL and that the object store is running and reachable; nothing partial was made visible',
      cause: error,
    });
  }
  return new StoreError(`cannot ${action} ${where}: ${name}${status ? ` (HTTP ${status})` : ''}: ${e?.message ?? String(error)}`, {
    hint: 'check the store location and the object store; run "mldp store verify" if this persists',
    cause: error,
  });
}
