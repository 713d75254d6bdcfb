import { describe, expect, it } from 'vitest';
import { type StepParam, type StepParams, checkParams, configRuleOf, describeRule, paramArgs, readParam, satisfies } from './step-params.js';

const timeout: StepParam = { rule: { type: 'number', exclusiveMinimum: 0, maximum: 86400 }, describe: 'seconds' };
const size: StepParam = { rule: { anyOf: [{ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, { type: 'integer', minimum: 1 }] }, describe: 'fraction or rows' };
const columns: StepParam = { rule: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }, describe: 'columns' };
const name: StepParam = { rule: { type: 'string', minLength: 1 }, describe: 'a column name' };

describe('readParam', () => {
  it.each([
    ['idle_timeout', '30', timeout, 30],
    ['idle_timeout', '0.5', timeout, 0.5],
    ['idle_timeout', ' 1e2 ', timeout, 100],
    ['test_size', '0.25', size, 0.25],
    ['test_size', '120', size, 120],
    ['text_columns', 'title, song_name', columns, ['title', 'song_name']],
    ['text_feature', 'text', name, 'text'],
  ])('reads --%s %j', (param, typed, spec, expected) => {
    expect(readParam(param, typed, spec)).toEqual(expected);
  });

  it.each([
    ['idle_timeout', '0', timeout, '--idle-timeout "0" is out of range; give a number in (0, 86400] (seconds)'],
    ['idle_timeout', '86401', timeout, '--idle-timeout "86401" is out of range'],
    ['idle_timeout', 'abc', timeout, '--idle-timeout "abc" is not a number; give a number in (0, 86400]'],
    ['idle_timeout', '', timeout, '--idle-timeout has no value'],
    ['idle_timeout', 'Infinity', timeout, '--idle-timeout "Infinity" is not a number'],
    ['idle_timeout', '0x1f', timeout, '--idle-timeout "0x1f" is not a number'],
    ['idle_timeout', ['1', '2'], timeout, '--idle-timeout is given 2 times ("1", "2"); give it once'],
    ['test_size', '1.5', size, '--test-size "1.5" is out of range; give a number in (0, 1) or a whole number >= 1 (fraction or rows)'],
    ['val_size', ['0.2', '1'], size, '--val-size is given 2 times ("0.2", "1")'],
    ['text_columns', 'title,', columns, '--text-columns "title," is not allowed; give one or more non-empty names, comma-separated'],
    ['text_columns', '', columns, '--text-columns has no value'],
    ['text_feature', '', name, '--text-feature has no value; give a non-empty text (a column name)'],
  ])('refuses --%s %j, quoting it', (param, typed, spec, message) => {
    expect(() => readParam(param, typed, spec)).toThrow(expect.objectContaining({ exitCode: 2 }));
    let line = '';
    try {
      readParam(param, typed, spec);
    } catch (error) {
      line = (error as { toLine(): string }).toLine();
    }
    expect(line.startsWith(message)).toBe(true);
  });
});

describe('satisfies and describeRule agree with JSON Schema', () => {
  it.each([
    [{ type: 'integer', minimum: 0, maximum: 20 } as const, [0, 20, 3], [-1, 21, 1.5, Number.NaN, '3'], 'a whole number in [0, 20]'],
    [{ type: 'number', minimum: 0, exclusiveMaximum: 1 } as const, [0, 0.999], [1, -0.001], 'a number in [0, 1)'],
    [{ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const, [0, 2 ** 53 - 1], [2 ** 53], 'a whole number >= 0'],
    [{ type: 'number', exclusiveMinimum: 0 } as const, [1e-9], [0], 'a number > 0'],
  ])('%j', (rule, good, bad, words) => {
    for (const value of good) expect(satisfies(value, rule), String(value)).toBe(true);
    for (const value of bad) expect(satisfies(value, rule), String(value)).toBe(false);
    expect(describeRule(rule)).toBe(words);
  });
});

describe('a parameter declared once', () => {
  const params = {
    test_size: { ...size, default: 0.3, config: 'data.test_size' },
    stratify: { ...name, nullable: true, default: null, config: 'data.stratify' },
    keep_order: { rule: { type: 'boolean' }, default: false, describe: 'keep the order' },
    columns,
  } satisfies StepParams;

  it('hands config values to a bin as its flags: lists comma-separated, booleans as --x/--no-x, null as "null", absent ones left out', () => {
    expect(paramArgs(params, { test_size: 120, stratify: null, keep_order: true, columns: ['a', 'b'] })).toEqual(['--test-size', '120', '--stratify', 'null', '--keep-order', '--columns', 'a,b']);
    expect(paramArgs(params, { test_size: 0.2, stratify: 'genre', keep_order: false })).toEqual(['--test-size', '0.2', '--stratify', 'genre', '--no-keep-order']);
  });

  it('reads back what it handed over, so the flag and the config key take the same values', () => {
    for (const [flag, typed, value] of [['test_size', '120', 120], ['stratify', 'null', null], ['stratify', 'genre', 'genre']] as const) {
      expect(readParam(flag, typed, params[flag])).toEqual(value);
    }
  });

  it('names both the flag and the config key when a value breaks its rule, from a flag or from a library call', () => {
    expect(() => readParam('test_size', '1.5', params.test_size)).toThrow(/^--test-size \(data\.test_size\) "1\.5" is out of range$/);
    expect(() => checkParams(params, { test_size: 0 })).toThrow(/^--test-size \(data\.test_size\) 0 is not allowed$/);
    expect(() => checkParams(params, { test_size: 0.5, stratify: null, keep_order: true })).not.toThrow();
    expect(() => checkParams(params, { keep_order: 'yes' })).toThrow(/^--keep-order "yes" is not allowed$/);
  });

  it('gives config.yaml the same rule, null allowed where the parameter takes it', () => {
    expect(configRuleOf(params.test_size)).toEqual({ description: 'must be a number in (0, 1) or a whole number >= 1', ...size.rule });
    expect(configRuleOf(params.stratify)).toMatchObject({ type: ['string', 'null'], minLength: 1 });
  });
});
