import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MldpError, type Reporter, silentReporter, UsageError } from '@mldp/runtime';
import { type ArtifactVersion, type StepOptions, type Store, parseArtifactRef, versionRef } from '@mldp/store';
import { type ColumnType, DataError, canonicalTypesOf } from '@mldp/table';
import { type ChecksConfig, DEFAULT_CHECKS } from './checks-config.js';
import type { CollectRequest, CollectedTable } from './collect.js';
import { collectTables } from './collect-tables.js';
import {
  bonferroniAlpha,
  testCategoricalDrift,
  testClassNames,
  testColumnPresenceAndType,
  testColumnRanges,
  testKolmogorovSmirnov,
} from './data-tests.js';
import { type CheckReport, reportJson, reportJunit, reportTable } from './report.js';

export interface CheckDataParams {
  /** The baseline, e.g. `preprocessed_data.csv:reference`. */
  referenceArtifact: string;
  /** The data under test, e.g. `preprocessed_data.csv:latest`. */
  sampleArtifact: string;
  /** Family-wise level of the KS tests; each column is tested at 1 - (1 - ks_alpha)^(1/m). */
  ksAlpha: number;
  checks?: ChecksConfig;
  /** When the reference alias does not exist: make the sample the reference (default true). */
  bootstrapReference?: boolean;
  reportName?: string;
  reportType?: string;
}

export interface CheckDataResult {
  passed: boolean;
  report: CheckReport;
  artifact: ArtifactVersion;
  /** True when the reference was missing and the sample became it. */
  bootstrapped: boolean;
}

export class ChecksFailedError extends MldpError {
  constructor(readonly failed: string[], reportRef: string) {
    super('E_CHECKS_FAILED', `data checks failed: ${failed.join(', ')}`, { hint: `see the report artifact ${reportRef}` });
  }
}

/** Runs the declared data tests on the sample against the reference and logs a report artifact. */
export async function checkData(
  params: CheckDataParams,
  store: Store,
  options: StepOptions = {},
): Promise<CheckDataResult> {
  const reporter = options.reporter ?? silentReporter;
  const checks = params.checks ?? DEFAULT_CHECKS;
  if (!(params.ksAlpha > 0 && params.ksAlpha < 1)) throw new UsageError(`--ks-alpha must be in (0, 1), got ${params.ksAlpha}`);
  return store.withWorkDir(options.workDir, async (workDir) => {
    const sample = await store.useArtifactVersion(params.sampleArtifact, { run: options.run });
    const bootstrapped = await bootstrapReference(params, store, sample, reporter);
    const reference = await store.useArtifactVersion(params.referenceArtifact, { run: options.run });
    const [sampleTable, referenceTable] = await collectTables(
      store,
      [
        { version: sample, request: { ...sampleRequestOf(checks), knownTypes: knownTypesOf(sample, checks) }, label: 'check_data: sample' },
        { version: reference, request: { ...referenceRequestOf(checks), knownTypes: knownTypesOf(reference) }, label: 'check_data: reference' },
      ],
      workDir,
      reporter,
    );
    assertComparable(referenceTable, sampleTable, params.referenceArtifact);

    const alphaPrime = bonferroniAlpha(params.ksAlpha, checks.ks.columns.length);
    const ks = testKolmogorovSmirnov(referenceTable, sampleTable, checks, alphaPrime);
    const categorical = checks.categorical_drift.columns.length ? testCategoricalDrift(referenceTable, sampleTable, checks) : undefined;
    const tests = [
      testColumnPresenceAndType(sampleTable, checks),
      testClassNames(sampleTable, checks),
      testColumnRanges(sampleTable, checks),
      ks.test,
      ...(categorical ? [categorical.test] : []),
    ];
    const report: CheckReport = {
      passed: tests.every((t) => t.passed),
      reference: versionRef(reference),
      sample: versionRef(sample),
      rows: { reference: referenceTable.rows, sample: sampleTable.rows },
      alpha: params.ksAlpha,
      alphaPrime,
      tests,
      ks: ks.ks,
      categorical: categorical?.results ?? [],
    };
    reporter.info(reportTable(report));

    const reportName = params.reportName ?? 'check_data_report';
    writeFileSync(join(workDir, 'report.json'), reportJson(report));
    writeFileSync(join(workDir, 'junit.xml'), reportJunit(report));
    const logged = await store.logArtifact(
      {
        name: reportName,
        type: params.reportType ?? 'data_check',
        description: `data checks of ${report.sample} against ${report.reference}`,
        files: [{ path: join(workDir, 'report.json') }, { path: join(workDir, 'junit.xml') }],
        move: true,
        metadata: { passed: report.passed, sample: report.sample, reference: report.reference, failed: tests.filter((t) => !t.passed).map((t) => t.name) },
      },
      options.run,
    );
    await options.run?.logMetrics(metricsOf(report));
    if (!report.passed) throw new ChecksFailedError(tests.filter((t) => !t.passed).map((t) => t.name), versionRef(logged.version));
    return { passed: report.passed, report, artifact: logged.version, bootstrapped };
  });
}

