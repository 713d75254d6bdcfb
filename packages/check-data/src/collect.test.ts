import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentReporter } from '@mldp/runtime';
import { tempDir } from '@mldp/testkit';
import { inferSchema } from '@mldp/table';
import { afterAll, describe, expect, it } from 'vitest';
import { type CollectRequest, type CollectedTable, collectColumns, fromTransferable, toTransferable } from './collect.js';
import { sortedFinite } from './ks.js';

const DATA = join(import.meta.dirname, '../../../data/genres_mod1.csv');
const dir = tempDir();
afterAll(() => dir.remove());

/** What the checks read of each column, with numbers in sorted order (the byte path presorts them). */
function observable(table: CollectedTable) {
  return [...table.byName.values()].map((c) => ({
    name: c.name,
    type: c.type,
    // Columns whose values no check reads have their nulls counted by the cell path only.
    nulls: c.values || c.classCounts ? c.nulls : undefined,
    firstNonNumeric: c.firstNonNumeric,
    classCounts: c.classCounts && [...c.classCounts].sort(),
    values: c.values && Array.from(sortedFinite(c.values).values),
    nan: c.values && sortedFinite(c.values).dropped,
  }));
}

describe('collecting columns on bytes (spilled) and as cells', () => {
  const requestFor = async (path: string): Promise<CollectRequest> => {
    const schema = await inferSchema(path);
    const numeric = new Set(['danceability', 'energy', 'loudness', 'tempo', 'duration_ms', 'key']);
    return {
      numeric,
      sorted: new Set(['danceability', 'tempo']),
      categorical: new Set(['genre']),
      wanted: new Set([...numeric, 'genre', 'title']),
      knownTypes: new Map(schema.columns.map((name, i) => [name, schema.types[i]])),
    };
  };

  it('gives the checks the same numbers, nulls and classes on the bundled data', async () => {
    const request = await requestFor(DATA);
    const cells = await collectColumns(DATA, request, silentReporter, 'x');
    const bytes = await collectColumns(DATA, request, silentReporter, 'x', dir.path);
    expect(bytes.byName.get('tempo')?.stored).toBeDefined();
    expect(bytes.rows).toBe(cells.rows);
    expect(observable(bytes)).toEqual(observable(cells));
    // A table sent from the worker thread loads the same spilled numbers.
    const { data } = toTransferable(bytes);
    expect(observable(fromTransferable(structuredClone(data)))).toEqual(observable(cells));
  });

  it('keeps NaN spellings, nulls and the first non-number as the cell path does', async () => {
    const path = join(dir.path, 'odd.csv');
    writeFileSync(path, 'a,b,genre\n1.5,x,pop\n,nan,\n-0.0,2,"rock, hard"\n1e3,NaN,pop\n7,,jazz\n');
    const request: CollectRequest = {
      numeric: new Set(['a', 'b']),
      categorical: new Set(['genre']),
      wanted: new Set(['a', 'b', 'genre']),
      knownTypes: new Map([['a', 'float'], ['b', 'float'], ['genre', 'string']]),
    };
    const cells = await collectColumns(path, request, silentReporter, 'x');
    const bytes = await collectColumns(path, request, silentReporter, 'x', dir.path);
    expect(observable(bytes)).toEqual(observable(cells));
    expect(bytes.byName.get('b')?.firstNonNumeric).toEqual([0, 'x']);
    expect(bytes.byName.get('genre')?.classCounts).toEqual(new Map([['pop', 2], ['', 1], ['rock, hard', 1], ['jazz', 1]]));
  });
});
