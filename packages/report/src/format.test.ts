import { describe, expect, it } from 'vitest';
import { flattenObject, formatBytes, formatNumber, formatSeconds, formatValue } from './format.js';
import { valueTable } from './html-kit.js';

describe('formatNumber', () => {
  it('shows integers (counts, sizes) exactly', () => {
    expect(formatNumber(2384191)).toBe('2384191');
    expect(formatNumber(912625)).toBe('912625');
    expect(formatNumber(-3)).toBe('-3');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
  });

  it('rounds other numbers to 6 significant digits, keeping every digit before the point and a point', () => {
    expect(formatNumber(0.670600992615437)).toBe('0.670601');
    expect(formatNumber(0.005116196891823743)).toBe('0.0051162');
    expect(formatNumber(12.345678)).toBe('12.3457');
    expect(formatNumber(2384190.6)).toBe('2384190.6');
    expect(formatNumber(3.0000001)).toBe('3.0');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0.25)).toBe('-0.25');
  });

  it('writes tiny numbers and non-finite ones readably', () => {
    expect(formatNumber(1.83e-6)).toBe('1.83e-6');
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('-∞');
  });
});

describe('formatBytes, formatSeconds, formatValue, flattenObject', () => {
  it('gives bytes exactly with a binary size beside them', () => {
    expect(formatBytes(100)).toBe('100 B');
    expect(formatBytes(2384191)).toBe('2384191 B (2.27 MiB)');
    expect(formatBytes(912625)).toBe('912625 B (891.2 KiB)');
  });

  it('gives durations in seconds, minutes or hours', () => {
    expect(formatSeconds(0.42)).toBe('0.4 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(3720)).toBe('1 h 2 min');
  });

  it('shows values as a reader writes them, lists joined, never JSON for flat values', () => {
    expect(formatValue('songs.csv')).toBe('songs.csv');
    expect(formatValue(['title', 'song_name'])).toBe('title, song_name');
    expect(formatValue(null)).toBe('null');
    expect(formatValue([])).toBe('-');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(0.3)).toBe('0.3');
  });

  it('flattens nested config to dotted keys, keeping lists as values', () => {
    expect(flattenObject({ data: { test_size: 0.3, cols: ['a'] }, main: { seed: 1 }, empty: {} })).toEqual({ 'data.test_size': 0.3, 'data.cols': ['a'], 'main.seed': 1, empty: {} });
  });
});

describe('valueTable', () => {
  it('shows a flag given as JSON text (check_data --checks-json) as the table of its object', () => {
    const html = valueTable({ checks_json: '{"ranges":{"tempo":[50,250]}}', name: '{not json}' });
    expect(html).toContain('<th scope="row">ranges</th>');
    expect(html).toContain('<th scope="row">tempo</th><td>50, 250</td>');
    expect(html).not.toContain('{&quot;');
    expect(html).toContain('<td>{not json}</td>');
  });
});
