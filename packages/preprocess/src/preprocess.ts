import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArtifactVersion, type Reporter, type StepOptions, type Store, UsageError, silentReporter } from '@mldp/store';
import {
  type Cell,
  type ColumnSummary,
  CsvFileWriter,
  DataError,
  ExactDeduplicator,
  TableStats,
  canonicalCell,
  detectFormat,
  formatCsvField,
  formatCsvLine,
  RunningStats,
  TypeTracker,
  hashText,
  inferSchema,
  missingColumn,
  openTable,
  singleTableFile,
} from '@mldp/table';
import { deduplicateCsvBytes } from './byte-pass.js';

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
    const inputPath = singleTableFile(`${input.version.name}:${input.version.version}`, input.files);
    const onePass = (await detectFormat(inputPath)) === 'csv' ? deduplicateCsvInOnePass : deduplicateInOnePass;
    const pass = (await onePass(inputPath, params, textColumns, textFeature, workDir, reporter)) ?? (await deduplicateWithKnownTypes(inputPath, params, textColumns, textFeature, workDir, reporter));
    const { rowsIn, rowsOut, stats, outputPath } = pass;
    if (rowsIn === 0) {
      throw new DataError('E_NO_ROWS', `${params.inputArtifact} has a header but no data rows`, { hint: 'check that the source file holds data' });
    }

    const columns = stats.summaries();
    const summary = { rows_in: rowsIn, rows_out: rowsOut, duplicates_dropped: rowsIn - rowsOut };
    const logged = await store.logArtifact(
      {
        name: params.artifactName,
        type: params.artifactType,
        description: params.artifactDescription ?? '',
        files: [{ path: outputPath, name: params.artifactName }],
        move: true,
        metadata: { ...summary, format: 'csv', text_columns: textColumns, text_feature: textFeature, columns },
      },
      options.run,
    );
    await options.run?.logMetrics(summary);
    reporter.info(
      `preprocess: ${rowsIn} rows in, ${rowsOut} out (${rowsIn - rowsOut} duplicates dropped); ` +
        `${logged.created ? 'logged' : 'unchanged,'} ${logged.version.name}:${logged.version.version}`,
    );
    return { artifact: logged.version, created: logged.created, rowsIn, rowsOut, duplicatesDropped: rowsIn - rowsOut, columns };
  });
}


