import { UsageError } from '@mldp/runtime';

// Kept apart from the S3 driver so that parsing a location does not load the AWS SDK, slow to load.

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing `/`; may be empty. */
  prefix: string;
}

export interface S3Settings {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  maxAttempts: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** `s3://bucket/some/prefix` -> bucket and prefix; a clear usage error for anything else. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/*(.*?)\/*$/.exec(url);
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1])) {
    throw new UsageError(`store location "${url}" is not a valid S3 location`, {
      hint: 'write it as s3://BUCKET or s3://BUCKET/PREFIX, with a bucket name of 3-63 lower-case letters, digits, "." or "-"',
    });
  }
  return { bucket: match[1], prefix: match[2] };
}

/** The AWS conventions: AWS_ENDPOINT_URL(_S3), AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new UsageError(`AWS_ENDPOINT_URL "${endpoint}" is not an http(s) URL`, { hint: 'set it like http://127.0.0.1:7480 or https://s3.example.com' });
  }
  const pathStyle = env.MLDP_S3_FORCE_PATH_STYLE;
  if (pathStyle !== undefined && pathStyle !== '' && !/^(1|0|true|false)$/.test(pathStyle)) {
    throw new UsageError(`MLDP_S3_FORCE_PATH_STYLE "${pathStyle}" is not a boolean`, { hint: 'set it to true or false' });
  }
  const attempts = env.MLDP_S3_MAX_ATTEMPTS ? Number(env.MLDP_S3_MAX_ATTEMPTS) : 5;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) {
    throw new UsageError(`MLDP_S3_MAX_ATTEMPTS "${env.MLDP_S3_MAX_ATTEMPTS}" is not a whole number from 1 to 20`, { hint: 'unset it for the default of 5' });
  }
  const key = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  return {
    endpoint,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    // Self-hosted stores (Ceph, MinIO) rarely have wildcard DNS for bucket host names.
    forcePathStyle: pathStyle ? /^(1|true)$/.test(pathStyle) : endpoint !== undefined,
    maxAttempts: attempts,
    credentials: key && secret ? { accessKeyId: key, secretAccessKey: secret, sessionToken: env.AWS_SESSION_TOKEN || undefined } : undefined,
  };
}

