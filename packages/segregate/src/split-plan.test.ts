import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentReporter } from '@mldp/runtime';
import { tempDir } from '@mldp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { orderClasses } from './class-order.js';
import { planSplits } from './split-plan.js';
import { readTableRows } from './table-rows.js';
import { SKLEARN, codeOfSklearnError, idsOf } from './test-support/sklearn-fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe(`splits against scikit-learn ${SKLEARN.sklearn}'s train_test_split`, () => {
  it('has the layouts and cases the fixture script promises', () => {
    expect(SKLEARN.layouts.length).toBeGreaterThanOrEqual(30);
    const cases = SKLEARN.layouts.flatMap((layout) => layout.cases);
    expect(cases.filter((c) => !c.error).length).toBeGreaterThan(500);
    expect(new Set(cases.map((c) => c.seed))).toEqual(new Set([0, 1, 42, 112233, 2 ** 32 - 1]));
    expect(new Set(SKLEARN.layouts.map((layout) => layout.dtype))).toEqual(new Set(['object', 'int64', 'uint64', 'float64', 'bool']));
  });

  it.each(SKLEARN.layouts.map((layout) => [layout.name, layout.dtype, layout]))('%s (%s): every case gives scikit-learn\'s rows in its order, or its refusal', async (name, _, layout) => {
    // The layout's CSV read as segregate reads any CSV: types inferred, labels as pandas types them.
    const path = join(dir.path, `${name}.csv`);
    writeFileSync(path, layout.csv);
    const table = await readTableRows(path, { stratify: 'label', ref: name, workDir: dir.path, reporter: silentReporter });
    const labels = table.labels!;
    for (const expected of layout.cases) {
      const what = `${name} ${JSON.stringify({ seed: expected.seed, test_size: expected.test_size, val_size: expected.val_size, stratify: expected.stratify })}`;
      const plan = () =>
        planSplits({ rows: table.lines.rows, testSize: expected.test_size, valSize: expected.val_size, seed: expected.seed, source: name }, () =>
          expected.stratify ? orderClasses(labels.texts, labels.textOf, labels.type, 'label') : null,
        );
      if (expected.error) {
        let error: unknown;
        try {
          plan();
        } catch (thrown) {
          error = thrown;
        }
        expect(error, what).toMatchObject({ code: codeOfSklearnError(expected.error) });
        expect((error as Error).message.includes('left for train and validation'), what).toBe(expected.error_in === 'val');
        continue;
      }
      const splits = plan();
      expect(idsOf(splits.test), `${what} test`).toEqual(expected.test);
      expect(idsOf(splits.train), `${what} train`).toEqual(expected.train);
      if (expected.val_size) expect(idsOf(splits.val!), `${what} val`).toEqual(expected.val);
      else expect(splits.val).toBeUndefined();
    }
  });
});

describe('the validation split', () => {
  it('names the class scikit-learn would refuse in the rows left after the test split', async () => {
    // a=2, b=40 at test_size 0.3: the rest keeps one "a", and scikit-learn refuses the second split.
    const layout = SKLEARN.layouts.find((l) => l.name === 'val_leaves_one')!;
    const refused = layout.cases.find((c) => c.error_in === 'val')!;
    expect(refused).toBeDefined();
    const path = join(dir.path, 'val.csv');
    writeFileSync(path, layout.csv);
    const { lines, labels } = await readTableRows(path, { stratify: 'label', ref: 'val.csv', workDir: dir.path, reporter: silentReporter });
    expect(() =>
      planSplits({ rows: lines.rows, testSize: refused.test_size, valSize: refused.val_size, seed: refused.seed, source: 'val.csv' }, () => orderClasses(labels!.texts, labels!.textOf, labels!.type, 'label')),
    ).toThrow(/^stratifying the \d+ rows left for train and validation after the test split needs at least 2 rows per class, but the class "a" has 1$/);
  });
});

describe('keeping the input order', () => {
  it('holds the same rows per split as scikit-learn, sorted by row', async () => {
    const layout = SKLEARN.layouts.find((l) => l.name === 'a7_b15')!;
    const path = join(dir.path, 'a7.csv');
    writeFileSync(path, layout.csv);
    const { lines, labels } = await readTableRows(path, { stratify: 'label', ref: 'a7.csv', workDir: dir.path, reporter: silentReporter });
    const expected = layout.cases.find((c) => c.stratify && c.val_size && !c.error)!;
    const plan = planSplits({ rows: lines.rows, testSize: expected.test_size, valSize: expected.val_size, seed: expected.seed, source: 'a7.csv', keepInputOrder: true }, () =>
      orderClasses(labels!.texts, labels!.textOf, labels!.type, 'label'),
    );
    for (const split of ['train', 'test', 'val'] as const) expect(Array.from(plan[split]!)).toEqual([...(expected[split] as number[])].sort((a, b) => a - b));
  });
});