interface PassResult {
  rowsIn: number;
  rowsOut: number;
  stats: TableStats;
  outputPath: string;
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

/** The one-pass case for CSV, on the file's bytes (see byte-pass.ts). */
async function deduplicateCsvInOnePass(
  inputPath: string,
  params: PreprocessParams,
  textColumns: string[],
  textFeature: string,
  workDir: string,
  reporter: Reporter,
): Promise<PassResult | undefined> {
  const layout = (columns: string[]) => {
    const { textIndexes, featureAt, outColumns } = layoutOf(`${params.inputArtifact} (${inputPath})`, columns, textColumns, textFeature);
    return featureAt >= 0 ? undefined : { textIndexes, outColumns };
  };
  return deduplicateCsvBytes(inputPath, layout, params.artifactName, workDir, reporter, (await stat(inputPath)).size);
}

/**
 * The common case in one streaming pass: rows are written as read while types are inferred,
 * deduplicated on their text. That is exact when every cell's text turns out to be what pandas
 * would write for its column's type (always for Parquet, whose values mldp formats itself, and
 * for CSV written by pandas or mldp). Otherwise returns undefined and the caller rewrites.
 */
async function deduplicateInOnePass(
  inputPath: string,
  params: PreprocessParams,
  textColumns: string[],
  textFeature: string,
  workDir: string,
  reporter: Reporter,
): Promise<PassResult | undefined> {
  const reader = await openTable(inputPath);
  const { textIndexes, featureAt, outColumns } = layoutOf(`${params.inputArtifact} (${inputPath})`, reader.columns, textColumns, textFeature);
  if (featureAt >= 0) return undefined;
  const trackers = reader.declaredTypes ? undefined : reader.columns.map(() => new TypeTracker());
  const numeric = reader.columns.map(() => new RunningStats());
  const nulls = new Array<number>(outColumns.length).fill(0);
  const outputPath = join(workDir, params.artifactName);
  const writer = new CsvFileWriter(outputPath);
  const dedup = new ExactDeduplicator((offset, length) => writer.readBack(offset, length), [0x2c]);
  let rowsIn = 0;
  let rowsOut = 0;
  try {
    writer.writeHeader(outColumns);
    const width = reader.columns.length;
    for await (const batch of reader.batches()) {
      for (let r = 0; r < batch.length; r++) {
        const cells = batch[r];
        if (trackers) for (let c = 0; c < width; c++) trackers[c].observe(cells[c], rowsIn);
        rowsIn++;
        const key = batch.raw?.[r] ?? formatCsvLine(cells);
        const hash = hashText(key);
        if (dedup.has(key, hash)) continue;
        let text = '';
        for (let t = 0; t < textIndexes.length; t++) text += (t ? ' ' : '') + (cells[textIndexes[t]] ?? '');
        dedup.remember(key, writer.writeLine(`${key},${formatCsvField(text)}`), hash);
        rowsOut++;
        for (let c = 0; c < width; c++) {
          const cell = cells[c];
          if (cell === null) nulls[c]++;
          else if (trackers ? trackers[c].mayBeNumeric : reader.declaredTypes![c] === 'int' || reader.declaredTypes![c] === 'float') numeric[c].push(Number(cell));
        }
      }
      reporter.progress('preprocess', reader.bytesRead(), reader.sizeBytes, 'bytes');
    }
    reporter.endProgress();
    if (trackers && !trackers.every((t) => t.textIsCanonical)) {
      writer.abandon();
      return undefined;
    }
    writer.close();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  const types = [...(reader.declaredTypes ?? trackers!.map((t) => t.type)), 'string' as const];
  return { rowsIn, rowsOut, stats: TableStats.fromParts(outColumns, types, nulls, numeric), outputPath };
}

/** The general case: types first (one pass), then every cell rewritten as pandas would write it. */
async function deduplicateWithKnownTypes(
  inputPath: string,
  params: PreprocessParams,
  textColumns: string[],
  textFeature: string,
  workDir: string,
  reporter: Reporter,
): Promise<PassResult> {
  const schema = await inferSchema(inputPath, reporter, 'preprocess: scanning types');
  const { textIndexes, featureAt, outColumns } = layoutOf(`${params.inputArtifact} (${inputPath})`, schema.columns, textColumns, textFeature);
  const outTypes = featureAt >= 0 ? schema.types.map((t, i) => (i === featureAt ? 'string' : t)) : [...schema.types, 'string' as const];
  const outputPath = join(workDir, params.artifactName);
  const writer = new CsvFileWriter(outputPath);
  const stats = new TableStats(outColumns, outTypes);
  let rowsIn = 0;
  let rowsOut = 0;
  try {
    writer.writeHeader(outColumns);
    // When the feature is appended, each output line starts with the row's key, so the
    // duplicate check reads keys back from the output itself; otherwise from a keys file.
    const keys = featureAt >= 0 ? new CsvFileWriter(join(workDir, 'dedup-keys.csv')) : writer;
    const dedup = new ExactDeduplicator((offset, length) => keys.readBack(offset, length), featureAt >= 0 ? [0x0a] : [0x2c]);
    const reader = await openTable(inputPath);
    const canonical: Cell[] = new Array(schema.columns.length);
    for await (const batch of reader.batches()) {
      for (const cells of batch) {
        rowsIn++;
        for (let c = 0; c < cells.length; c++) canonical[c] = canonicalCell(cells[c], schema.types[c]);
        const key = formatCsvLine(canonical);
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
          offset = writer.writeLine(`${key},${formatCsvField(text)}`);
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
