import { describe, expect, it } from 'vitest';
import { compareSortValues, lineagePath, pageWindow, rowMatches } from './client-logic.js';
import { pageScript } from './page-script.js';

describe('the runs table logic', () => {
  const sort = (values: string[], ascending: boolean) => [...values].sort((a, b) => compareSortValues(a, b, ascending));

  it('sorts numbers by value and text by locale, with empty cells last both ways', () => {
    expect(sort(['10', '', '9', '112233', '-1'], true)).toEqual(['-1', '9', '10', '112233', '']);
    expect(sort(['10', '', '9', '112233', '-1'], false)).toEqual(['112233', '10', '9', '-1', '']);
    expect(sort(['finished', 'failed', '', 'crashed'], true)).toEqual(['crashed', 'failed', 'finished', '']);
    expect(sort(['b', '2', 'a'], true)).toEqual(['2', 'a', 'b']);
  });

  it('filters on status, group and step, and searches every word of the query', () => {
    const row = { status: 'failed', group: 'dev', steps: ['download', 'check_data'], text: 'run 1 data.file_url=drifted.csv' };
    const all = { status: '', group: '', step: '', query: '' };
    expect(rowMatches(row, all)).toBe(true);
    expect(rowMatches(row, { ...all, status: 'failed', group: 'dev', step: 'check_data' })).toBe(true);
    expect(rowMatches(row, { ...all, status: 'finished' })).toBe(false);
    expect(rowMatches(row, { ...all, group: 'prod' })).toBe(false);
    expect(rowMatches(row, { ...all, step: 'segregate' })).toBe(false);
    expect(rowMatches(row, { ...all, query: '  DRIFTED  run ' })).toBe(true);
    expect(rowMatches(row, { ...all, query: 'drifted segregate' })).toBe(false);
  });

  it('pages rows, keeping the page within range', () => {
    expect(pageWindow(33, 20, 0)).toEqual({ page: 0, pages: 2, start: 0, end: 20 });
    expect(pageWindow(33, 20, 1)).toEqual({ page: 1, pages: 2, start: 20, end: 33 });
    expect(pageWindow(33, 20, 5)).toEqual({ page: 1, pages: 2, start: 20, end: 33 });
    expect(pageWindow(0, 20, -1)).toEqual({ page: 0, pages: 1, start: 0, end: 0 });
  });
});

describe('lineagePath', () => {
  // source -> raw -> clean -> {train, check}; ref -> check; other -> unrelated
  const edges = [
    { from: 'source', to: 'raw' },
    { from: 'raw', to: 'clean' },
    { from: 'clean', to: 'train' },
    { from: 'clean', to: 'check' },
    { from: 'ref', to: 'check' },
    { from: 'other', to: 'unrelated' },
  ];

  it('holds everything upstream and downstream of the node, and only the edges along the way', () => {
    const path = lineagePath(edges, 'clean');
    expect(path.nodes.sort()).toEqual(['check', 'clean', 'raw', 'source', 'train']);
    expect(path.edges).toEqual([0, 1, 2, 3]);
  });

  it('takes both inputs of a node upstream, not their other outputs', () => {
    const path = lineagePath([...edges, { from: 'ref', to: 'elsewhere' }], 'check');
    expect(path.nodes.sort()).toEqual(['check', 'clean', 'raw', 'ref', 'source']);
    expect(path.edges).toEqual([0, 1, 3, 4]);
  });

  it('is the node alone when it has no edges', () => {
    expect(lineagePath(edges, 'lonely')).toEqual({ nodes: ['lonely'], edges: [] });
  });
});

describe('pageScript', () => {
  it('inlines the tested functions as they are, in a script that parses', () => {
    const script = pageScript();
    expect(script).toContain(compareSortValues.toString());
    expect(script).toContain(lineagePath.toString());
    expect(() => new Function(script)).not.toThrow();
  });
});
