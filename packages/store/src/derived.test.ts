import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@mldp/runtime';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Store, openStore } from './store.js';
import { BACKENDS } from './test-support/backends.js';
import { tempDir } from '@mldp/testkit';
import { verifyStore } from './verify.js';

describe.each(BACKENDS)('derived data on the $name driver', (backend) => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let source: string;

  beforeEach(async () => {
    dir = tempDir();
    const location = await backend.fresh();
    store = await openStore({ location, project: 'proj' });
    const path = join(dir.path, 'table.csv');
    writeFileSync(path, 'x\n1\n2\n');
    source = (await store.logArtifact({ name: 'table.csv', type: 'data', files: [{ path }] })).version.files[0].sha256;
  });
  afterEach(() => dir.remove());
  afterAll(() => backend.cleanup());

  it('keeps bytes by the source file and kind, and reads them back verified', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
    await store.derived.put(source, 'table-counts-v1', bytes, dir.path);
    expect(await store.derived.get(source, 'table-counts-v1')).toEqual(bytes);
    expect(await store.derived.get(source, 'other-v1')).toBeUndefined();
    expect(await store.derived.get('0'.repeat(64), 'table-counts-v1')).toBeUndefined();
    // Another store process sees it, and a second put replaces it.
    const again = await openStore({ location: store.location, project: 'proj' });
    await again.derived.put(source, 'table-counts-v1', Buffer.from('v2'), dir.path);
    expect((await store.derived.get(source, 'table-counts-v1'))?.toString()).toBe('v2');
    expect(await store.derived.list()).toEqual([expect.objectContaining({ sourceSha256: source, kind: 'table-counts-v1' })]);
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('treats a corrupt or missing entry as a miss, which store verify reports', async () => {
    // Bytes of their own: the shared read cache of remote stores may hold any earlier test's.
    await store.derived.put(source, 'table-counts-v1', Buffer.from(`counted ${randomUUID()}`), dir.path);
    const [entry] = await store.derived.list();
    const blob = JSON.parse((await store.driver.readDoc(entry.key))!.text).sha256 as string;
    await backend.corruptBlob(store, blob, 'changed');
    expect(await store.derived.get(source, 'table-counts-v1')).toBeUndefined();
    const report = await verifyStore(store);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'corrupt', what: `derived table-counts-v1 of ${source}` })]);
    expect(report.problems[0].detail).toMatch(/the steps read the table instead/);

    await backend.deleteBlob(store, blob);
    expect(await store.derived.get(source, 'table-counts-v1')).toBeUndefined();
    expect((await verifyStore(store)).problems).toEqual([expect.objectContaining({ kind: 'missing' })]);

    await store.driver.putDoc(entry.key, 'not json');
    expect(await store.derived.get(source, 'table-counts-v1')).toBeUndefined();
    expect((await verifyStore(store)).problems).toEqual([expect.objectContaining({ kind: 'malformed' })]);
  });

  it('records nothing in a read-only store, and refuses keys that are not a sha256 and a name', async () => {
    const readOnly = await openStore({ location: store.location, project: 'proj', env: { ...process.env, MLDP_STORE_READONLY: '1' } });
    await readOnly.derived.put(source, 'table-counts-v1', Buffer.from('x'), dir.path);
    expect(await store.derived.get(source, 'table-counts-v1')).toBeUndefined();
    await expect(store.derived.put('abc', 'table-counts-v1', Buffer.from('x'), dir.path)).rejects.toThrow(UsageError);
    await expect(store.derived.get(source, '../escape')).rejects.toThrow(/not a valid name/);
  });
});
