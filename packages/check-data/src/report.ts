import type { CategoricalResult, KsColumnResult, TestResult } from './data-tests.js';

export interface CheckReport {
  passed: boolean;
  reference: string;
  sample: string;
  rows: { reference: number; sample: number };
  alpha: number;
  alphaPrime: number;
  tests: TestResult[];
  ks: KsColumnResult[];
  categorical: CategoricalResult[];
}

/** Deterministic JSON: no timestamps, so equal inputs give equal bytes. */
export function reportJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** JUnit XML, one testcase per test, for CI systems. */
export function reportJunit(report: CheckReport): string {
  const failures = report.tests.filter((t) => !t.passed).length;
  const cases = report.tests.map((test) => {
    const open = `    <testcase classname="mldp.check_data" name="${xml(test.name)}">`;
    const body = test.passed ? `\n      <system-out>${xml(test.message)}</system-out>` : `\n      <failure message="${xml(test.message)}" type="DataCheckFailure">${xml(test.message)}</failure>`;
    return `${open}${body}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mldp check_data" tests="${report.tests.length}" failures="${failures}">`,
    `  <testsuite name="check_data ${xml(report.sample)} vs ${xml(report.reference)}" tests="${report.tests.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** A pytest-like summary: one line per test, then the details of the KS columns. */
export function reportTable(report: CheckReport): string {
  const lines = [`check_data: ${report.sample} against reference ${report.reference}`];
  for (const test of report.tests) lines.push(`  ${test.name.padEnd(32)} ${test.passed ? 'PASSED' : 'FAILED'}  ${test.message}`);
  if (report.ks.length) {
    lines.push(`  KS drift (alpha=${report.alpha}, alpha'=${report.alphaPrime.toPrecision(6)}):`);
    const ordered = [...report.ks].sort((a, b) => Number(a.passed) - Number(b.passed));
    for (const r of ordered) {
      const figures = r.statistic === null ? r.message : `D=${r.statistic.toFixed(6)}  p=${formatP(r.pvalue!)}${nanNote(r)}`;
      lines.push(`    ${r.passed ? 'ok    ' : 'FAILED'} ${r.column.padEnd(18)} ${figures}`);
    }
  }
  const failed = report.tests.filter((t) => !t.passed).length;
  lines.push(`  ${failed ? `${failed} failed` : 'all passed'}, ${report.tests.length - failed} passed`);
  return lines.join('\n');
}

function nanNote(r: KsColumnResult): string {
  const dropped = (r.nanDroppedReference ?? 0) + (r.nanDroppedSample ?? 0);
  return dropped ? `  (${r.nanDroppedReference} reference and ${r.nanDroppedSample} sample NaN dropped)` : '';
}

function formatP(p: number): string {
  return p !== 0 && p < 1e-4 ? p.toExponential(3) : p.toFixed(6);
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
