import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride } from './overrides.js';

const base = {
  main: { execute_steps: ['download'], random_seed: 1 },
  data: { test_size: 0.3, stratify: 'genre', sha256: null as string | null },
  checks: { ranges: { tempo: [50, 250] }, known: { genre: ['Rap', 'Pop'] } },
};
const apply = (...texts: string[]) => applyOverrides(base, texts.map(parseOverride)) as typeof base & Record<string, any>;

function failure(...texts: string[]): { line: string; exitCode: number } {
  try {
    apply(...texts);
  } catch (error) {
    const e = error as { toLine(): string; exitCode: number };
    return { line: e.toLine(), exitCode: e.exitCode };
  }
  throw new Error(`${texts.join(' ')} was accepted`);
}

describe('applying overrides with Hydra\'s rules', () => {
  it('changes existing keys with typed values', () => {
    expect(apply('data.test_size=0.2').data).toEqual({ test_size: 0.2, stratify: 'genre', sha256: null });
    expect(apply('data.stratify=null').data.stratify).toBeNull();
    expect(apply("data.stratify='0.2'").data.stratify).toBe('0.2');
    expect(apply('data.stratify=').data.stratify).toBe('');
    expect(apply("data.stratify='#genre'").data.stratify).toBe('#genre');
    expect(() => apply('data.stratify=#genre')).toThrow(/unexpected "#"/);
    expect(apply('main.execute_steps=[download,preprocess]').main.execute_steps).toEqual(['download', 'preprocess']);
  });

  it('indexes lists with numbers in the key', () => {
    expect(apply('checks.ranges.tempo.1=300').checks.ranges.tempo).toEqual([50, 300]);
    expect(apply('~checks.known.genre.0').checks.known.genre).toEqual(['Pop']);
    expect(failure('checks.ranges.tempo.2=1').line).toMatch(/cannot override checks.ranges.tempo.2: the config has no such key/);
  });

  it('merges a dict into a dict, and needs ++ for keys the dict does not have', () => {
    expect(apply('data={test_size:0.5}').data).toEqual({ test_size: 0.5, stratify: 'genre', sha256: null });
    expect(apply('checks={ranges:{tempo:[1,2]}}').checks).toEqual({ ranges: { tempo: [1, 2] }, known: { genre: ['Rap', 'Pop'] } });
    expect(failure('data={test_sise:0.5}').line).toBe('cannot override data: data.test_sise is not in the config (did you mean data.test_size?)');
    expect(failure('data={shuffle:true}').line).toBe('cannot override data: data.shuffle is not in the config; to add keys, write ++data={shuffle:true}');
    expect(apply('++data={val_size:0.1}').data).toMatchObject({ test_size: 0.3, val_size: 0.1 });
  });

  it('adds with +, also over a null value or into a dict, and adds or sets with ++', () => {
    expect(apply('+data.url=abc').data).toMatchObject({ url: 'abc' });
    expect(apply('+data.sha256=abc').data.sha256).toBe('abc');
    expect(apply('+extra.key=1').extra).toEqual({ key: 1 });
    expect(apply('+data={val_size:0.1}').data).toMatchObject({ test_size: 0.3, val_size: 0.1 });
    expect(apply('++data.test_size=0.5', '++data.val_size=0.1').data).toMatchObject({ test_size: 0.5, val_size: 0.1 });
    expect(failure('+data.test_size=0.2').line).toMatch(/cannot add data.test_size: the config already has it \(0.3\); to change it, write data.test_size=0.2; to add or change, write \+\+data.test_size=0.2/);
  });

  it('deletes with ~key, and with ~key=value only when the value matches', () => {
    expect(apply('~data.stratify').data).toEqual({ test_size: 0.3, sha256: null });
    expect(apply('~data.stratify=genre').data).toEqual({ test_size: 0.3, sha256: null });
    expect(apply('~data.sha256=null').data).toEqual({ test_size: 0.3, stratify: 'genre' });
    expect(apply('~checks.ranges.tempo=[50,250]').checks.ranges).toEqual({});
    expect(failure('~data.stratify=artist').line).toMatch(/cannot delete data.stratify: its value is "genre", not "artist"; to delete it whatever its value, write ~data.stratify/);
    expect(failure('~data.test_size=0.4').line).toMatch(/its value is 0.3, not 0.4/);
    expect(failure('~data.stratify=').line).toMatch(/its value is "genre", not ""/);
  });

  it('appends to a list with extend_list()', () => {
    expect(apply('main.execute_steps=extend_list(preprocess,check_data)').main.execute_steps).toEqual(['download', 'preprocess', 'check_data']);
    expect(failure('data.test_size=extend_list(1)').line).toMatch(/cannot extend data.test_size: its value 0.3 is not a list/);
  });

  it('does not change the config it was given', () => {
    apply('data.test_size=0.9', 'main.execute_steps=extend_list(x)', '~data.stratify');
    expect(base.data).toEqual({ test_size: 0.3, stratify: 'genre', sha256: null });
    expect(base.main.execute_steps).toEqual(['download']);
  });

  it('never reaches an object prototype', () => {
    expect(failure('~__proto__.toString').line).toMatch(/uses "__proto__" as a key/);
    expect(failure('++__proto__.valueOf=1').line).toMatch(/uses "__proto__" as a key/);
    expect(failure('+constructor.x=1').line).toMatch(/uses "constructor" as a key/);
    expect(failure('++data={__proto__:{polluted:1}}').line).toMatch(/uses "__proto__" as a dict key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(failure('~toString').line).toMatch(/cannot delete toString: the config has no such key/);
    expect(failure('hasOwnProperty=1').line).toMatch(/cannot override hasOwnProperty: the config has no such key/);
  });

  it.each([
    [['data.test_size'], /override "data.test_size" is not valid at column 15: expected "=", found the end/],
    [['=3'], /override "=3" has no key before "="/],
    [['a..b=1'], /override "a..b=1" has an unexpected "\." at column 2 in the key/],
    [['data.tset_size=0.2'], /^cannot override data.tset_size: the config has no such key \(did you mean data.test_size\?\); write data.test_size=0.2$/],
    [['data.shuffle=true'], /^cannot override data.shuffle: the config has no such key; to add it, write \+data.shuffle=true$/],
    [['dta.stratify=x'], /^cannot apply "dta.stratify=x": dta does not exist \(did you mean data.stratify\?\); write data.stratify=x$/],
    [['~data.stratfy'], /^cannot delete data.stratfy: the config has no such key \(did you mean data.stratify\?\); write ~data.stratify$/],
    [['checks.ranges.tempp=[1,2]'], /did you mean checks.ranges.tempo\?/],
    [['data={tset_size:0.2}'], /^cannot override data: data.tset_size is not in the config \(did you mean data.test_size\?\)$/],
    [['data.tset_size=0.2', 'data.stratfy=x', 'main.random_sed=1'], /^the overrides have 3 problems:$/],
    [['~data.nothing'], /cannot delete data.nothing/],
    [['data.test_size.x=1'], /data.test_size is not a section or a list/],
    [['data.nothing.x=1'], /data.nothing does not exist; to add it, write \+data.nothing.x=1/],
    [['data.stratify=[a'], /override "data.stratify=\[a" is not valid at column 17: expected "," or "\]", found the end/],
    [['db@pkg=mysql'], /override "db@pkg=mysql" looks like a config group override, but mldp has no config groups/],
    [['server/db=mysql'], /looks like a config group override/],
    [['data.test_size=0.2,0.3'], /override "data.test_size=0.2,0.3" is a sweep; sweeps need --multirun/],
    [['data.test_size=range(1,3)'], /is a sweep; sweeps need --multirun/],
  ])('rejects %j on one line with exit code 2', (texts, message) => {
    const { line, exitCode } = failure(...texts);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
    expect(exitCode).toBe(2);
  });
});
