import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { plural, type Reporter, silentReporter, UsageError } from '@mldp/runtime';
import { type ArtifactVersion, type StepOptions, type Store } from '@mldp/store';
import {
  type CanonicalTable,
  type ColumnSummary,
  CsvFileWriter,
  DataError,
  DuplicateKeys,
  ExactDeduplicator,
  TABLE_COUNTS_KIND,
  type TableCounts,
  TableStats,
  canonicalCsvMetadata,
  canonicalizeTable,
  detectFormat,
  encodeTableCounts,
  formatCsvField,
  formatCsvLine,
  hashText,
  missingColumn,
  openTable,
  namingInputs,
  singleTableFile,
  tableLabel,
} from '@mldp/table';
import { deduplicateCsvBytes } from './byte-pass.js';
import { deduplicateParquetBytes } from './parquet-pass.js';

export interface PreprocessParams {
  /** Reference to the raw table (`raw_data.parquet:latest`); CSV or Parquet. */
  inputArtifact: string;
  artifactName: string;
  artifactType: string;
  artifactDescription?: string;
  /** Columns joined into the text feature; nulls become ''. */
  textColumns?: string[];
  textFeature?: string;
}

export interface PreprocessResult {
  artifact: ArtifactVersion;
  created: boolean;
  rowsIn: number;
  rowsOut: number;
  duplicatesDropped: number;
  columns: ColumnSummary[];
}

export const DEFAULT_TEXT_COLUMNS = ['title', 'song_name'];
export const DEFAULT_TEXT_FEATURE = 'text_feature';

/**
 * Drops exact duplicate rows (first occurrence kept, nulls equal to nulls, as pandas'
 * drop_duplicates) and adds the text feature, writing CSV as pandas' to_csv(index=False).
 */
export async function preprocess(
  params: PreprocessParams,
  store: Store,
  options: StepOptions = {},
): Promise<PreprocessResult> {
  const reporter = options.reporter ?? silentReporter;
  const textColumns = params.textColumns ?? DEFAULT_TEXT_COLUMNS;
  const textFeature = params.textFeature ?? DEFAULT_TEXT_FEATURE;
  if (textColumns.length === 0) throw new UsageError('preprocess.text_columns is empty', { hint: 'name at least one column to build the text feature from' });
  return store.withWorkDir(options.workDir, async (workDir) => {
    const input = await store.useArtifact(params.inputArtifact, { run: options.run, scratchDir: workDir });
    const ref = `${input.version.name}:${input.version.version}`;
    const inputPath = singleTableFile(ref, input.files);
    const pass = await namingInputs(
      { [inputPath]: tableLabel(ref, input.files) },
      async () => {
        const settings: PassSettings = { params, textColumns, textFeature, workDir, reporter };
        return (await deduplicateInOnePass(inputPath, settings)) ?? (await deduplicateCanonicalCopy(inputPath, settings));
      },
    );
    const { rowsIn, rowsOut, stats, outputPath, sha256, counts } = pass;

    const columns = stats.summaries();
    const summary = { rows_in: rowsIn, rows_out: rowsOut, duplicates_dropped: rowsIn - rowsOut };
    const logged = await store.logArtifact(
      {
        name: params.artifactName,
        type: params.artifactType,
        description: params.artifactDescription ?? '',
        files: [{ path: outputPath, name: params.artifactName, sha256 }],
        move: true,
        metadata: { ...summary, ...canonicalCsvMetadata(columns), text_columns: textColumns, text_feature: textFeature },
      },
      options.run,
    );
    if (counts) await recordCounts(store, logged.version.files[0].sha256, counts, workDir, reporter);
    await options.run?.logMetrics(summary);
    reporter.info(
      `preprocess: ${plural(rowsIn, 'row')} in, ${rowsOut} out (${plural(rowsIn - rowsOut, 'duplicate')} dropped); ` +
        `${logged.created ? 'logged' : 'unchanged,'} ${logged.version.name}:${logged.version.version}`,
    );
    return { artifact: logged.version, created: logged.created, rowsIn, rowsOut, duplicatesDropped: rowsIn - rowsOut, columns };
  });
}


/**
 * Records the output's counts, which check_data reads instead of the table (see TableCounts).
 * They only save time: the output is logged already, so a failure to record them is a warning.
 */
async function recordCounts(store: Store, sha256: string, counts: TableCounts, workDir: string, reporter: Reporter): Promise<void> {
  try {
    await store.derived.put(sha256, TABLE_COUNTS_KIND, encodeTableCounts(counts), workDir);
  } catch (error) {
    reporter.warn(`preprocess: the output's table counts were not recorded (${(error as Error).message}); check_data will read the table instead`);
  }
}

interface PassResult {
  rowsIn: number;
  rowsOut: number;
  stats: TableStats;
  outputPath: string;
  /** The output's sha256 when the pass computed it while writing. */
  sha256?: string;
  /** The output's counts, where the pass made them. */
  counts?: TableCounts;
}

