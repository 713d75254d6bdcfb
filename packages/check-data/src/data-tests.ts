import { isSpilled } from './column-spill.js';
import type { ChecksConfig } from './checks-config.js';
import { chiSquareHomogeneity } from './chi-square.js';
import type { CollectedColumn, CollectedTable } from './collect.js';
import { type CountedSample, type KsResult, countedFinite, ks2SampCounted, ks2SampSorted, sortedFinite } from './ks.js';
import { plural } from '@mldp/runtime';

export interface TestResult {
  name: string;
  passed: boolean;
  message: string;
}

export interface KsColumnResult {
  column: string;
  statistic: number | null;
  pvalue: number | null;
  passed: boolean;
  method?: KsResult['method'];
  nReference?: number;
  nSample?: number;
  nanDroppedReference?: number;
  nanDroppedSample?: number;
  message?: string;
  /** Both samples binned on common edges, for plots (a fixed size, whatever the row count). */
  histogram?: Histogram;
}

export interface Histogram {
  edges: number[];
  reference: number[];
  sample: number[];
}

const HISTOGRAM_BINS = 40;

/** Counts of each sorted sample in equal-width bins over the range of both (last bin closed). */
export function histogramOf(reference: Float64Array, sample: Float64Array, bins = HISTOGRAM_BINS): Histogram {
  const low = Math.min(reference[0], sample[0]);
  const high = Math.max(reference[reference.length - 1], sample[sample.length - 1]);
  const width = high > low ? (high - low) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width));
  const binOf = (v: number): number => Math.min(bins - 1, Math.floor((v - low) / width));
  // The values are sorted, so each bin is a run: find where each run starts by binary search.
  const count = (sorted: Float64Array): number[] => {
    const starts = [0];
    for (let b = 1; b < bins; b++) {
      let lo = starts[b - 1];
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (binOf(sorted[mid]) >= b) hi = mid;
        else lo = mid + 1;
      }
      starts.push(lo);
    }
    starts.push(sorted.length);
    return Array.from({ length: bins }, (_, b) => starts[b + 1] - starts[b]);
  };
  return { edges, reference: count(reference), sample: count(sample) };
}

/** histogramOf for counted samples: the same bins, each value's count added to its bin. */
export function histogramOfCounted(reference: CountedSample, sample: CountedSample, bins = HISTOGRAM_BINS): Histogram {
  const low = Math.min(reference.values[0], sample.values[0]);
  const high = Math.max(reference.values[reference.values.length - 1], sample.values[sample.values.length - 1]);
  const width = high > low ? (high - low) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width));
  const count = ({ values, counts }: CountedSample): number[] => {
    const binned = new Array<number>(bins).fill(0);
    for (let i = 0; i < values.length; i++) binned[Math.min(bins - 1, Math.floor((values[i] - low) / width))] += counts[i];
    return binned;
  };
  return { edges, reference: count(reference), sample: count(sample) };
}

export interface CategoricalResult {
  column: string;
  statistic: number;
  pvalue: number;
  dof: number;
  alpha: number;
  passed: boolean;
  reference: Record<string, number>;
  sample: Record<string, number>;
}

const MAX_LISTED = 10;

/** Required columns exist and have the declared types; a wrong type names its first bad row. */
export function testColumnPresenceAndType(sample: CollectedTable, checks: ChecksConfig): TestResult {
  const problems: string[] = [];
  for (const [column, expected] of Object.entries(checks.required_columns)) {
    const found = sample.byName.get(column);
    if (!found) {
      problems.push(`column ${column} is missing`);
      continue;
    }
    if (found.type === expected) continue;
    problems.push(`column ${column} is ${found.type}, expected ${expected}${firstBadCell(found, expected)}`);
  }
  return {
    name: 'test_column_presence_and_type',
    passed: problems.length === 0,
    message: problems.length ? problems.join('; ') : `${plural(Object.keys(checks.required_columns).length, 'column')} present with the expected types`,
  };
}

function firstBadCell(column: CollectedColumn, expected: string): string {
  const allowed: Record<string, string[]> = { int: ['int'], float: ['int', 'float'], bool: ['bool'], string: ['string'] };
  const bad = (['string', 'float', 'bool', 'int'] as const)
    .filter((kind) => !allowed[expected].includes(kind))
    .map((kind) => column.firstCellOf[kind])
    .filter((cell): cell is [number, string] => cell !== undefined)
    .sort((a, b) => a[0] - b[0])[0];
  if (bad) return ` (first bad value at data row ${bad[0] + 1}: ${JSON.stringify(bad[1])})`;
  if (expected === 'float' && column.type === 'int') return ' (every value is a whole number)';
  if ((column.nulls ?? 0) > 0 && column.type === 'float') return ' (the column has no values)';
  return '';
}

