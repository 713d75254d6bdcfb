import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride } from './overrides.js';

const base = { main: { execute_steps: ['download'], random_seed: 1 }, data: { test_size: 0.3, stratify: 'genre' } };
const apply = (...texts: string[]) => applyOverrides(base, texts.map(parseOverride)) as typeof base & Record<string, unknown>;

describe('Hydra-style overrides', () => {
  it('sets an existing key with the value typed as YAML types it', () => {
    expect(apply('data.test_size=0.2').data).toEqual({ test_size: 0.2, stratify: 'genre' });
    expect(apply('data.stratify=null').data.stratify).toBeNull();
    expect(apply("data.stratify='0.2'").data.stratify).toBe('0.2');
    expect(apply('data.stratify=').data.stratify).toBe('');
  });

  it('reads [a,b] and a,b as lists', () => {
    expect(apply('main.execute_steps=[download,preprocess]').main.execute_steps).toEqual(['download', 'preprocess']);
    expect(apply('main.execute_steps=download,preprocess').main.execute_steps).toEqual(['download', 'preprocess']);
    expect((apply('data.stratify=http://host/a,b.csv').data as Record<string, unknown>).stratify).toBe('http://host/a,b.csv');
  });

  it('adds with +, adds or sets with ++, deletes with ~', () => {
    expect((apply('+data.sha256=abc').data as Record<string, unknown>).sha256).toBe('abc');
    expect(apply('++data.test_size=0.5', '++data.val_size=0.1').data).toMatchObject({ test_size: 0.5, val_size: 0.1 });
    expect(apply('~data.stratify').data).toEqual({ test_size: 0.3 });
    expect((apply('+extra.key=1') as Record<string, unknown>).extra).toEqual({ key: 1 });
  });

  it('does not change the config it was given', () => {
    apply('data.test_size=0.9');
    expect(base.data.test_size).toBe(0.3);
  });

  it.each([
    ['data.test_size', /has no "=" and no value/],
    ['=3', /has no key before "="/],
    ['a..b=1', /invalid key "a..b" \(an empty part between dots\)/],
    ['data.tset_size=0.2', /no such key.*write \+data.tset_size=0.2/],
    ['+data.test_size=0.2', /already has it.*write data.test_size=0.2/],
    ['~data.nothing', /cannot delete data.nothing/],
    ['data.test_size.x=1', /data.test_size is not a section/],
    ['data.stratify=[a', /does not parse/],
  ])('rejects %j clearly', (text, message) => {
    let error: { exitCode: number; toLine(): string } | undefined;
    try {
      apply(text);
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.toLine()).toMatch(message);
    expect(error?.exitCode).toBe(2);
  });
});
