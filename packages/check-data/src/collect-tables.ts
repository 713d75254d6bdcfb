import { type Reporter } from '@mldp/runtime';
import { type ArtifactVersion, type Store, versionRef } from '@mldp/store';
import { TABLE_COUNTS_KIND, decodeTableCounts, namingInputs, singleTableFile, tableLabel } from '@mldp/table';
import { type CollectRequest, type CollectedTable, collectColumns } from './collect.js';
import { collectFromCounts } from './collect-counts.js';
import { collectBoth } from './collect-parallel.js';

/** One of check_data's two tables: its artifact version, what the checks need of it, and its progress label. */
export interface TableInput {
  version: ArtifactVersion;
  request: CollectRequest;
  label: string;
}

/**
 * What the checks need of the sample and the reference: from the counts preprocess recorded of
 * each table where they cover the request, else from the table's file (both files at once, on
 * two threads, when neither has counts).
 */
export async function collectTables(store: Store, inputs: [TableInput, TableInput], workDir: string, reporter: Reporter): Promise<[CollectedTable, CollectedTable]> {
  const fromCounts = await Promise.all(inputs.map((input) => collectFromStoredCounts(store, input)));
  if (fromCounts[0] && fromCounts[1]) return [fromCounts[0], fromCounts[1]];
  const files = await Promise.all(inputs.map(async ({ version }, i) => {
    if (fromCounts[i]) return undefined;
    const ref = versionRef(version);
    const local = await store.artifacts.materialize(version, workDir);
    return { path: singleTableFile(ref, local), label: tableLabel(ref, local) };
  }));
  const labels = Object.fromEntries(files.flatMap((file) => (file ? [[file.path, file.label]] : [])));
  return namingInputs(labels, async () => {
    if (files[0] && files[1]) return collectBoth(inputs[0].request, inputs[1].request, files[0].path, files[1].path, reporter, workDir);
    const read = async (i: number) => fromCounts[i] ?? (await collectColumns(files[i]!.path, inputs[i].request, reporter, inputs[i].label, workDir));
    return [await read(0), await read(1)];
  });
}

/** The table's columns from its recorded counts, or undefined if it has none that cover the request. */
async function collectFromStoredCounts(store: Store, { version, request }: TableInput): Promise<CollectedTable | undefined> {
  if (version.files.length !== 1) return undefined;
  const bytes = await store.derived.get(version.files[0].sha256, TABLE_COUNTS_KIND);
  if (!bytes) return undefined;
  try {
    return collectFromCounts(versionRef(version), decodeTableCounts(bytes, `the counts of ${versionRef(version)}`), request, request.knownTypes ?? new Map());
  } catch {
    return undefined; // derived data is a cache: a bad entry is a miss
  }
}

