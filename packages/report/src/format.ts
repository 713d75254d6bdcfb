/**
 * The one formatting of the report: every section shows numbers, bytes, times and values
 * through these, so the same number reads the same everywhere.
 */

/**
 * Integers (counts, sizes, seeds) exactly as they are; other numbers to 6 significant digits,
 * never rounding away a digit before the point and never looking like an integer when they are
 * not one; tiny ones in exponent form.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  const abs = Math.abs(value);
  if (abs < 1e-4) return value.toExponential(3).replace(/\.?0+e/, 'e');
  const digitsBeforePoint = abs < 1 ? 0 : Math.floor(Math.log10(abs)) + 1;
  const decimals = abs < 1 ? 6 - Math.floor(Math.log10(abs)) - 1 : Math.max(1, 6 - digitsBeforePoint);
  const fixed = value.toFixed(Math.min(decimals, 100)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0');
  return fixed;
}

/** Bytes exactly, with a binary-prefixed size beside them from 1 KiB on: `2384191 B (2.27 MiB)`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${formatNumber(bytes)} B (${size.toFixed(size < 10 ? 2 : 1)} ${units[unit]})`;
}

/** Seconds as `0.4 s`, `12.3 s`, `2 min 5 s`, `1 h 2 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** An ISO time as `2026-12-01 13:32:05` (UTC, as the records hold it). */
export function formatTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

/** The seconds from `startedAt` to `endedAt`, or undefined while a run has not ended. */
export function secondsBetween(startedAt: string, endedAt: string | null | undefined): number | undefined {
  return endedAt ? (Date.parse(endedAt) - Date.parse(startedAt)) / 1000 : undefined;
}

/**
 * A parameter or metadata value as a reader wants it: strings as they are, numbers through
 * formatNumber, lists as `a, b`, null as `null`. Objects are for tables (see kv-table.ts); here
 * they are compact JSON as a last resort.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length === 0) return '-';
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) return value.map(formatValue).join(', ');
  return JSON.stringify(value);
}

/** Nested objects as dotted keys: `{ data: { test_size: 0.3 } }` -> `{ 'data.test_size': 0.3 }`; lists stay values. */
export function flattenObject(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out[prefix] = value;
    for (const [key, inner] of entries) flattenObject(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}
