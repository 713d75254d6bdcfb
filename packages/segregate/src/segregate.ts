import { join } from 'node:path';
import { checkParams, plural, silentReporter } from '@mldp/runtime';
import { type ArtifactVersion, type StepOptions, type Store } from '@mldp/store';
import { DataError, canonicalTypesOf, namingInputs, singleTableFile, tableLabel } from '@mldp/table';
import { orderClasses } from './class-order.js';
import { writeSplitFiles } from './permuted-writer.js';
import { SEGREGATE_PARAMS } from './params.js';
import { type SplitPlan, planSplits } from './split-plan.js';
import { type RowLabels, readTableRows } from './table-rows.js';

export interface SegregateParams {
  inputArtifact: string;
  /** Output files and artifacts are `{root}_train.csv`, `{root}_test.csv`, `{root}_val.csv`. */
  artifactPrefix: string;
  artifactType: string;
  /** A fraction in (0, 1) or a whole number of rows (1 means one row). */
  testSize: number;
  /** Of the rows left after the test split, a fraction or a row count; 0 for no validation split. */
  valSize?: number;
  /** numpy's RandomState seed: 0 .. 2**32 - 1. */
  randomSeed: number;
  /** The class column to stratify by, or null for a plain shuffled split. */
  stratify: string | null;
  /** Write each split's rows in input order rather than scikit-learn's order. */
  keepInputOrder?: boolean;
}

export interface SplitOutput {
  split: 'train' | 'test' | 'val';
  artifact: ArtifactVersion;
  rows: number;
  perClass: Record<string, number>;
}

export interface SegregateResult {
  rows: number;
  splits: SplitOutput[];
}

/**
 * A train/test(/validation) split with exactly the rows, in the same order, that scikit-learn's
 * `train_test_split(df, test_size, random_state=seed, stratify=df[col])` gives for
 * `df = pandas.read_csv(input)` (validation: the same on the rest).
 */
export async function segregate(params: SegregateParams, store: Store, options: StepOptions = {}): Promise<SegregateResult> {
  const reporter = options.reporter ?? silentReporter;
  checkParams(SEGREGATE_PARAMS, {
    input_artifact: params.inputArtifact,
    artifact_prefix: params.artifactPrefix,
    artifact_type: params.artifactType,
    test_size: params.testSize,
    val_size: params.valSize,
    random_seed: params.randomSeed,
    stratify: params.stratify,
    keep_input_order: params.keepInputOrder,
  });
  return store.withWorkDir(options.workDir, async (workDir) => {
    const input = await store.useArtifact(params.inputArtifact, { run: options.run, scratchDir: workDir });
    const ref = `${input.version.name}:${input.version.version}`;
    const inputPath = singleTableFile(params.inputArtifact, input.files);
    const labels = { [inputPath]: tableLabel(ref, input.files) };
    const table = await namingInputs(labels, () =>
      readTableRows(inputPath, { stratify: params.stratify, ref: params.inputArtifact, workDir, reporter, knownTypes: canonicalTypesOf(input.version) }),
    );
    const n = table.lines.rows;
    if (n < 2) throw new DataError('E_NO_ROWS', `${ref} has ${plural(n, 'data row')}; a split needs at least 2`, { hint: 'check that the right table was given' });
    const plan = planSplits(
      { rows: n, testSize: params.testSize, valSize: params.valSize ?? 0, seed: params.randomSeed, source: ref, keepInputOrder: params.keepInputOrder },
      () => table.labels && orderClasses(...checkedLabels(table.labels, params.stratify!, ref)),
    );
    table.labels = null; // 4 bytes a row, not needed while writing
    const outputs = splitsOf(plan).map((split) => ({ ...split, name: `${params.artifactPrefix}_${split.split}.csv` }));
    const written = await namingInputs(labels, async () =>
      writeSplitFiles(table.lines, outputs.map((output) => ({ path: join(workDir, output.name), rows: output.rows })), { scratchDir: workDir, reporter }),
    );

    const splits: SplitOutput[] = [];
    for (const [i, output] of outputs.entries()) {
      const perClass = Object.fromEntries([...output.perClass].sort(([a], [b]) => (a < b ? -1 : 1)));
      const logged = await store.logArtifact(
        {
          name: output.name,
          type: params.artifactType,
          description: `${output.split} split of ${ref}`,
          files: [{ path: join(workDir, output.name), name: output.name, sha256: written[i].sha256 }],
          move: true,
          metadata: {
            split: output.split,
            rows: written[i].rows,
            per_class: params.stratify ? perClass : undefined,
            stratify: params.stratify,
            test_size: params.testSize,
            val_size: params.valSize ?? 0,
            random_seed: params.randomSeed,
            row_order: params.keepInputOrder ? 'input' : 'scikit-learn',
            source: ref,
          },
        },
        options.run,
      );
      splits.push({ split: output.split, artifact: logged.version, rows: written[i].rows, perClass });
      reporter.info(`segregate: ${output.split} ${plural(written[i].rows, 'row')} -> ${logged.version.name}:${logged.version.version}`);
    }
    await options.run?.logMetrics(Object.fromEntries(splits.map((s) => [`rows_${s.split}`, s.rows])));
    return { rows: n, splits };
  });
}

interface PlannedSplit {
  split: SplitOutput['split'];
  rows: Int32Array;
  perClass: Map<string, number>;
}

function splitsOf(plan: SplitPlan): PlannedSplit[] {
  const splits: PlannedSplit[] = [
    { split: 'train', rows: plan.train, perClass: plan.perClass.train },
    { split: 'test', rows: plan.test, perClass: plan.perClass.test },
  ];
  if (plan.val && plan.perClass.val) splits.push({ split: 'val', rows: plan.val, perClass: plan.perClass.val });
  return splits;
}

/** scikit-learn refuses null class labels ("Input y contains NaN"). */
function checkedLabels(labels: RowLabels, stratify: string, ref: string): Parameters<typeof orderClasses> {
  if (labels.nulls > 0) {
    throw new DataError('E_NULL_CLASS', `the stratify column "${stratify}" of ${ref} has ${plural(labels.nulls, 'empty value')}`, {
      hint: 'fill or drop those rows, or split without stratification (--stratify null)',
    });
  }
  return [labels.texts, labels.textOf, labels.type, stratify];
}

