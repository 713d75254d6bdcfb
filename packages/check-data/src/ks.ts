import { MldpError } from '@mldp/runtime';
import { kolmogorovSf } from './kolmogorov.js';
import { sortFloat64 } from './radix-sort.js';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pvalue: number;
  /** The method actually used (`auto` resolves to one of the others). */
  method: 'exact' | 'asymp';
  n1: number;
  n2: number;
  /** NaN values dropped from each sample before the test. */
  nanDropped: [number, number];
}

/** scipy's threshold: `auto` computes the exact distribution up to this sample size. */
export const MAX_AUTO_N = 10_000;

/**
 * The two-sample, two-sided Kolmogorov-Smirnov test, matching scipy.stats.ks_2samp (scipy >= 1.10).
 * NaN values are dropped first (scipy would propagate them) and counted in `nanDropped`.
 */
export function ks2Samp(a: ArrayLike<number>, b: ArrayLike<number>, options: { method?: KsMethod } = {}): KsResult {
  const x = sortedFinite(a);
  const y = sortedFinite(b);
  return ks2SampSorted(x.values, y.values, options.method ?? 'auto', [x.dropped, y.dropped]);
}

/** The same test on samples already sorted ascending and free of NaN (no copies are made). */
export function ks2SampSorted(x: Float64Array, y: Float64Array, method: KsMethod = 'auto', nanDropped: [number, number] = [0, 0]): KsResult {
  assertBothHaveValues(x.length, y.length);
  return ksTest(x.length, y.length, statistic(x, y), method, nanDropped);
}

function assertBothHaveValues(n1: number, n2: number): void {
  if (n1 === 0 || n2 === 0) {
    throw new MldpError('E_KS_EMPTY', `the Kolmogorov-Smirnov test needs values in both samples, got ${n1} and ${n2}`, {
      hint: 'check that the column has non-null values in the reference and the sample',
    });
  }
}

/** Finite values ascending, each with how often it occurs: a sample as check_data counts it. */
export interface CountedSample {
  values: Float64Array;
  counts: Float64Array;
  /** The sum of the counts. */
  n: number;
}

/** The counted values without NaN (sorted last in CountedValues), and how many NaN there were. */
export function countedFinite(counted: { distinct: Float64Array; counts: Float64Array }): { sample: CountedSample; dropped: number } {
  const last = counted.distinct.length - 1;
  const nan = last >= 0 && counted.distinct[last] !== counted.distinct[last];
  const end = nan ? last : last + 1;
  let n = 0;
  for (let i = 0; i < end; i++) n += counted.counts[i];
  return { sample: { values: counted.distinct.subarray(0, end), counts: counted.counts.subarray(0, end), n }, dropped: nan ? counted.counts[last] : 0 };
}

/**
 * The same test on counted samples: the same statistic, found by walking the distinct values
 * once: measurements of a few decimals hold far fewer distinct values than values.
 */
export function ks2SampCounted(x: CountedSample, y: CountedSample, method: KsMethod = 'auto', nanDropped: [number, number] = [0, 0]): KsResult {
  assertBothHaveValues(x.n, y.n);
  return ksTest(x.n, y.n, countedStatistic(x, y), method, nanDropped);
}

function ksTest(n1: number, n2: number, statisticValue: number, method: KsMethod, nanDropped: [number, number]): KsResult {
  let d = statisticValue;
  const g = gcd(n1, n2);
  let mode: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp') : method;
  // As scipy: exact needs lcm(n1, n2) to fit in a 32-bit integer.
  if (mode === 'exact' && n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';
  let pvalue = Number.NaN;
  if (mode === 'exact') {
    const exact = exactPvalue(n1, n2, g, d);
    if (exact === undefined) mode = 'asymp';
    else [d, pvalue] = exact;
  }
  if (mode === 'asymp') {
    const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
    const en = (m * n) / (m + n);
    pvalue = kolmogorovSf(roundHalfEven(en), d);
  }
  return { statistic: d, pvalue: Math.min(1, Math.max(0, pvalue)), method: mode, n1, n2, nanDropped };
}

/** max |F1 - F2| over all observed values, with ties handled as scipy's searchsorted(side='right'). */
function statistic(x: Float64Array, y: Float64Array): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxS = 0;
  let minS = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] <= value) i++;
    while (j < n2 && y[j] <= value) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (-diff > minS) minS = -diff;
  }
  return Math.min(1, minS > maxS ? minS : maxS);
}

/** `statistic` over counted samples: at each distinct value, the counts of each sample up to it. */
function countedStatistic(x: CountedSample, y: CountedSample): number {
  let i = 0;
  let j = 0;
  let belowX = 0;
  let belowY = 0;
  let maxS = 0;
  let minS = 0;
  while (i < x.values.length || j < y.values.length) {
    const value = j >= y.values.length || (i < x.values.length && x.values[i] <= y.values[j]) ? x.values[i] : y.values[j];
    while (i < x.values.length && x.values[i] <= value) belowX += x.counts[i++];
    while (j < y.values.length && y.values[j] <= value) belowY += y.counts[j++];
    const diff = belowX / x.n - belowY / y.n;
    if (diff > maxS) maxS = diff;
    if (-diff > minS) minS = -diff;
  }
  return Math.min(1, minS > maxS ? minS : maxS);
}

/** [d rounded to the lattice, Pr(D >= d)], or undefined when floating point gives out. */
function exactPvalue(n1: number, n2: number, g: number, d: number): [number, number] | undefined {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const rounded = h / lcm;
  if (h === 0) return [rounded, 1];
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!Number.isFinite(p) || p < 0 || p > 1) return undefined;
  return [rounded, p];
}

/**
 * Pr(D_{n,n} >= h/n) = 2 * sum_k (-1)^(k-1) C(2n, n-kh) / C(2n, n), evaluated Horner-like
 * (as scipy's _compute_prob_outside_square) to avoid subtractive cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * 1 - Pr(paths stay strictly inside |x/m - y/n| < h/lcm): the lattice-path count of Hodges (1958),
 * with the recursion for 1 - p of T. Viehmann, "Numerically more stable computation of the
 * p-values for the two-sample Kolmogorov-Smirnov test", arXiv:2102.08037 (as scipy >= 1.7).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/**
 * The values without NaN, sorted ascending, and how many NaN were dropped. Values already in
 * that order with any NaN at the end (presorted by check_data's collector) are used as they are.
 */
export function sortedFinite(values: ArrayLike<number>): { values: Float64Array; dropped: number } {
  if (values instanceof Float64Array) {
    const presorted = presortedLength(values);
    if (presorted >= 0) return { values: values.subarray(0, presorted), dropped: values.length - presorted };
  }
  const out = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) out[count++] = v;
  }
  return { values: sortFloat64(out.subarray(0, count)), dropped: values.length - count };
}

/** The length of the sorted, NaN-free prefix when only NaN follow it; else -1. */
function presortedLength(values: Float64Array): number {
  let i = 1;
  if (values.length === 0 || values[0] !== values[0]) i = 0;
  else while (i < values.length && values[i] >= values[i - 1]) i++;
  for (let j = i; j < values.length; j++) if (values[j] === values[j]) return -1;
  return i;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
