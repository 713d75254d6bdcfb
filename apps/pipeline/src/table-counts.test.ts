import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ChecksFailedError, checkData } from '@mldp/check-data';
import { preprocess } from '@mldp/preprocess';
import { type Store, openStore } from '@mldp/store';
import { tempDir } from '@mldp/testkit';
import { TABLE_COUNTS_KIND, decodeTableCounts, encodeTableCounts } from '@mldp/table';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const DATA = join(import.meta.dirname, '../../../data');

/** check_data on preprocess's outputs: from the counts preprocess records, or from the tables. */
describe('check_data on the counts preprocess records', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const countsKey = (sha256: string) => `derived/${sha256}/${TABLE_COUNTS_KIND}.json`;
  const preprocessed = async (file: string) => {
    await store.logArtifact({ name: 'raw_data', type: 'raw_data', files: [{ path: join(DATA, file) }] });
    return (await preprocess({ inputArtifact: 'raw_data:latest', artifactName: 'preprocessed_data.csv', artifactType: 'preprocessed_data' }, store)).artifact;
  };
  /** The report check_data logs (whether its checks pass or fail). */
  const check = async (options: { ksAlpha?: number } = {}) => {
    await checkData({ referenceArtifact: 'preprocessed_data.csv:reference', sampleArtifact: 'preprocessed_data.csv:latest', ksAlpha: options.ksAlpha ?? 0.05 }, store).catch((error) => {
      if (!(error instanceof ChecksFailedError)) throw error;
    });
    const report = (await store.artifacts.resolve('check_data_report:latest')).files.find((f) => f.path === 'report.json')!;
    return JSON.parse(readFileSync(store.driver.localBlobPath!(report.sha256)!, 'utf8'));
  };

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ location: join(dir.path, 'store') });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dir.remove();
  });

  it('gives the report it gives from the tables, without reading either table', async () => {
    const reference = await preprocessed('genres_mod1.csv');
    await store.artifacts.setAlias('preprocessed_data.csv:v0', 'reference');
    const sample = await preprocessed('genres_mod2.parquet');
    const materialize = vi.spyOn(store.artifacts, 'materialize');
    const fromCounts = await check();
    expect(materialize).not.toHaveBeenCalled();
    expect(fromCounts.passed).toBe(true);
    expect(fromCounts.ks).toHaveLength(10);

    for (const version of [reference, sample]) await store.driver.deleteDoc(countsKey(version.files[0].sha256));
    const fromTables = await check();
    expect(materialize).toHaveBeenCalledTimes(2);
    expect(fromCounts).toEqual(fromTables);
  });

  it('reads a table whose counts are missing, corrupt or lack a column the checks need', async () => {
    const reference = await preprocessed('genres_mod1.csv');
    await store.artifacts.setAlias('preprocessed_data.csv:v0', 'reference');
    const sample = await preprocessed('genres_mod2.csv');
    const expected = await check({ ksAlpha: 0.2 });
    const materialize = vi.spyOn(store.artifacts, 'materialize');

    // The reference's counts without the numbers of one KS column: only the reference is read.
    const counts = decodeTableCounts((await store.derived.get(reference.files[0].sha256, TABLE_COUNTS_KIND))!, 'counts');
    delete counts.columns.find((c) => c.name === 'tempo')!.numbers;
    await store.derived.put(reference.files[0].sha256, TABLE_COUNTS_KIND, encodeTableCounts(counts), dir.path);
    expect(await check({ ksAlpha: 0.2 })).toEqual(expected);
    expect(materialize.mock.calls.map(([version]) => version.version)).toEqual(['v0']);

    // The sample's counts corrupt: a miss, so the sample is read too.
    materialize.mockClear();
    await store.driver.putDoc(countsKey(sample.files[0].sha256), '{"sha256":"0000000000000000000000000000000000000000000000000000000000000000"}');
    expect(await check({ ksAlpha: 0.2 })).toEqual(expected);
    expect(materialize.mock.calls.map(([version]) => version.version).sort()).toEqual(['v0', 'v1']);
  });
});