/** Every value of each class column is a known label; unknown labels are listed with counts. */
export function testClassNames(sample: CollectedTable, checks: ChecksConfig): TestResult {
  const problems: string[] = [];
  for (const [column, known] of Object.entries(checks.known_classes)) {
    const counts = sample.byName.get(column)?.classCounts;
    if (!counts) {
      problems.push(`column ${column} is missing`);
      continue;
    }
    const allowed = new Set(known);
    const unknown = [...counts].filter(([label]) => !allowed.has(label)).sort((a, b) => b[1] - a[1]);
    if (unknown.length) {
      const listed = unknown.slice(0, MAX_LISTED).map(([label, count]) => `${label === '' ? '<null>' : JSON.stringify(label)} (${count})`);
      const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : '';
      problems.push(`column ${column} has unknown classes: ${listed.join(', ')}${more}`);
    }
  }
  return { name: 'test_class_names', passed: problems.length === 0, message: problems.length ? problems.join('; ') : 'every class is known' };
}

/** Each range column's min and max (nulls ignored) lie within the bounds. */
export function testColumnRanges(sample: CollectedTable, checks: ChecksConfig): TestResult {
  const problems: string[] = [];
  for (const [column, [min, max]] of Object.entries(checks.ranges)) {
    const found = sample.byName.get(column);
    if (!found) {
      problems.push(`column ${column} is missing`);
      continue;
    }
    if (found.firstNonNumeric) {
      problems.push(`column ${column} is not numeric: data row ${found.firstNonNumeric[0] + 1} holds ${JSON.stringify(found.firstNonNumeric[1])}`);
      continue;
    }
    const [low, high] = columnExtent(found);
    if (low === undefined) continue;
    if ((min !== null && low < min) || (max !== null && high! > max)) {
      problems.push(`column ${column} should be between ${min ?? '-inf'} and ${max ?? 'inf'}, found min=${low} and max=${high}`);
    }
  }
  return { name: 'test_column_ranges', passed: problems.length === 0, message: problems.length ? problems.join('; ') : `${plural(Object.keys(checks.ranges).length, 'column')} within range` };
}

/** Min and max of a column's numbers: read off its counted values when it has them, else scanned. */
function columnExtent(column: CollectedColumn): [number | undefined, number | undefined] {
  if (column.stored && !isSpilled(column.stored)) {
    // Sorted, NaN (if any) last.
    const distinct = column.stored.distinct;
    let last = distinct.length - 1;
    if (last >= 0 && distinct[last] !== distinct[last]) last--;
    return last >= 0 ? [distinct[0], distinct[last]] : [undefined, undefined];
  }
  return extent(column.values!);
}

function extent(values: Float64Array): [number | undefined, number | undefined] {
  let low = Infinity;
  let high = -Infinity;
  let seen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue; // NaN
    seen = true;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return seen ? [low, high] : [undefined, undefined];
}

/** alpha' = 1 - (1 - alpha)^(1/m): the per-column level for m tests at family-wise level alpha. */
export function bonferroniAlpha(alpha: number, tests: number): number {
  return tests > 0 ? 1 - (1 - alpha) ** (1 / tests) : alpha;
}

