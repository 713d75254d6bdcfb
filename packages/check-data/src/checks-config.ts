import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UsageError } from '@mldp/runtime';
import type { ColumnType } from '@mldp/table';
import { validateChecks } from './generated/checks-validators.js';

// The schema is public with the rest of the checks' API.
export { checksSchema } from './checks-schema.js';

/** The declared data tests; the defaults reproduce the original pipeline's tests. */
export interface ChecksConfig {
  required_columns: Record<string, ColumnType>;
  known_classes: Record<string, string[]>;
  /** Inclusive bounds; null leaves a side open. Nulls in the data are ignored. */
  ranges: Record<string, [number | null, number | null]>;
  ks: { columns: string[] };
  /** Chi-square test of class frequencies against the reference; empty columns to turn off. */
  categorical_drift: { columns: string[]; alpha: number };
}

export const DEFAULT_CHECKS: ChecksConfig = {
  required_columns: {
    time_signature: 'int',
    key: 'int',
    danceability: 'float',
    energy: 'float',
    loudness: 'float',
    speechiness: 'float',
    acousticness: 'float',
    instrumentalness: 'float',
    liveness: 'float',
    valence: 'float',
    tempo: 'float',
    duration_ms: 'int',
    text_feature: 'string',
    genre: 'string',
  },
  known_classes: {
    genre: ['Dark Trap', 'Underground Rap', 'Trap Metal', 'Emo', 'Rap', 'RnB', 'Pop', 'Hiphop', 'techhouse', 'techno', 'trance', 'psytrance', 'trap', 'dnb', 'hardstyle'],
  },
  ranges: {
    time_signature: [1, 5],
    key: [0, 11],
    danceability: [0, 1],
    energy: [0, 1],
    loudness: [-35, 5],
    speechiness: [0, 1],
    acousticness: [0, 1],
    instrumentalness: [0, 1],
    liveness: [0, 1],
    valence: [0, 1],
    tempo: [50, 250],
    duration_ms: [20000, 1000000],
  },
  ks: {
    columns: ['danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'duration_ms'],
  },
  categorical_drift: { columns: ['genre'], alpha: 0.05 },
};

const validate = validateChecks as unknown as { (data: unknown): boolean; errors?: Array<{ instancePath: string; message?: string }> | null };

/** Validates a checks section; sections left out keep their defaults. */
export function resolveChecks(input: unknown, source = 'checks'): ChecksConfig {
  if (input === undefined || input === null) return DEFAULT_CHECKS;
  if (!validate(input)) {
    const [error] = validate.errors ?? [];
    const path = `${source}${(error?.instancePath ?? '').replace(/\//g, '.')}`;
    throw new UsageError(`${path}: ${error?.message ?? 'is invalid'}`, { hint: 'see "Checks" in the README for the allowed keys and values' });
  }
  const partial = input as Partial<ChecksConfig>;
  for (const [column, [min, max]] of Object.entries(partial.ranges ?? {})) {
    if (min !== null && max !== null && min > max) throw new UsageError(`${source}.ranges.${column}: the minimum ${min} is above the maximum ${max}`);
  }
  return {
    required_columns: partial.required_columns ?? DEFAULT_CHECKS.required_columns,
    known_classes: partial.known_classes ?? DEFAULT_CHECKS.known_classes,
    ranges: partial.ranges ?? DEFAULT_CHECKS.ranges,
    ks: { columns: partial.ks?.columns ?? DEFAULT_CHECKS.ks.columns },
    categorical_drift: {
      columns: partial.categorical_drift?.columns ?? DEFAULT_CHECKS.categorical_drift.columns,
      alpha: partial.categorical_drift?.alpha ?? DEFAULT_CHECKS.categorical_drift.alpha,
    },
  };
}

/** Reads a checks file (YAML or JSON); a file with a top-level `checks:` key is accepted too. */
export function loadChecksFile(path: string): ChecksConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the checks file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, { hint: 'check the path given to --checks' });
  }
  return parseChecksText(text, path, `the checks file ${path}`);
}

/** Checks written as YAML or JSON text (`source` names it in messages); a top-level `checks:` key is accepted too. */
export function parseChecksText(text: string, source: string, what = source): ChecksConfig {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const section = data && typeof data === 'object' && 'checks' in data ? (data as { checks: unknown }).checks : data;
  return resolveChecks(section, source);
}

/**
 * yaml, loaded only for a checks file: importing it took a large share of check_data's start,
 * and most runs use the built-in checks. It is CommonJS, so it loads synchronously here.
 */
function parseYaml(text: string): unknown {
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(text);
}
