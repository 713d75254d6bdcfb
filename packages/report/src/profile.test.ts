import { describe, expect, it } from 'vitest';
import { histogramSvg } from './profile-html.js';
import { histogram, numberStats, profileTable } from './profile.js';

describe('the data profile', () => {
  it('computes min, max, mean and sample std from counted values, leaving NaN out', () => {
    // 1, 2, 2, 3, 3, 3 and a NaN
    const stats = numberStats(new Float64Array([1, 2, 3, Number.NaN]), new Float64Array([1, 2, 3, 1]));
    expect(stats.min).toBe(1);
    expect(stats.max).toBe(3);
    expect(stats.distinct).toBe(3);
    expect(stats.mean).toBeCloseTo(14 / 6, 12);
    const mean = 14 / 6;
    expect(stats.std).toBeCloseTo(Math.sqrt(((1 - mean) ** 2 + 2 * (2 - mean) ** 2 + 3 * (3 - mean) ** 2) / 5), 12);
  });

  it('bins equal widths over [min, max], the last bin holding max, as numpy does', () => {
    const h = histogram(new Float64Array([0, 1, 5, 9, 10]), new Float64Array([1, 1, 2, 1, 4]), 5)!;
    expect(h.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(h.counts).toEqual([2, 0, 2, 0, 5]);
    expect(histogram(new Float64Array([7]), new Float64Array([3]), 20)).toEqual({ edges: [7, 7], counts: [3] });
    expect(histogram(new Float64Array([Number.NaN]), new Float64Array([3]), 20)).toBeUndefined();
  });

  it("profiles each column: numbers with the recorded statistics and a histogram, labels with their top values", () => {
    const profile = profileTable(
      {
        rows: 12,
        columns: [
          { name: 'tempo', type: 'float', nulls: 1, numbers: { count: 11, distinct: new Float64Array([60, 120, Number.NaN]), counts: new Float64Array([5, 6, 1]) } },
          { name: 'genre', type: 'string', nulls: 0, labels: new Map(Object.entries({ a: 1, b: 2, c: 2, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1, j: 1 })) },
          { name: 'title', type: 'string', nulls: 2 },
        ],
      },
      [{ name: 'tempo', min: 60, max: 120, mean: 92.72727, std: 31.1 }],
    );
    expect(profile[0]).toMatchObject({ name: 'tempo', type: 'float', rows: 12, nulls: 1, distinct: 2, min: 60, max: 120, mean: 92.72727, std: 31.1 });
    expect(profile[0].histogram!.counts.reduce((a, b) => a + b)).toBe(11);
    expect(profile[1].top!.values.map((v) => v.value)).toEqual(['b', 'c', 'a', 'd', 'e', 'f', 'g', 'h']);
    expect(profile[1].top!.others).toBe(2);
    expect(profile[1].distinct).toBe(10);
    expect(profile[2]).toEqual({ name: 'title', type: 'string', rows: 12, nulls: 2 });
  });

  it('draws a histogram as a small SVG with a titled bar per bin', () => {
    const svg = histogramSvg('tempo', { edges: [0, 5, 10], counts: [3, 0] });
    expect(svg).toMatch(/^<svg class="histogram" width="120" height="28"/);
    expect(svg).toContain('<title>0 to 5: 3 rows</title>');
    expect(svg).toContain('aria-label="histogram of tempo: 0 to 10 in 2 bins"');
  });
});
