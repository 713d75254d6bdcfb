import { gammaln } from 'simple-statistics';

export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  dof: number;
}

/**
 * Chi-square test of homogeneity on a 2 x K table of counts, as scipy.stats.chi2_contingency
 * (with Yates' correction when dof = 1). Categories absent from both rows are left out.
 */
export function chiSquareHomogeneity(reference: readonly number[], sample: readonly number[]): ChiSquareResult {
  const keep = reference.map((r, k) => r + sample[k] > 0);
  const rows = [reference.filter((_, k) => keep[k]), sample.filter((_, k) => keep[k])];
  const categories = rows[0].length;
  const dof = categories - 1;
  if (dof < 1) return { statistic: 0, pvalue: 1, dof: 0 };
  const rowTotals = rows.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowTotals[0] + rowTotals[1];
  let statistic = 0;
  for (let k = 0; k < categories; k++) {
    const columnTotal = rows[0][k] + rows[1][k];
    for (let r = 0; r < 2; r++) {
      const expected = (rowTotals[r] * columnTotal) / total;
      let diff = Math.abs(rows[r][k] - expected);
      if (dof === 1) diff -= Math.min(0.5, diff);
      statistic += (diff * diff) / expected;
    }
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}

/** Pr(X >= x) for X ~ chi-square(dof): the regularized upper incomplete gamma Q(dof/2, x/2). */
export function chiSquareSf(x: number, dof: number): number {
  if (x <= 0) return 1;
  return upperGammaRegularized(dof / 2, x / 2);
}

/**
 * Q(a, x) by its power series when x < a + 1 and by Lentz's continued fraction otherwise
 * (Press et al., Numerical Recipes, 3rd ed., section 6.2).
 */
function upperGammaRegularized(a: number, x: number): number {
  const logPrefix = -x + a * Math.log(x) - gammaln(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}