/** Where the text feature goes: replacing a column of that name, or appended after the last. */
function layoutOf(path: string, columns: string[], textColumns: string[], textFeature: string) {
  const textIndexes = textColumns.map((name) => {
    const index = columns.indexOf(name);
    if (index < 0) throw missingColumn(path, name, columns);
    return index;
  });
  const featureAt = columns.indexOf(textFeature);
  return { textIndexes, featureAt, outColumns: featureAt >= 0 ? columns : [...columns, textFeature] };
}

/** What every way of deduplicating is given. */
interface PassSettings {
  params: PreprocessParams;
  textColumns: string[];
  textFeature: string;
  workDir: string;
  reporter: Reporter;
}

/**
 * The common case in one pass, on bytes (see byte-pass.ts): CSV whose text is already as pandas
 * writes it, or Parquet, whose values mldp formats itself. Undefined when the file needs the
 * general case (other CSV, or a text feature column that exists already).
 */
async function deduplicateInOnePass(inputPath: string, { params, textColumns, textFeature, workDir, reporter }: PassSettings): Promise<PassResult | undefined> {
  const layout = (columns: string[]) => {
    const { textIndexes, featureAt, outColumns } = layoutOf(inputPath, columns, textColumns, textFeature);
    return featureAt >= 0 ? undefined : { textIndexes, outColumns };
  };
  if ((await detectFormat(inputPath)) === 'parquet') return deduplicateParquetBytes(inputPath, layout, params.artifactName, workDir, reporter);
  return deduplicateCsvBytes(inputPath, layout, params.artifactName, workDir, reporter, (await stat(inputPath)).size);
}

/**
 * The general case: the input rewritten as pandas would read and write it (canonicalizeTable),
 * then deduplicated on bytes like the common case, or row by row where the text feature
 * replaces an existing column.
 */
async function deduplicateCanonicalCopy(inputPath: string, settings: PassSettings): Promise<PassResult> {
  const { workDir, reporter } = settings;
  const canonicalPath = join(workDir, 'canonical-input.csv');
  const size = (await stat(inputPath)).size;
  const table = await canonicalizeTable(inputPath, canonicalPath, {
    quoteCr: true,
    progress: (pass, bytes) => reporter.progress(pass === 'types' ? 'preprocess: reading as pandas' : 'preprocess: rewriting', bytes, size, 'bytes'),
  });
  reporter.endProgress();
  try {
    return (await deduplicateInOnePass(canonicalPath, settings)) ?? (await deduplicateRows(canonicalPath, table, settings));
  } finally {
    await rm(canonicalPath, { force: true });
  }
}

/** Rows of a canonical CSV deduplicated one by one, the text feature replacing a column of that name. */
async function deduplicateRows(
  inputPath: string,
  schema: CanonicalTable,
  { params, textColumns, textFeature, workDir, reporter }: PassSettings,
): Promise<PassResult> {
  const { textIndexes, featureAt, outColumns } = layoutOf(inputPath, schema.columns, textColumns, textFeature);
  const outTypes = featureAt >= 0 ? schema.types.map((t, i) => (i === featureAt ? 'string' : t)) : [...schema.types, 'string' as const];
  const outputPath = join(workDir, params.artifactName);
  const writer = new CsvFileWriter(outputPath);
  const stats = new TableStats(outColumns, outTypes);
  let rowsIn = 0;
  let rowsOut = 0;
  try {
    writer.writeHeader(outColumns);
    const duplicateKeys = new DuplicateKeys(schema.dtypes, schema.kinds, schema.chunkRows);
    // When the feature is appended and rows compare by their text, each output line starts with
    // the row's key, so the duplicate check reads keys back from the output itself; otherwise
    // from a keys file.
    const separate = featureAt >= 0 || duplicateKeys.byValue;
    const keys = separate ? new CsvFileWriter(join(workDir, 'dedup-keys.csv')) : writer;
    const dedup = new ExactDeduplicator((offset, length) => keys.readBack(offset, length), separate ? [0x0a] : [0x2c]);
    const reader = await openTable(inputPath);
    for await (const batch of reader.batches()) {
      for (const canonical of batch) {
        const key = duplicateKeys.keyOf(canonical, rowsIn);
        rowsIn++;
        const hash = hashText(key);
        if (dedup.has(key, hash)) continue;
        const text = textIndexes.map((i) => canonical[i] ?? '').join(' ');
        let offset: number;
        if (featureAt >= 0) {
          offset = keys.writeLine(key);
          canonical[featureAt] = text;
          writer.writeLine(formatCsvLine(canonical));
          stats.push(canonical);
        } else {
          const line = writer.writeLine(`${formatCsvLine(canonical)},${formatCsvField(text)}`);
          offset = separate ? keys.writeLine(key) : line;
          stats.push([...canonical, text]);
        }
        dedup.remember(key, offset, hash);
        rowsOut++;
      }
      reporter.progress('preprocess', reader.bytesRead(), reader.sizeBytes, 'bytes');
    }
    reporter.endProgress();
    if (keys !== writer) keys.abandon();
    writer.close();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  return { rowsIn, rowsOut, stats, outputPath };
}
