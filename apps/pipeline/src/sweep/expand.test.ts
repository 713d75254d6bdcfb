import { describe, expect, it } from 'vitest';
import { keepsAsList } from '../config.js';
import { expandSweep } from './expand.js';

const jobs = (...texts: string[]) => expandSweep(texts, keepsAsList).map((job) => job.overrides.join(' '));

describe("the jobs of a sweep, in Hydra's basic-sweeper order", () => {
  it('is the cartesian product, the first override varying slowest', () => {
    // hydra/_internal/core_plugins/basic_sweeper.py: "a=1,2,3 b=10,20" gives 1,10 1,20 2,10 2,20 3,10 3,20.
    expect(jobs('a=1,2,3', 'b=10,20')).toEqual(['a=1 b=10', 'a=1 b=20', 'a=2 b=10', 'a=2 b=20', 'a=3 b=10', 'a=3 b=20']);
    expect(jobs('a=range(1,4)', 'b=10,20')).toEqual(jobs('a=1,2,3', 'b=10,20'));
    expect(expandSweep(['a=1,2'], keepsAsList).map((job) => job.num)).toEqual([0, 1]);
  });

  it('keeps other overrides as given in every job, and a later override of a key in the earlier place', () => {
    expect(jobs('x=1', 'a=1,2', 'x=2')).toEqual(['x=2 a=1', 'x=2 a=2']);
    expect(jobs('+x=1,2', 'x=3')).toEqual(['+x=1 x=3', '+x=2 x=3']);
    expect(jobs("k='a b'", 'y=[1, 2]')).toEqual(["k='a b' y=[1, 2]"]);
  });

  it('writes each value as Hydra does: floats with .0, quoted strings quoted, specials escaped', () => {
    expect(jobs('a=float(range(1,3))')).toEqual(['a=1.0', 'a=2.0']);
    expect(jobs("a='x y',b\\,c")).toEqual(["a='x y'", 'a=b\\,c']);
    expect(jobs('a=[1,2],[3]')).toEqual(['a=[1,2]', 'a=[3]']);
    expect(jobs('a=sort(range(0,1,0.25),reverse=true)')).toEqual(['a=0.75', 'a=0.5', 'a=0.25', 'a=0.0']);
    expect(jobs('+a@pkg=1,2')).toEqual(['+a@pkg=1', '+a@pkg=2']);
  });

  it('leaves the list convenience of list-typed keys alone', () => {
    expect(jobs('main.execute_steps=download,preprocess', 'a=1,2')).toEqual(['main.execute_steps=download,preprocess a=1', 'main.execute_steps=download,preprocess a=2']);
    expect(jobs('main.execute_steps=[download],[preprocess]')).toEqual(['main.execute_steps=[download]', 'main.execute_steps=[preprocess]']);
  });

  it('refuses what cannot be enumerated', () => {
    expect(() => jobs('a=interval(0,1)')).toThrow(/is an interval\(\), which the basic sweeper cannot enumerate/);
    expect(() => jobs('a=range(0)')).toThrow(/sweeps over no values/);
    expect(() => jobs('a=range(1,5,0)')).toThrow(/cannot be swept: range\(\) arg 3 must not be zero/);
    expect(() => jobs('a=range(0,200)', 'b=range(0,200)')).toThrow(/more than 10000 jobs/);
  });
});
