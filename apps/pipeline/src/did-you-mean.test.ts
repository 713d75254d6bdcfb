import { describe, expect, it } from 'vitest';
import { closestMatch, dottedKeys, editDistance } from './did-you-mean.js';

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit (optimal string alignment)', () => {
    expect(editDistance('tset_size', 'test_size')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest key only when it is close enough to be a typo', () => {
    const keys = dottedKeys({ data: { test_size: 0.3, val_size: 0.3, stratify: 'genre' }, main: { random_seed: 1 } });
    expect(keys).toEqual(['data', 'data.test_size', 'data.val_size', 'data.stratify', 'main', 'main.random_seed']);
    expect(closestMatch('data.tset_size', keys)).toBe('data.test_size');
    expect(closestMatch('dta.stratify', keys)).toBe('data.stratify');
    expect(closestMatch('main.random_sed', keys)).toBe('main.random_seed');
    expect(closestMatch('data.shuffle', keys)).toBeUndefined();
    expect(closestMatch('data.test_size', keys)).toBeUndefined();
    expect(closestMatch('chek', ['download', 'preprocess', 'check_data', 'segregate'])).toBe('check_data');
    expect(closestMatch('chk', ['download', 'preprocess', 'check_data', 'segregate'])).toBeUndefined();
  });
});
