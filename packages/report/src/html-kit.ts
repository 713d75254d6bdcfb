import { formatValue } from './format.js';

/** Text for an HTML element. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** Text for a quoted HTML attribute. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isListOfObjects(value: unknown): value is Array<Record<string, unknown>> {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject) && value.every((item) => Object.values(item).every((v) => !isPlainObject(v)));
}

/**
 * Any record as a readable table, never as raw JSON: a row per key; an object value (such as
 * `per_class`) becomes a table of its own in that row, and a list of flat objects a table with
 * a column per key.
 */
export function valueTable(record: Record<string, unknown>, options: { caption?: string; className?: string } = {}): string {
  const rows = Object.entries(record).map(([key, value]) => `<tr><th scope="row">${escapeText(key)}</th><td>${valueCell(value)}</td></tr>`);
  const caption = options.caption ? `<caption>${escapeText(options.caption)}</caption>` : '';
  return `<table class="kv${options.className ? ` ${options.className}` : ''}">${caption}<tbody>${rows.join('')}</tbody></table>`;
}

function valueCell(value: unknown): string {
  const parsed = jsonObjectText(value);
  if (parsed) return valueTable(parsed, { className: 'nested' });
  if (isPlainObject(value)) return Object.keys(value).length === 0 ? '-' : valueTable(value, { className: 'nested' });
  if (isListOfObjects(value)) return listTable(value);
  return escapeText(formatValue(value));
}

/**
 * A run records its flags as given, and some flags carry JSON text (check_data's `--checks-json`
 * from `mldp run`): such a value reads better as the table of the object it holds.
 */
function jsonObjectText(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || !value.startsWith('{') || !value.endsWith('}')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isPlainObject(parsed) && Object.keys(parsed).length > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Flat objects as a table with a column per key (in order of first appearance). */
export function listTable(items: Array<Record<string, unknown>>): string {
  const keys = [...new Set(items.flatMap((item) => Object.keys(item)))];
  const head = keys.map((key) => `<th scope="col">${escapeText(key)}</th>`).join('');
  const body = items.map((item) => `<tr>${keys.map((key) => `<td>${key in item ? escapeText(formatValue(item[key])) : ''}</td>`).join('')}</tr>`);
  return `<div class="scroll"><table class="nested"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}
