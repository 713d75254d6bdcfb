import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { ColumnNumbers, isSpilled, loadColumn, sortSpilledColumn } from './column-spill.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** What check_data reads of a column: its numbers, finite ones ascending, NaN last. */
function collected(values: Float64Array, name: string): { values: Float64Array; spilled: boolean } {
  const numbers = new ColumnNumbers(`${dir.path}/${name}.f64`);
  for (const value of values) numbers.push(value);
  const stored = numbers.finish();
  if (isSpilled(stored)) sortSpilledColumn(stored);
  return { values: loadColumn(stored), spilled: isSpilled(stored) };
}

describe('a column of numbers, counted or spilled', () => {
  it.each([
    ['a few repeated values, with -0, 0 and NaN', 50_000, 12, false],
    ['many repeats of ~30k values (counted)', 300_000, 30_000, false],
    ['more distinct values than are counted (spilled)', 300_000, 200_000, true],
  ])('%s give the sorted numbers', (_case, n, distinct, spilled) => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const values = new Float64Array(n).map(() => Math.round((random() - 0.3) * distinct) / 1000);
    for (let i = 0; i < n; i += 997) values[i] = [Number.NaN, -0, 0, 1e300, -Infinity][i % 5];
    const result = collected(values, `c${n}-${distinct}`);
    expect(result.spilled).toBe(spilled);
    const expected = values.slice().sort();
    expect(result.values.length).toBe(n);
    for (let i = 0; i < n; i++) if (!Object.is(result.values[i], expected[i])) expect([i, result.values[i]]).toEqual([i, expected[i]]);
  });
});
