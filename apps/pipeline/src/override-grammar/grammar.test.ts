/**
 * Hydra's results for its override grammar, written from hydra/grammar/*.g4, the visitor and
 * grammar functions, tests/test_overrides_parser.py and the "Basic/Extended Override syntax"
 * pages (Hydra's Python package is not installable here). Where mldp differs on purpose, the
 * row says so and the README names it.
 */
import { describe, expect, it } from 'vitest';
import { ChoiceSweep, IntervalSweep, OverrideError, RangeSweep, parseOverride } from './index.js';

type Expected =
  | { value: unknown }
  | { choice: unknown[]; simpleForm: boolean; tags: string[]; shuffle: boolean; texts?: string[] }
  | { range: [number, number, number]; integer: boolean; tags: string[]; shuffle: boolean; items?: string[] }
  | { interval: [number, number]; tags: string[] }
  | { error: RegExp };

const v = (value: unknown): Expected => ({ value });
const simple = (list: unknown[], more: { tags?: string[]; shuffle?: boolean; texts?: string[] } = {}): Expected => ({ choice: list, simpleForm: true, tags: more.tags ?? [], shuffle: more.shuffle ?? false, ...(more.texts ? { texts: more.texts } : {}) });
const choice = (list: unknown[], more: { tags?: string[]; shuffle?: boolean; texts?: string[] } = {}): Expected => ({ ...simple(list, more), simpleForm: false }) as Expected;
const range = (start: number, stop: number, step: number, more: { integer?: boolean; tags?: string[]; shuffle?: boolean; items?: string[] } = {}): Expected => ({
  range: [start, stop, step],
  integer: more.integer ?? true,
  tags: more.tags ?? [],
  shuffle: more.shuffle ?? false,
  ...(more.items ? { items: more.items } : {}),
});
const floats = (start: number, stop: number, step: number, more: { items?: string[]; tags?: string[] } = {}): Expected => range(start, stop, step, { ...more, integer: false });
const interval = (start: number, end: number, tags: string[] = []): Expected => ({ interval: [start, end], tags });
const fails = (error: RegExp): Expected => ({ error });

const UNQUOTED_SPECIAL = '/-\\+.$%*@?|';
const ESCAPED_SPECIALS = '\\\\\\(\\)\\[\\]\\{\\}\\:\\=\\ \\\t\\,';