/** If the reference alias is missing, point it at the sample (a fresh store's first run sets the baseline). */
async function bootstrapReference(params: CheckDataParams, store: Store, sample: ArtifactVersion, reporter: Reporter): Promise<boolean> {
  const ref = parseArtifactRef(params.referenceArtifact);
  if (await store.artifacts.tryResolve(ref)) return false;
  const sameArtifact = ref.name === sample.name && (ref.project ?? store.project) === sample.project;
  if (!params.bootstrapReference || !sameArtifact || /^v\d+$/.test(ref.label)) {
    const hint = sameArtifact
      ? `create it with "mldp artifacts alias ${sample.name}:${sample.version} ${ref.label}", or set data.bootstrap_reference=true`
      : `log a reference table and alias it, e.g. "mldp artifacts alias NAME:vN ${ref.label}"`;
    throw new MldpError('E_NO_REFERENCE', `the reference ${params.referenceArtifact} does not exist`, { hint });
  }
  await store.artifacts.setAlias({ project: sample.project, name: sample.name, label: sample.version }, ref.label);
  reporter.info(`check_data: notice: no ${params.referenceArtifact} yet, so ${versionRef(sample)} becomes the reference (baseline)`);
  return true;
}

/**
 * Column types recorded by mldp's preprocess in the artifact's metadata. For the sample they are
 * trusted only where they match the required type; a mismatch is scanned so that the failure
 * can name the first bad row.
 */
function knownTypesOf(version: ArtifactVersion, checks?: ChecksConfig): Map<string, ColumnType> {
  const types = new Map(canonicalTypesOf(version));
  for (const [name, type] of types) {
    const required = checks?.required_columns[name];
    if (required !== undefined && required !== type) types.delete(name);
  }
  return types;
}

/** The sample is checked in full: required columns, classes, ranges, and drift. */
function sampleRequestOf(checks: ChecksConfig): CollectRequest {
  const numeric = new Set([...Object.keys(checks.ranges), ...checks.ks.columns]);
  const categorical = new Set([...Object.keys(checks.known_classes), ...checks.categorical_drift.columns]);
  const wanted = new Set([...Object.keys(checks.required_columns), ...numeric, ...categorical]);
  return { numeric, sorted: new Set(checks.ks.columns), categorical, wanted };
}

/** Of the reference, only the drift tests' columns are read. */
function referenceRequestOf(checks: ChecksConfig): CollectRequest {
  const numeric = new Set(checks.ks.columns);
  const categorical = new Set(checks.categorical_drift.columns);
  return { numeric, sorted: numeric, categorical, wanted: new Set([...numeric, ...categorical]) };
}

function assertComparable(reference: CollectedTable, sample: CollectedTable, referenceRef: string): void {
  const shared = sample.columns.filter((name) => reference.columns.includes(name));
  if (shared.length === 0) {
    throw new DataError('E_REFERENCE_MISMATCH', `the reference ${referenceRef} shares no column with the sample`, {
      hint: 'point data.reference_dataset at a table of the same kind, or move the alias with "mldp artifacts alias"',
    });
  }
}

function metricsOf(report: CheckReport): Record<string, number> {
  const metrics: Record<string, number> = {
    tests_passed: report.tests.filter((t) => t.passed).length,
    tests_failed: report.tests.filter((t) => !t.passed).length,
    alpha_prime: report.alphaPrime,
  };
  for (const r of report.ks) {
    if (r.statistic !== null) metrics[`ks_${r.column}_statistic`] = r.statistic;
    if (r.pvalue !== null) metrics[`ks_${r.column}_pvalue`] = r.pvalue;
  }
  for (const r of report.categorical) {
    metrics[`chi2_${r.column}_statistic`] = r.statistic;
    metrics[`chi2_${r.column}_pvalue`] = r.pvalue;
  }
  return metrics;
}