/** Two-sample KS per column against the reference; a column fails when p <= alpha'. */
export function testKolmogorovSmirnov(reference: CollectedTable, sample: CollectedTable, checks: ChecksConfig, alphaPrime: number): { test: TestResult; ks: KsColumnResult[] } {
  const ks: KsColumnResult[] = [];
  for (const column of checks.ks.columns) {
    const ref = reference.byName.get(column);
    const cur = sample.byName.get(column);
    const problem = !cur
      ? 'missing from the sample'
      : !ref
        ? 'missing from the reference'
        : cur.firstNonNumeric
          ? `not numeric in the sample: data row ${cur.firstNonNumeric[0] + 1} holds ${JSON.stringify(cur.firstNonNumeric[1])}`
          : ref.firstNonNumeric
            ? `not numeric in the reference: data row ${ref.firstNonNumeric[0] + 1} holds ${JSON.stringify(ref.firstNonNumeric[1])}`
            : undefined;
    if (problem) {
      ks.push({ column, statistic: null, pvalue: null, passed: false, message: `${column} is ${problem}` });
      continue;
    }
    try {
      const { result, histogram } = ksOfColumns(ref!, cur!);
      ks.push({
        column,
        statistic: result.statistic,
        pvalue: result.pvalue,
        passed: result.pvalue > alphaPrime,
        method: result.method,
        nReference: result.n1,
        nSample: result.n2,
        nanDroppedReference: result.nanDropped[0],
        nanDroppedSample: result.nanDropped[1],
        histogram,
      });
    } catch (error) {
      ks.push({ column, statistic: null, pvalue: null, passed: false, message: `${column}: ${(error as Error).message}` });
    }
  }
  const failed = ks.filter((r) => !r.passed);
  const message = failed.length
    ? failed
        .map((r) => r.message ?? `${r.column} drifted: D=${r.statistic!.toPrecision(6)}, p=${r.pvalue!.toPrecision(6)} <= alpha'=${alphaPrime.toPrecision(6)}`)
        .join('; ')
    : `${plural(ks.length, 'column')} ${ks.length === 1 ? 'matches' : 'match'} the reference (every p > alpha'=${alphaPrime.toPrecision(6)})`;
  return { test: { name: 'test_kolmogorov_smirnov', passed: failed.length === 0, message }, ks };
}

/** The KS test and histograms of two columns: on their counts when both were counted, else on their sorted values. */
/** The KS test on two columns' numbers; what it drops is their nulls and any NaN among the values. */
function ksOfColumns(ref: CollectedColumn, cur: CollectedColumn): { result: KsResult; histogram: Histogram } {
  const [refNulls, curNulls] = [ref.nulls ?? 0, cur.nulls ?? 0];
  if (ref.stored && cur.stored && !isSpilled(ref.stored) && !isSpilled(cur.stored)) {
    const [x, y] = [countedFinite(ref.stored), countedFinite(cur.stored)];
    const result = ks2SampCounted(x.sample, y.sample, 'auto', [refNulls + x.dropped, curNulls + y.dropped]);
    return { result, histogram: histogramOfCounted(x.sample, y.sample) };
  }
  const refSorted = sortedFinite(ref.values!);
  const curSorted = sortedFinite(cur.values!);
  const result = ks2SampSorted(refSorted.values, curSorted.values, 'auto', [refNulls + refSorted.dropped, curNulls + curSorted.dropped]);
  return { result, histogram: histogramOf(refSorted.values, curSorted.values) };
}

/** Chi-square homogeneity of class frequencies against the reference. */
export function testCategoricalDrift(reference: CollectedTable, sample: CollectedTable, checks: ChecksConfig): { test: TestResult; results: CategoricalResult[] } {
  const results: CategoricalResult[] = [];
  const problems: string[] = [];
  const alpha = checks.categorical_drift.alpha;
  for (const column of checks.categorical_drift.columns) {
    const ref = reference.byName.get(column)?.classCounts;
    const cur = sample.byName.get(column)?.classCounts;
    if (!ref || !cur) {
      problems.push(`${column} is missing from the ${ref ? 'sample' : 'reference'}`);
      continue;
    }
    const labels = [...new Set([...ref.keys(), ...cur.keys()])].sort();
    const result = chiSquareHomogeneity(labels.map((l) => ref.get(l) ?? 0), labels.map((l) => cur.get(l) ?? 0));
    const passed = result.pvalue > alpha;
    const name = (label: string): string => (label === '' ? '<null>' : label);
    results.push({
      column,
      ...result,
      alpha,
      passed,
      reference: Object.fromEntries(labels.map((l) => [name(l), ref.get(l) ?? 0])),
      sample: Object.fromEntries(labels.map((l) => [name(l), cur.get(l) ?? 0])),
    });
    if (!passed) problems.push(`${column} class frequencies drifted: chi2=${result.statistic.toPrecision(6)}, dof=${result.dof}, p=${result.pvalue.toPrecision(6)} <= alpha=${alpha}`);
  }
  return {
    test: {
      name: 'test_categorical_drift',
      passed: problems.length === 0,
      message: problems.length ? problems.join('; ') : `${plural(results.length, 'class distribution')} ${results.length === 1 ? 'matches' : 'match'} the reference`,
    },
    results,
  };
}