/** [value after "key=", Hydra's result] */
const VALUES: [string, Expected][] = [
  // The eight examples of issue #19.
  ['{a:10}', v({ a: 10 })],
  ['#genre', fails(/unexpected "#" at column 5/)], // Hydra's lexer has no "#" outside quotes: '#genre' is the string
  ["'#genre'", v('#genre')],
  ['0x10', v('0x10')],
  ['"data\\new"', v('data\\new')],
  ['song\\,name', v('song,name')],
  ['inf', v(Infinity)],
  ['nan', v(NaN)],
  ['10_0', v(100)],
  ['int(10.0)', v(10)],
  ['sort([2,3,1])', v([1, 2, 3])],
  ['choice(1,2,3)', choice([1, 2, 3])],

  // test_element / test_primitive: ids and unquoted strings.
  ['abc', v('abc')],
  ['abc123', v('abc123')],
  ['abc-123', v('abc-123')],
  ['a b c\t-\t1 2 3', v('a b c\t-\t1 2 3')],
  [' abc-123 ', v('abc-123')],
  ['123abc', v('123abc')],
  ['10abc', v('10abc')],
  ['abc10', v('abc10')],
  ['a.b.c', v('a.b.c')],
  ['list.0.bar', v('list.0.bar')],
  ['0.foo', v('0.foo')],
  ['abc-cde', v('abc-cde')],
  ['.', v('.')],
  [UNQUOTED_SPECIAL, v(UNQUOTED_SPECIAL)],
  ['c:\\foo\\a-b.txt', v('c:\\foo\\a-b.txt')],
  ['1___0___', v('1___0___')],
  ['007', v('007')],
  ['1.5.2', v('1.5.2')],
  ['1__0', v('1__0')],
  ['infinity', v('infinity')],
  ['true_ish', v('true_ish')],
  ['nullable', v('nullable')],
  ['+-1', v('+-1')],
  ['--foo', v('--foo')],
  ['/data/genres_mod1.parquet', v('/data/genres_mod1.parquet')],
  ['http://host:8080/a.csv', v('http://host:8080/a.csv')],
  ['s3://bucket/prefix/x.csv', v('s3://bucket/prefix/x.csv')],
  ['a@b.com', v('a@b.com')],
  ['50%', v('50%')],
  ['*.csv', v('*.csv')],
  ['a|b', v('a|b')],
  ['what?', v('what?')],
  ['value-1.0', v('value-1.0')],
  ['value-true', v('value-true')],

  // Escapes in unquoted strings.
  ['a\\,b', v('a,b')],
  ['a\\:b', v('a:b')],
  ['a\\=b', v('a=b')],
  ['\\ ab', v(' ab')],
  ['ab\\\t', v('ab\t')],
  ['ab\\\\', v('ab\\')],
  ['\\,', v(',')],
  ['f\\(a\\, b\\)', v('f(a, b)')],
  ['\\[a\\, b\\]', v('[a, b]')],
  ['\\{a\\: b\\}', v('{a: b}')],
  ['$\\{foo.bar\\}', v('${foo.bar}')],
  ['job\\{a\\=1\\,b\\=2\\,c\\=3\\}', v('job{a=1,b=2,c=3}')],
  ['A\\[B', v('A[B')],
  [ESCAPED_SPECIALS, v('\\()[]{}:= \t,')],

  // Interpolations are kept as text.
  ['xyz_${a.b.c}', v('xyz_${a.b.c}')],
  ['${f:USER,root}', v('${f:USER,root}')],
  ['${f.g:USER,root}', v('${f.g:USER,root}')],
  ['${a}', v('${a}')],
  ['${a.b.c}', v('${a.b.c}')],
  ['${foo:a}', v('${foo:a}')],
  ['${foo:1,2,3}', v('${foo:1,2,3}')],
  ['${foo:[1,2,3]}', v('${foo:[1,2,3]}')],
  ['${a}${b}', v('${a}${b}')],
  ['/root/${name}', v('/root/${name}')],
  ['"${get_dir: {root: /root, name: ${name}}}"', v('${get_dir: {root: /root, name: ${name}}}')],

  // null, ints, floats, bools (case-insensitive constants).
  ['null', v(null)],
  ['NULL', v(null)],
  ['Null', v(null)],
  ['0', v(0)],
  ['1', v(1)],
  ['+1', v(1)],
  ['-1', v(-1)],
  ['-0', v(0)],
  ['10', v(10)],
  ['1_000_000', v(1000000)],
  ['0.0', v(0)],
  ['0.51', v(0.51)],
  ['1e-05', v(1e-5)],
  ['-3.14', v(-3.14)],
  ['3.1_4', v(3.14)],
  ['10e0', v(10)],
  ['-10e1', v(-100)],
  ['1e3', v(1000)],
  ['1E3', v(1000)],
  ['1.', v(1)],
  ['.5', v(0.5)],
  ['1.5e-3', v(0.0015)],
  ['INF', v(Infinity)],
  ['+inf', v(Infinity)],
  ['-inf', v(-Infinity)],
  ['NaN', v(NaN)],
  ['true', v(true)],
  ['True', v(true)],
  ['TRUE', v(true)],
  ['trUe', v(true)],
  ['false', v(false)],
  ['False', v(false)],
  ['FALSE', v(false)],
  ['faLse', v(false)],
  ['', v('')],

  // Quoted strings: only backslashes before a quote of the same kind are escapes.
  ["'foo \\'bar'", v("foo 'bar")],
  ['"foo \\"bar"', v('foo "bar')],
  ["'foo \\\\\\'bar'", v("foo \\'bar")],
  ['"foo \\\\\\"bar"', v('foo \\"bar')],
  ["'foo\\bar'", v('foo\\bar')],
  ['"foo\\bar"', v('foo\\bar')],
  ["'foo\\\\bar'", v('foo\\\\bar')],
  ["'foo\\\\\\\\bar'", v('foo\\\\\\\\bar')],
  ["'foo bar\\\\'", v('foo bar\\')],
  ["'foo \\\\\\\\\\'bar\\' \\\\\\\\\\\\'", v("foo \\\\'bar' \\\\\\")],
  ["'\t []{},=+~'", v('\t []{},=+~')],
  ['"\t []{},=+~"', v('\t []{},=+~')],
  ["'a b c'", v('a b c')],
  ["'a,b'", v('a,b')],
  ["'[1,2,3]'", v('[1,2,3]')],
  ['"[1,\'2\',3]"', v("[1,'2',3]")],
  ["'null'", v('null')],
  ["'100'", v('100')],
  ["'3.14'", v('3.14')],
  ["'nan'", v('nan')],
  ["'inf'", v('inf')],
  ["'true'", v('true')],
  ["'a ${b}'", v('a ${b}')],
  ["'a \\${b}'", v('a \\${b}')],
  ["'a \\'\\${b}\\''", v("a '\\${b}'")],
  ["'a \\\\${b}'", v('a \\\\${b}')],
  ["'${foo:\\'b,a,r\\'}'", v("${foo:'b,a,r'}")],
  ["'שלום'", v('שלום')],
  ['""', v('')],
  ["'\\\\'", v('\\')],
  ['"abc\\\\\\"def\\\\\\\'ghi\\\\\\\\"', v('abc\\"def\\\\\\\'ghi\\\\')],
  ['"the path is C:\\\\\\"some folder\\"\\\\"', v('the path is C:\\"some folder"\\')],
  ['"{a:10} ${xyz}"', v('{a:10} ${xyz}')],
  ['"a\nb"', v('a\nb')],

  // Lists and dicts.
  ['[]', v([])],
  ['[1]', v([1])],
  ['[1,2,3]', v([1, 2, 3])],
  ['[1 ]', v([1])],
  ['[1, 2, 3]', v([1, 2, 3])],
  ["['a b']", v(['a b'])],
  ["['[a,b]']", v(['[a,b]'])],
  ['[[a]]', v([['a']])],
  ['[[[a]]]', v([[['a']]])],
  ['[1,[a]]', v([1, ['a']])],
  ["['a\\\\', 'b\\\\']", v(['a\\', 'b\\'])],
  ['["a\\\\", "b\\\\"]', v(['a\\', 'b\\'])],
  ["['a b', 2, 3]", v(['a b', 2, 3])],
  ['[a,[b,[c]]]', v(['a', ['b', ['c']]])],
  ['{}', v({})],
  ['{a:b}', v({ a: 'b' })],
  ['{a:[a,10]}', v({ a: ['a', 10] })],
  ['{a:[true,10]}', v({ a: [true, 10] })],
  ['{a:10,b:20}', v({ a: 10, b: 20 })],
  ['{a:10,b:{}}', v({ a: 10, b: {} })],
  ['{a:10,b:{c:[1,2]}}', v({ a: 10, b: { c: [1, 2] } })],
  ['{a: 10}', v({ a: 10 })],
  ['{user:root,pass:1234}', v({ user: 'root', pass: 1234 })],
  ['{123id: 0}', v({ '123id': 0 })],
  ['{w s: 0}', v({ 'w s': 0 })],
  ['{ white  space\t: 2}', v({ 'white  space': 2 })],
  [`{${UNQUOTED_SPECIAL}: 1}`, v({ [UNQUOTED_SPECIAL]: 1 })],
  [`{${ESCAPED_SPECIALS}: 1}`, v({ '\\()[]{}:= \t,': 1 })],
  // Typed keys become the config's string keys, written as YAML writes them.
  ['{null: 1}', v({ null: 1 })],
  ['{123: 1, 0: 2, -1: 3}', v({ 123: 1, 0: 2, '-1': 3 })],
  ['{3.14: 0, 1e3: 1}', v({ '3.14': 0, '1000.0': 1 })],
  ['{true: 1, fAlSe: 0}', v({ true: 1, false: 0 })],
  ['{a_b: 1, ab 123.5 True: 2, null false: 3, 1: 4, null: 5}', v({ a_b: 1, 'ab 123.5 True': 2, 'null false': 3, 1: 4, null: 5 })],
  ["{a: 'a\\\\', b: 'b\\\\'}", v({ a: 'a\\', b: 'b\\' })],
  ['{a:b:c}', v({ a: 'b:c' })],

  // Whitespace.
  [' \tvalue \t', v('value')],
  ['value \t 123', v('value \t 123')],
  ["'  foo,bar\t'", v('  foo,bar\t')],
  ["'foo , \t\t bar'", v('foo , \t\t bar')],
  ['1 ,  2,\t\t3', simple([1, 2, 3])],
  ['choice\t(  1\t\t )', choice([1])],
  ['choice(\t\t1,   2, \t 3 )', choice([1, 2, 3])],
  ['[1  ,\t2\t],[\t3\t   ,4  ]', simple([[1, 2], [3, 4]])],
  ['str(\t  [  1,\t2  ]\t   )', v(['1', '2'])],
  ['hello world', v('hello world')],
  ['    hello world    ', v('hello world')],

  // Simple choice sweeps.
  ['1,2,3', simple([1, 2, 3])],
  ['1, 2, 3', simple([1, 2, 3])],
  ['a,b', simple(['a', 'b'])],
  ['a , b', simple(['a', 'b'])],
  ['a,10,3.14', simple(['a', 10, 3.14], { texts: ['a', '10', '3.14'] })],
  ['${a}, ${b}, ${c}', simple(['${a}', '${b}', '${c}'], { texts: ['$\\{a\\}', '$\\{b\\}', '$\\{c\\}'] })],
  ['[a,b],[c,d]', simple([['a', 'b'], ['c', 'd']])],
  ['"a,b","c,d"', simple(['a,b', 'c,d'], { texts: ['"a,b"', '"c,d"'] })],
  ['{a:10, b:20},{c:30,d:40}', simple([{ a: 10, b: 20 }, { c: 30, d: 40 }], { texts: ['{a:10,b:20}', '{c:30,d:40}'] })],
  ['True,False', simple([true, false], { texts: ['True', 'False'] })],
  ['http://host/a,b.csv', simple(['http://host/a', 'b.csv'])],

  // choice(), and the text each choice is written back as for a job.
  ['choice(a)', choice(['a'])],
  ['choice(a,b)', choice(['a', 'b'])],
  ['choice (a,b)', choice(['a', 'b'])],
  ['choice( 10 , 20 )', choice([10, 20])],
  ['choice(str(10))', choice(['10'])],
  ['choice([1,2],[3,4])', choice([[1, 2], [3, 4]])],
  ["choice('1', '2', '3')", choice(['1', '2', '3'], { texts: ['1', '2', '3'] })],
  ["choice(True, 'True', False, 'False', 'a', 1, 1.1, 2.0, 3, '1.5', '4')", choice([true, 'True', false, 'False', 'a', 1, 1.1, 2, 3, '1.5', '4'], { texts: ['True', 'True', 'False', 'False', 'a', '1', '1.1', '2.0', '3', '1.5', '4'] })],
  ["choice([1,2,3], ['a', 'b'])", choice([[1, 2, 3], ['a', 'b']], { texts: ['[1,2,3]', "['a','b']"] })],
  ["choice([1, 1.1, '2', 'a'], [True, False])", choice([[1, 1.1, '2', 'a'], [true, false]], { texts: ["[1,1.1,'2','a']", '[True,False]'] })],
  ["choice('a b', 'it\\'s')", choice(['a b', "it's"], { texts: ['a\\ b', "it's"] })],

  // range() and interval().
  ['range(10,11)', range(10, 11, 1)],
  ['range (10,11)', range(10, 11, 1)],
  ['range(1,10,2)', range(1, 10, 2, { items: ['1', '3', '5', '7', '9'] })],
  ['range(start=1,stop=10,step=2)', range(1, 10, 2)],
  ['range(10,step=5,stop=20)', range(10, 20, 5)],
  ['range(1.0, 3.14)', floats(1, 3.14, 1, { items: ['1.0', '2.0', '3.0'] })],
  ['range(1.0, 3.14, 0.1)', floats(1, 3.14, 0.1)],
  ['range(10)', range(0, 10, 1)],
  ['range(-10)', range(0, -10, 1, { items: [] })],
  ['range(-10, step=-1)', range(0, -10, -1)],
  ['range(5.5)', floats(0, 5.5, 1, { items: ['0.0', '1.0', '2.0', '3.0', '4.0', '5.0'] })],
  ['range(5.5, step=0.5)', floats(0, 5.5, 0.5)],
  ['range(0,2)', range(0, 2, 1, { items: ['0', '1'] })],
  ['range(0,1,0.1)', floats(0, 1, 0.1, { items: ['0.0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9'] })],
  ['range(0,2,0.5)', floats(0, 2, 0.5, { items: ['0.0', '0.5', '1.0', '1.5'] })],
  ['range(10.0,5.0,-2)', floats(10, 5, -2, { items: ['10.0', '8.0', '6.0'] })],
  ['range(2,0,-1)', range(2, 0, -1, { items: ['2', '1'] })],
  ['interval(10,11)', interval(10, 11)],
  ['interval(2.72,3.14)', interval(2.72, 3.14)],
  ['interval(start=2.72,end=3.14)', interval(2.72, 3.14)],
  ['interval(0,1)', interval(0, 1)],

  // tag().
  ['tag(a,b,choice([1,2],[3,4]))', choice([[1, 2], [3, 4]], { tags: ['a', 'b'] })],
  ['tag(a,b,interval(0,1))', interval(0, 1, ['a', 'b'])],
  ['tag(choice(a,b))', choice(['a', 'b'])],
  ['tag(tag1,tag2,choice(a,b))', choice(['a', 'b'], { tags: ['tag1', 'tag2'] })],
  ['tag(interval(0,2))', interval(0, 2)],
  ['tag(tag1,tag2,interval(0,2))', interval(0, 2, ['tag1', 'tag2'])],
  ['tag(range(1,2))', range(1, 2, 1)],
  ['tag(tag1,tag2,range(1,2))', range(1, 2, 1, { tags: ['tag1', 'tag2'] })],
  ['tag(tag1,tag2,sweep=range(1,2))', range(1, 2, 1, { tags: ['tag1', 'tag2'] })],

  // Casts.
  ['int(10.0)', v(10)],
  ['str(10.0)', v('10.0')],
  ['bool(10.0)', v(true)],
  ['float(10)', v(10)],
  ['float(float(10))', v(10)],
  ['str([1,2])', v(['1', '2'])],
  ['str(10)', v('10')],
  ['str(0.0)', v('0.0')],
  ['str(1e6)', v('1000000.0')],
  ['str(1e-05)', v('1e-05')],
  ['str(1e16)', v('1e+16')],
  ['str(123456.789)', v('123456.789')],
  ['str(inf)', v('inf')],
  ['str(nan)', v('nan')],
  ['str(true)', v('true')],
  ['str(false)', v('false')],
  ["str('')", v('')],
  ["str('10')", v('10')],
  ['str([1,[2]])', v(['1', ['2']])],
  ['str([a,1])', v(['a', '1'])],
  ['str({a:10,b:xyz,c:{d:foo,f:[1,2,{g:0}]}})', v({ a: '10', b: 'xyz', c: { d: 'foo', f: ['1', '2', { g: '0' }] } })],
  ['int(10)', v(10)],
  ['int(0)', v(0)],
  ['int(1e6)', v(1000000)],
  ["int('10')", v(10)],
  ['int(true)', v(1)],
  ['int(false)', v(0)],
  ['int([0,1,2])', v([0, 1, 2])],
  ['int({a:10})', v({ a: 10 })],
  ['int(10.9)', v(10)],
  ['int(-10.9)', v(-10)],
  ['float(0)', v(0)],
  ['float(inf)', v(Infinity)],
  ["float('10')", v(10)],
  ["float('10.0')", v(10)],
  ['float(true)', v(1)],
  ['float([0,1,2])', v([0, 1, 2])],
  ['bool(10)', v(true)],
  ['bool(0)', v(false)],
  ['bool(0.0)', v(false)],
  ['bool(inf)', v(true)],
  ['bool(nan)', v(true)],
  ["bool('true')", v(true)],
  ["bool('false')", v(false)],
  ["bool('FaLsE')", v(false)],
  ['bool([0,1,2])', v([false, true, true])],
  ['bool({a:10})', v({ a: true })],
  ['json_str(10)', v('10')],
  ['json_str(10.0)', v('10.0')],
  ['json_str(inf)', v('Infinity')],
  ['json_str(nan)', v('NaN')],
  ['json_str(1e6)', v('1000000.0')],
  ["json_str('')", v('""')],
  ["json_str('10')", v('"10"')],
  ['json_str(true)', v('true')],
  ['json_str([])', v('[]')],
  ['json_str([0,1,2])', v('[0, 1, 2]')],
  ['json_str([1,[2]])', v('[1, [2]]')],
  ['json_str([a,1])', v('["a", 1]')],
  ['json_str({})', v('{}')],
  ['json_str({a:10})', v('{"a": 10}')],
  ['json_str({a:10,b:xyz,c:{d:foo,f:[1,2,{g:0}]}})', v('{"a": 10, "b": "xyz", "c": {"d": "foo", "f": [1, 2, {"g": 0}]}}')],
  ["json_str(['a b', null])", v('["a b", null]')],
  ["json_str('é')", v('"\\u00e9"')],
  ['int(value=10.0)', v(10)],
  ['int(choice(0,1))', choice([0, 1])],
  ['float(choice(0,1))', choice([0, 1], { texts: ['0.0', '1.0'] })],
  ['str(choice(0,1))', choice(['0', '1'])],
  ['bool(choice(0,1))', choice([false, true])],
  ['json_str(choice(0,1))', choice(['0', '1'])],
  ['json_str(choice(a,b))', choice(['"a"', '"b"'])],
  ['json_str(choice(1,a))', choice(['1', '"a"'])],
  ['int(2,1,0)', simple([2, 1, 0])],
  ['float(2,1,0)', simple([2, 1, 0], { texts: ['2.0', '1.0', '0.0'] })],
  ['bool(2,1,0)', simple([true, true, false])],
  ["str(a,'b',1,1.0,true,[a,b],{a:10})", simple(['a', 'b', '1', '1.0', 'true', ['a', 'b'], { a: '10' }])],
  ["json_str(a,'b',1,1.0,true,[a,b],{a:10})", simple(['"a"', '"b"', '1', '1.0', 'true', '["a", "b"]', '{"a": 10}'])],
  ['int(interval(1.0, 2.0))', interval(1, 2)],
  ['float(interval(1.0, 2.0))', interval(1, 2)],
  ['int(range(1,10))', range(1, 10, 1)],
  ['float(range(1,10))', floats(1, 10, 1)],
  ['int(range(1.0,10.0))', range(1, 10, 1)],
  ['str(true),x', simple(['true', 'x'], { texts: ['true', 'x'] })], // written back as "true": the job reads a bool, as in Hydra

  // sort() and shuffle().
  ['sort([2,3,1],reverse=true)', v([3, 2, 1])],
  ['sort(3,2,1)', simple([1, 2, 3])],
  ['sort(a,c,b,reverse=true)', simple(['c', 'b', 'a'])],
  ['float(sort(3,2,1))', simple([1, 2, 3], { texts: ['1.0', '2.0', '3.0'] })],
  ['sort(float(3,2,1))', simple([1, 2, 3], { texts: ['1.0', '2.0', '3.0'] })],
  ['sort(1)', v(1)],
  ['sort({a:10})', v({ a: 10 })],
  ['sort([1])', v([1])],
  ['sort(list=[1,2,3])', v([1, 2, 3])],
  ['sort(list=[])', v([])],
  ['sort(list=[1,2,3], reverse=True)', v([3, 2, 1])],
  ['sort([b,a,B])', v(['B', 'a', 'b'])],
  ['sort([[2,1],[1,2],[1]])', v([[1], [1, 2], [2, 1]])],
  ['sort([1,true,0.5])', v([0.5, 1, true])],
  ['sort(1,2,3,reverse=True)', simple([3, 2, 1])],
  ['sort(choice(1,2,3))', choice([1, 2, 3])],
  ['sort(sweep=choice(1,2,3))', choice([1, 2, 3])],
  ['sort(choice(1,2,3), reverse=True)', choice([3, 2, 1])],
  ['sort(tag(a,b,choice(1,2,3)), reverse=True)', choice([3, 2, 1], { tags: ['a', 'b'] })],
  ['sort(range(1, 10))', range(1, 10, 1)],
  ['sort(range(9,0,-1))', range(1, 10, 1)],
  ['sort(range(1,10),reverse=True)', range(9, 0, -1)],
  ['sort(sort(range(1, 10),reverse=true))', range(1, 10, 1)],
  ['sort(range(0,2,0.5))', floats(0, 2, 0.5)],
  ['sort(range(1.5,-0.5,-0.5))', floats(0, 1.75, 0.5, { items: ['0.0', '0.5', '1.0', '1.5'] })],
  ['sort(range(0,2,0.5),reverse=true)', floats(1.5, -0.25, -0.5, { items: ['1.5', '1.0', '0.5', '0.0'] })],
  ['sort(range(0,5,2),reverse=True)', range(4, -2, -2, { items: ['4', '2', '0'] })],
  ['sort(range(4,-1,-2))', range(0, 6, 2, { items: ['0', '2', '4'] })],
  ['sort(range(7,0,-3))', range(1, 10, 3, { items: ['1', '4', '7'] })],
  ['sort(range(0,1.3,0.5),reverse=true)', floats(1, -0.25, -0.5, { items: ['1.0', '0.5', '0.0'] })],
  ['sort(range(1,0,-0.1))', floats(0.1, 1.05, 0.1, { items: ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1.0'] })],
  ['shuffle(1,2,3)', simple([1, 2, 3], { shuffle: true })],
  ['shuffle(choice(1,2,3))', choice([1, 2, 3], { shuffle: true })],
  ['shuffle(tag(a,b,choice(1,2,3)))', choice([1, 2, 3], { tags: ['a', 'b'], shuffle: true })],
  ['shuffle(range(10,1))', range(10, 1, 1, { shuffle: true })],
  ['shuffle(float(range(10,1)))', floats(10, 1, 1, { shuffle: true } as never)],
  ['shuffle(tag(a,b,range(1,10,2)))', range(1, 10, 2, { tags: ['a', 'b'], shuffle: true })],
  ['shuffle(range(1, 10))', range(1, 10, 1, { shuffle: true })],
  ['shuffle(1)', v([1])],
  ['shuffle([1])', v([1])],
  ['choice(sort(3,2,1))', choice([1, 2, 3])],

  // Errors.
  ['[', fails(/is not valid at column 6: expected a value, found the end/)],
  ['[]aa', fails(/is not valid at column 7: expected "," or the end of the value, found "aa"/)],
  ["['a\\', 'b']", fails(/unexpected "'" at column 14/)],
  ["[1,2,3]'", fails(/unexpected "'" at column 12/)],
  ['[1,2', fails(/column 9: expected "," or "\]", found the end/)],
  ['{a:1', fails(/expected "," or "}", found the end/)],
  ["{'0a': 0, \"1b\": 1}", fails(/expected a dict key/)],
  ["{a: 'a\\', b: 'b'}", fails(/unexpected "'" at column 20/)],
  ["{' abc ': 0}", fails(/expected a dict key/)],
  ['{a}', fails(/expected ":" after the dict key, found "}"/)],
  ['{${a}: 1}', fails(/expected a dict key/)],
  ['a=b', fails(/expected "," or the end of the value, found "="/)],
  ["it's", fails(/unexpected "'" at column 7/)],
  ['a!b', fails(/unexpected "!" at column 6/)],
  ['a~b', fails(/unexpected "~" at column 6/)],
  ['שלום', fails(/unexpected "ש" at column 5/)],
  ["'a' ", fails(/expected "," or the end of the value/)],
  ['a"b"', fails(/expected "," or the end of the value/)],
  ['${a:${b}}', fails(/expected "," or the end of the value, found "}"/)],
  ['${}', fails(/expected "," or the end of the value/)],
  ['a,', fails(/expected a value, found the end/)],
  [',a', fails(/expected a value, found ","/)],
  ['a,,b', fails(/expected a value, found ","/)],
  ['choice(1,2', fails(/expected "," or "\)" to close choice\(/)],
  ['foo(1)', fails(/unknown function foo\(\)/)],
  ['glob(*)', fails(/uses glob\(\), which selects config-group options/)],
  ['choice()', fails(/ValueError while evaluating 'choice\(\)': empty choice is not legal/)],
  ['choice(choice(1,2))', fails(/nesting choices is not supported/)],
  ['choice(null)', fails(/TypeError while evaluating 'choice\(null\)': mismatch type argument args\[0\]: NoneType is incompatible/)],
  ['choice(range(1,2))', fails(/mismatch type argument args\[0\]: RangeSweep is incompatible/)],
  ['range(a)', fails(/mismatch type argument start: str is incompatible with Union\[int, float\]/)],
  ['range()', fails(/missing a required argument: 'start'/)],
  ['range(1,2,3,4)', fails(/too many positional arguments/)],
  ['range(1,start=2)', fails(/multiple values for argument 'start'/)],
  ['range(start=10,20,1)', fails(/positional argument follows keyword argument in range\(start=10,20,1\)/)],
  ['range(1,10,foo=2)', fails(/got an unexpected keyword argument 'foo'/)],
  ['interval(1)', fails(/missing a required argument: 'end'/)],
  ['tag(a,b)', fails(/Last argument to tag\(\) must be a choice\(\), range\(\) or interval\(\), got str/)],
  ['tag(1,choice(a))', fails(/mismatch type argument args\[0\]: int is incompatible/)],
  ['tag()', fails(/Not enough arguments to tag/)],
  ['int(1,value=2)', fails(/cannot use both position and named arguments/)],
  ['int()', fails(/No positional args or value specified/)],
  ['int(inf)', fails(/OverflowError while evaluating 'int\(inf\)': cannot convert float infinity to integer/)],
  ['int(nan)', fails(/ValueError while evaluating 'int\(nan\)': cannot convert float NaN to integer/)],
  ["int('')", fails(/ValueError while evaluating 'int\(''\)': invalid literal for int\(\) with base 10: ''/)],
  ["int('10.0')", fails(/invalid literal for int\(\) with base 10: '10.0'/)],
  ["int('true')", fails(/invalid literal for int\(\) with base 10: 'true'/)],
  ['int([a,1])', fails(/invalid literal for int\(\) with base 10: 'a'/)],
  ['int({a:10,b:xyz})', fails(/invalid literal for int\(\) with base 10: 'xyz'/)],
  ['int(choice(a,b))', fails(/invalid literal for int\(\) with base 10: 'a'/)],
  ["float('')", fails(/ValueError while evaluating 'float\(''\)': could not convert string to float: ''/)],
  ["float('true')", fails(/could not convert string to float: 'true'/)],
  ['float([a,1])', fails(/could not convert string to float: 'a'/)],
  ["bool('')", fails(/Cannot cast '' to bool/)],
  ["bool('10')", fails(/Cannot cast '10' to bool/)],
  ["bool('[1,2,3]')", fails(/Cannot cast '\[1,2,3\]' to bool/)],
  ['bool(choice(1,a))', fails(/Cannot cast 'a' to bool/)],
  ['str(interval(1.0, 2.0))', fails(/Intervals cannot be cast to str/)],
  ['bool(interval(1.0, 2.0))', fails(/Intervals cannot be cast to bool/)],
  ['json_str(interval(1.0, 2.0))', fails(/Intervals cannot be cast to json_str/)],
  ['str(range(1,10))', fails(/Range can only be cast to int or float/)],
  ['bool(range(1.0,10.0))', fails(/Range can only be cast to int or float/)],
  ['json_str(range(1,10))', fails(/Range can only be cast to int or float/)],
  ['sort(3,2,str(1))', fails(/TypeError while evaluating 'sort\(3,2,str\(1\)\)': '<' not supported between instances of 'str' and 'int'/)],
  ['sort([1,a])', fails(/'<' not supported between instances/)],
  ['sort()', fails(/empty sort input/)],
  ['sort([1],reverse=1)', fails(/mismatch type argument reverse: int is incompatible with bool/)],
  ['sort(interval(0,1))', fails(/mismatch type argument args\[0\]: IntervalSweep is incompatible/)],
  ['[choice(1,2)]', fails(/has a sweep inside a list, dict or another sweep/)],
  ['{a:range(1,3)}', fails(/has a sweep inside a list, dict or another sweep/)],
  ['choice(1,2),3', fails(/has a sweep inside a list, dict or another sweep/)],
  ['[extend_list(1)]', fails(/has extend_list\(\) inside another value/)],
  ['12345678901234567890', fails(/has the int 12345678901234567890, which is too large/)],
  ['{__proto__: 1}', fails(/uses "__proto__" as a dict key/)],
];

function describeValue(text: string): Expected {
  let value;
  try {
    value = parseOverride(text).value;
  } catch (error) {
    if (!(error instanceof OverrideError)) throw error;
    return { error: new RegExp(error.toLine()) };
  }
  if (value instanceof ChoiceSweep) return { choice: value.list, simpleForm: value.simpleForm, tags: value.tags, shuffle: value.shuffle, texts: value.texts };
  if (value instanceof RangeSweep) return { range: [value.start, value.stop, value.step], integer: value.integer, tags: value.tags, shuffle: value.shuffle, items: value.shuffle ? undefined : value.items().map((i) => i.text) };
  if (value instanceof IntervalSweep) return { interval: [value.start, value.end], tags: value.tags };
  return { value };
}

describe("Hydra's override values", () => {
  it('has at least 150 cases', () => {
    expect(VALUES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(VALUES)('key=%s', (value, expected) => {
    const text = `key=${value}`;
    if ('error' in expected) {
      let caught: unknown;
      try {
        parseOverride(text);
      } catch (error) {
        caught = error;
      }
      expect(caught, `"${text}" should fail`).toBeInstanceOf(OverrideError);
      const error = caught as OverrideError;
      expect(error.toLine()).toMatch(expected.error);
      expect(error.toLine()).toContain(`override "${text}"`);
      expect(error.exitCode).toBe(2);
      return;
    }
    const actual = describeValue(text);
    const compared = { ...actual } as Record<string, unknown>;
    // Only compare the texts and items a row names.
    if (!('texts' in expected)) delete compared.texts;
    if (!('items' in expected)) delete compared.items;
    expect(compared).toEqual(expected);
  });

  it('writes every quoted string of the table back as it was given (QuotedString.with_quotes)', () => {
    const quoted = VALUES.map(([value]) => value).filter((value) => /^(['"]).*\1$/s.test(value) && !value.includes('\n'));
    expect(quoted.length).toBeGreaterThan(30);
    for (const value of quoted) {
      if (parseOverride(`key=${value}`).valueType !== 'element') continue; // several quoted strings: '"a,b","c,d"'
      const sweep = parseOverride(`key=${value},x`).value as ChoiceSweep;
      expect(sweep.texts[0], value).toBe(value);
    }
  });

  it('reads back every choice text as the same value', () => {
    for (const [value, expected] of VALUES) {
      if (!('choice' in expected) || expected.shuffle) continue;
      const sweep = parseOverride(`key=${value}`).value as ChoiceSweep;
      sweep.texts.forEach((text, i) => {
        // Hydra's own quirk: strings are written unquoted, so a str that spells a number, bool or
        // null ("10", "true") reads back typed, and one holding a quote does not read back.
        if (holdsStringThatChangesType(sweep.list[i])) return;
        expect(parseOverride(`key=${text}`).value, `${value} -> ${text}`).toEqual(sweep.list[i]);
      });
    }
  });
});

function holdsStringThatChangesType(value: unknown): boolean {
  if (typeof value === 'string') return /['"]/.test(value) || /^(-?\d|[+-]?(inf|nan)$|true$|false$|null$)/i.test(value);
  if (Array.isArray(value)) return value.some(holdsStringThatChangesType);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsStringThatChangesType);
  return false;
}

describe("Hydra's override keys and prefixes", () => {
  it.each([
    ['key=value', 'change', '', 'key', undefined],
    ['+key=value', 'add', '+', 'key', undefined],
    ['++key=value', 'force_add', '++', 'key', undefined],
    ['~key=value', 'delete', '~', 'key', undefined],
    ['~key', 'delete', '~', 'key', undefined],
    ['abc/cde=1', 'change', '', 'abc/cde', undefined],
    ['ab-c/d-ef=1', 'change', '', 'ab-c/d-ef', undefined],
    ['abc.cde=1', 'change', '', 'abc.cde', undefined],
    ['ab-c.d-ef=1', 'change', '', 'ab-c.d-ef', undefined],
    ['$foo=1', 'change', '', '$foo', undefined],
    ['$foo.bar$.x$z=1', 'change', '', '$foo.bar$.x$z', undefined],
    ['list.0=1', 'change', '', 'list.0', undefined],
    ['0.foo=1', 'change', '', '0.foo', undefined],
    ['package_or_group@pkg1=1', 'change', '', 'package_or_group', 'pkg1'],
    ['package_or_group@=1', 'change', '', 'package_or_group', ''],
    ['package_or_group@$pkg1=1', 'change', '', 'package_or_group', '$pkg1'],
    ['+key@pkg1=value', 'add', '+', 'key', 'pkg1'],
    ['~server/db@a.b', 'delete', '~', 'server/db', 'a.b'],
    ['key@_name_=value', 'change', '', 'key', '_name_'],
    ['choice=reverse', 'change', '', 'choice', undefined],
    ['=1', 'change', '', '', undefined],
  ])('%s', (text, type, prefix, key, pkg) => {
    const override = parseOverride(text);
    expect(override).toMatchObject({ text, type, prefix, key, path: key.split('.') });
    expect(override.package).toBe(pkg);
  });

  it('gives no value to a bare ~key, and the empty string to key= and ~key=', () => {
    expect(parseOverride('~x')).not.toHaveProperty('value');
    expect(parseOverride('~x').valueType).toBeUndefined();
    expect(parseOverride('~x=')).toMatchObject({ value: '', valueType: 'element' });
    expect(parseOverride('~x=10')).toMatchObject({ value: 10, valueType: 'element' });
    expect(parseOverride('key=')).toMatchObject({ value: '', valueType: 'element' });
  });

  it('tells the sweeps apart by type and form', () => {
    expect(parseOverride('k=1,2').valueType).toBe('simple_choice_sweep');
    expect(parseOverride('k=choice(1,2)').valueType).toBe('choice_sweep');
    expect(parseOverride('k=range(1,2)').valueType).toBe('range_sweep');
    expect(parseOverride('k=interval(1,2)').valueType).toBe('interval_sweep');
    expect(parseOverride('k=[1,2]').valueType).toBe('element');
    expect(parseOverride('k=choice(1,2)').value).toBeInstanceOf(ChoiceSweep);
    expect(parseOverride('k=range(1,2)').value).toBeInstanceOf(RangeSweep);
    expect(parseOverride('k=interval(1,2)').value).toBeInstanceOf(IntervalSweep);
  });

  it('reads key=extend_list(...) as a list extension, refused with a prefix', () => {
    expect(parseOverride('key=extend_list(1,2,three)')).toMatchObject({ type: 'extend_list', value: [1, 2, 'three'] });
    expect(parseOverride("key=extend_list('5')")).toMatchObject({ type: 'extend_list', value: ['5'] });
    expect(parseOverride('key=extend_list([1,2,3], {a:1, b:2})').value).toEqual([[1, 2, 3], { a: 1, b: 2 }]);
    expect(parseOverride('key=extend_list([1,2])').value).toEqual([[1, 2]]);
    expect(() => parseOverride('+key=extend_list(foobar)')).toThrow(/uses extend_list\(\) with a prefix/);
  });

  it('shuffles lists and shuffled sweeps into every order over many tries', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 200; i++) orders.add(JSON.stringify(parseOverride('x=shuffle([1,2,3])').value));
    expect(orders.size).toBe(6);
    const sweepOrders = new Set<string>();
    const sweep = parseOverride('x=shuffle(range(1,4))').value as RangeSweep;
    for (let i = 0; i < 200; i++) sweepOrders.add(sweep.items().map((item) => item.text).join());
    expect(sweepOrders.size).toBe(6);
  });

  it.each([
    ['key =1', /unexpected space at column 4 in the key/],
    ['a..b=1', /unexpected "\." at column 2 in the key/],
    ['a.=1', /unexpected "\." at column 2 in the key/],
    ['key', /is not valid at column 4: expected "=", found the end/],
    ['+key', /expected "=", found the end/],
    ['~key value', /unexpected space/],
    ['+~key=1', /unexpected "~" at column 2 in the key|expected/],
    ['$foo/bar=foobar', /expected "=", found "\/"/],
    ['a.b/c=1', /expected "=", found "\/"/],
    ['a/=1', /expected a config group name after "\/"/],
    ['~__proto__.toString', /uses "__proto__" as a key/],
    ['++__proto__.valueOf=1', /uses "__proto__" as a key/],
    ['a.constructor.prototype=1', /uses "constructor" as a key/],
    ['x.prototype=1', /uses "prototype" as a key/],
  ])('refuses the key of %j with the column and what was expected', (text, message) => {
    expect(() => parseOverride(text)).toThrow(OverrideError);
    expect(() => parseOverride(text)).toThrow(message);
  });
});
