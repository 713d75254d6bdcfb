import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArtifactVersion, type Reporter, type StepOptions, type Store, UsageError, silentReporter } from '@mldp/store';
import { ByteLabels, ByteLineWriter, type ColumnType, formatCsvLine, DataError, parseQuotedLine, TypeTracker, canonicalizeTable, chunkRowsFor, detectFormat, missingColumn, namingInputs, openTable, scanCsvBytes, singleTableFile, tableLabel } from '@mldp/table';
import { resolveSplitSize } from './allocation.js';
import { RowClasses } from './row-classes.js';
import { TEST, TRAIN, VALIDATION, assignSplits } from './assignment.js';
import { Xoshiro128 } from './prng.js';

export interface SegregateParams {
  inputArtifact: string;
  /** Output files and artifacts are `{root}_train.csv`, `{root}_test.csv`, `{root}_val.csv`. */
  artifactRoot: string;
  artifactType: string;
  /** A fraction in (0, 1) or a row count >= 1. */
  testSize: number;
  /** Of the rows left after the test split; 0 for no validation split. */
  valSize?: number;
  randomSeed: number;
  /** The class column to stratify by, or null for a plain shuffled split. */
  stratify: string | null;
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

const SPLIT_NAMES = ['train', 'test', 'val'] as const;

/**
 * A stratified (or plain), seeded train/test(/validation) split. Rows keep their input order
 * within each split; the assignment depends only on the input and the seed.
 */
export async function segregate(
  params: SegregateParams,
  store: Store,
  options: StepOptions = {},
): Promise<SegregateResult> {
  const reporter = options.reporter ?? silentReporter;
  if (!Number.isSafeInteger(params.randomSeed) || params.randomSeed < 0) {
    throw new UsageError(`--random-seed must be a whole number >= 0, got ${params.randomSeed}`);
  }
  return store.withWorkDir(options.workDir, async (workDir) => {
    const input = await store.useArtifact(params.inputArtifact, { run: options.run, scratchDir: workDir });
    const inputPath = singleTableFile(params.inputArtifact, input.files);
    const labels = { [inputPath]: tableLabel(`${input.version.name}:${input.version.version}`, input.files) };
    const scan = await namingInputs(labels, () => scanTable(inputPath, params.stratify, params.inputArtifact, reporter, writtenByMldp(input.version)));
    const n = scan.classOf.length;
    if (n < 2) throw new DataError('E_NO_ROWS', `${params.inputArtifact} has ${n} data rows; a split needs at least 2`);
    const testRows = resolveSplitSize(params.testSize, n, '--test-size');
    const validationRows = params.valSize ? resolveSplitSize(params.valSize, n - testRows, '--val-size') : 0;
    checkClasses(params, scan.labels, scan.classOf, { test: testRows, validation: validationRows, train: n - testRows - validationRows });

    const { splitOf, perClass } = assignSplits(scan.classOf, scan.labels.length, { test: testRows, validation: validationRows }, new Xoshiro128(params.randomSeed));
    const active = validationRows > 0 ? [TRAIN, TEST, VALIDATION] : [TRAIN, TEST];
    const paths = active.map((split) => join(workDir, `${params.artifactRoot}_${SPLIT_NAMES[split]}.csv`));
    const format = await detectFormat(inputPath);
    const written = await namingInputs(labels, async () => {
      if (scan.textIsCanonical) return (format === 'csv' ? copyCsvLines : copyParquetLines)(inputPath, paths, splitOf, scan, reporter);
      // Cells pandas would write otherwise: split the table as pandas reads and writes it.
      const canonicalPath = join(workDir, 'canonical-input.csv');
      await canonicalizeTable(inputPath, canonicalPath, { quoteCr: true });
      try {
        return await copyCsvLines(canonicalPath, paths, splitOf, scan, reporter);
      } finally {
        await rm(canonicalPath, { force: true });
      }
    });

    const splits: SplitOutput[] = [];
    for (const split of active) {
      const counts = split === TEST ? perClass.test : split === VALIDATION ? perClass.validation : perClass.train;
      const byClass = Object.fromEntries(scan.labels.map((label, c) => [label, counts[c]]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
      const { rows, sha256 } = written[active.indexOf(split)];
      const name = `${params.artifactRoot}_${SPLIT_NAMES[split]}.csv`;
      const logged = await store.logArtifact(
        {
          name,
          type: params.artifactType,
          description: `${SPLIT_NAMES[split]} split of ${input.version.name}:${input.version.version}`,
          files: [{ path: join(workDir, name), name, sha256 }],
          move: true,
          metadata: {
            split: SPLIT_NAMES[split],
            rows,
            per_class: params.stratify ? byClass : undefined,
            stratify: params.stratify,
            test_size: params.testSize,
            val_size: params.valSize ?? 0,
            random_seed: params.randomSeed,
            source: `${input.version.name}:${input.version.version}`,
          },
        },
        options.run,
      );
      splits.push({ split: SPLIT_NAMES[split], artifact: logged.version, rows, perClass: byClass });
      reporter.info(`segregate: ${SPLIT_NAMES[split]} ${rows} rows -> ${logged.version.name}:${logged.version.version}`);
    }
    await options.run?.logMetrics(Object.fromEntries(splits.map((s) => [`rows_${s.split}`, s.rows])));
    return { rows: n, splits };
  });
}

interface TableScan {
  types: ColumnType[];
  /** Every cell's text is already what pandas would write (Parquet, or canonical CSV). `types` is empty then. */
  textIsCanonical: boolean;
  labels: string[];
  classOf: Int32Array;
}

/**
 * A table that mldp's preprocess wrote (CSV with its column types in the metadata) is already
 * as pandas writes it, so its cells need no type scan: rows are copied through.
 */
function writtenByMldp(version: ArtifactVersion): ColumnType[] | undefined {
  const columns = version.metadata.columns;
  if (version.metadata.format !== 'csv' || !Array.isArray(columns)) return undefined;
  const types = (columns as Array<{ type?: unknown }>).map((c) => c.type);
  return types.every((t) => t === 'int' || t === 'float' || t === 'string' || t === 'bool') ? (types as ColumnType[]) : undefined;
}

/** One pass: each row's class (all rows one class without stratify), and the columns' types when they matter. */
async function scanTable(path: string, stratify: string | null, ref: string, reporter: Reporter, knownTypes?: ColumnType[]): Promise<TableScan> {
  // Text that is already canonical (Parquet, or CSV written by preprocess) needs no type scan,
  // so only the class column is read.
  const format = await detectFormat(path);
  if (knownTypes !== undefined && format === 'csv') return scanClassesOfCsv(path, stratify, ref, reporter);
  const canonical = knownTypes !== undefined || format === 'parquet';
  const reader = await openTable(path, canonical ? { select: stratify === null ? [] : [stratify] } : {}).catch((error) => {
    throw error instanceof DataError && error.code === 'E_MISSING_COLUMN' ? new DataError(error.code, error.message.replace(path, ref), { hint: error.hint }) : error;
  });
  const labelColumn = stratify === null ? -1 : reader.columns.indexOf(stratify);
  if (stratify !== null && labelColumn < 0) throw missingColumn(ref, stratify, reader.columns);
  const trackers = canonical ? undefined : reader.columns.map(() => new TypeTracker(chunkRowsFor(reader.columns.length)));
  const classes = new RowClasses();
  let n = 0;
  for await (const batch of reader.batches()) {
    for (const cells of batch) {
      if (trackers) for (let c = 0; c < cells.length; c++) trackers[c].observe(cells[c], n);
      n++;
      classes.add(labelColumn >= 0 ? cells[labelColumn] : undefined);
    }
    reporter.progress('segregate: scanning', reader.bytesRead(), reader.sizeBytes, 'bytes');
  }
  reporter.endProgress();
  const types = trackers ? trackers.map((t) => t.type) : [];
  const textIsCanonical = trackers ? trackers.every((t) => t.textIsCanonical) : true;
  return { types, textIsCanonical, ...classes.finish(stratify, ref) };
}

function checkClasses(params: SegregateParams, labels: string[], classOf: Int32Array, sizes: { test: number; validation: number; train: number }): void {
  if (params.stratify === null) return;
  const counts = new Array<number>(labels.length).fill(0);
  for (const c of classOf) counts[c]++;
  const tooSmall = labels.filter((_, c) => counts[c] < 2).map((label) => `"${label}"`);
  if (tooSmall.length) {
    throw new DataError('E_CLASS_TOO_SMALL', `stratifying by "${params.stratify}" needs at least 2 rows per class, but ${tooSmall.join(', ')} ${tooSmall.length === 1 ? 'has' : 'have'} 1`, {
      hint: 'drop or merge the rare classes, or split without stratification (--stratify null)',
    });
  }
  for (const [split, rows] of Object.entries(sizes)) {
    if (rows > 0 && rows < labels.length) {
      throw new DataError('E_SPLIT_TOO_SMALL', `the ${split} split has ${rows} rows, fewer than the ${labels.length} classes of "${params.stratify}"`, {
        hint: `make the ${split} split larger so that every class can be represented`,
      });
    }
  }
}

/** The splits' files, written as CSV lines: the header first, then each row's line in its split's file. */
class SplitWriters {
  private readonly writers: ByteLineWriter[];
  private readonly rows: number[];

  constructor(paths: string[]) {
    this.writers = paths.map((path) => new ByteLineWriter(path));
    this.rows = paths.map(() => 0);
  }

  header(columns: string[]): void {
    for (const writer of this.writers) {
      writer.appendText(formatCsvLine(columns));
      writer.endLine();
    }
  }

  line(split: number, bytes: Buffer, start: number, end: number): void {
    this.writers[split].append(bytes, start, end);
    this.writers[split].endLine();
    this.rows[split]++;
  }

  text(split: number, text: string): void {
    this.writers[split].appendText(text);
    this.writers[split].endLine();
    this.rows[split]++;
  }

  /** Fills the files with `write`; closes them, or abandons them if it fails. Returns each split's rows and sha256. */
  static async write(paths: string[], write: (writers: SplitWriters) => Promise<void>): Promise<Array<{ rows: number; sha256?: string }>> {
    const splits = new SplitWriters(paths);
    try {
      await write(splits);
      for (const writer of splits.writers) writer.close();
    } catch (error) {
      for (const writer of splits.writers) writer.abandon();
      throw error;
    }
    return splits.writers.map((writer, i) => ({ rows: splits.rows[i], sha256: writer.sha256 }));
  }
}

/**
 * Canonical CSV (preprocess output) split on its bytes: each record's line is copied to its
 * split's file as it is, found with a native search for line ends.
 */
async function copyCsvLines(inputPath: string, paths: string[], splitOf: Uint8Array, _scan: TableScan, reporter: Reporter): Promise<Array<{ rows: number; sha256?: string }>> {
  const size = (await stat(inputPath)).size;
  let row = 0;
  return SplitWriters.write(paths, async (splits) => {
    await scanCsvBytes(inputPath, {
      header: (columns) => splits.header(columns),
      // A quoted record is written with pandas' quoting (a copy quotes CRs that pandas leaves bare).
      record: (record) => {
        if (!record.plain) parseQuotedLine(record);
        splits.line(splitOf[row++], record.line, record.lineStart, record.lineEnd);
      },
      progress: (bytes) => reporter.progress('segregate', bytes, size, 'bytes'),
    }, { leadingFields: 0 });
    reporter.endProgress();
  });
}

/**
 * Parquet split as CSV lines the reader lays out from its columns' bytes (row groups decoded in
 * a worker thread): reading each row as text cells and joining them took 8 s on 1M rows.
 */
async function copyParquetLines(inputPath: string, paths: string[], splitOf: Uint8Array, _scan: TableScan, reporter: Reporter): Promise<Array<{ rows: number; sha256?: string }>> {
  let row = 0;
  return SplitWriters.write(paths, async (splits) => {
    const reader = await openTable(inputPath);
    splits.header(reader.columns);
    for await (const slice of reader.lineGroups!()) {
      for (let r = 0; r < slice.rows; r++) {
        const cells = slice.cells.get(r);
        if (cells) splits.text(splitOf[row++], formatCsvLine(cells));
        else splits.line(splitOf[row++], slice.lines, slice.lineStarts[r], slice.lineStarts[r + 1]);
      }
      reporter.progress('segregate', reader.bytesRead(), reader.sizeBytes, 'bytes');
    }
    reporter.endProgress();
  });
}

/** The class of every row of a canonical CSV, read from the bytes of the class field only. */
async function scanClassesOfCsv(path: string, stratify: string | null, ref: string, reporter: Reporter): Promise<TableScan> {
  const classes = new RowClasses();
  const labels = new ByteLabels();
  let labelColumn = -1;
  const size = (await stat(path)).size;
  await scanCsvBytes(
    path,
    {
      header: (columns) => {
        labelColumn = stratify === null ? -1 : columns.indexOf(stratify);
        if (stratify !== null && labelColumn < 0) throw missingColumn(ref, stratify, columns);
      },
      record: ({ fields, fieldStart, fieldEnd }) => {
        if (labelColumn < 0) return classes.add(undefined);
        const start = fieldStart[labelColumn];
        const end = fieldEnd[labelColumn];
        classes.addId(labels.idOf(fields, start, end), start === end);
      },
      progress: (bytes) => reporter.progress('segregate: scanning', bytes, size, 'bytes'),
    },
    { leadingFields: () => labelColumn + 1 },
  );
  reporter.endProgress();
  return { types: [], textIsCanonical: true, ...classes.finish(stratify, ref, labels.labels) };
}
