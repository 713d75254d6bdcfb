import { basename } from 'node:path';
import { sha256Stream } from './hashing.js';
import { parseAliasPointer, parseManifest } from './manifest.js';
import type { Store } from './store.js';

export interface VerifyProblem {
  kind: 'corrupt' | 'missing' | 'malformed' | 'broken-alias' | 'stale-temp';
  what: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  versions: number;
  files: number;
  problems: VerifyProblem[];
}

/** Re-hashes every file of every version and checks every alias and manifest, like `git fsck`. */
export async function verifyStore(store: Store, onProgress?: (done: number) => void): Promise<VerifyReport> {
  const driver = store.driver;
  const problems: VerifyProblem[] = [];
  const verified = new Map<string, string | undefined>();
  let versions = 0;
  let files = 0;
  const keys = await driver.listDocs('artifacts/');
  for (const key of keys.filter((k) => k.includes('/versions/'))) {
    const doc = await driver.readDoc(key);
    if (!doc) continue;
    let manifest;
    try {
      manifest = parseManifest(key, doc.text);
    } catch (error) {
      problems.push({ kind: 'malformed', what: key, detail: (error as Error).message });
      continue;
    }
    versions++;
    for (const file of manifest.files) {
      files++;
      const where = `${manifest.project}/${manifest.name}:${manifest.version} ${file.path}`;
      if (!verified.has(file.sha256)) verified.set(file.sha256, await blobProblem(store, file.sha256));
      const problem = verified.get(file.sha256);
      if (problem === 'missing') problems.push({ kind: 'missing', what: where, detail: `blob ${file.sha256} is missing` });
      else if (problem) problems.push({ kind: 'corrupt', what: where, detail: `expected sha256 ${file.sha256}, found ${problem}` });
      onProgress?.(files);
    }
  }
  for (const key of keys.filter((k) => k.includes('/aliases/'))) {
    const doc = await driver.readDoc(key);
    if (!doc) continue;
    try {
      const version = parseAliasPointer(key, doc.text);
      const target = key.replace(/\/aliases\/[^/]+$/, `/versions/${version}.json`);
      if (!(await driver.readDoc(target))) {
        problems.push({ kind: 'broken-alias', what: key, detail: `points to ${version}, which does not exist` });
      }
    } catch (error) {
      problems.push({ kind: 'malformed', what: key, detail: (error as Error).message });
    }
  }
  for (const key of (await driver.listDocs('runs/')).filter((k) => k.endsWith('.json'))) {
    const doc = await driver.readDoc(key);
    try {
      JSON.parse(doc?.text ?? '');
    } catch {
      problems.push({ kind: 'malformed', what: key, detail: `run ${basename(key, '.json')} is not valid JSON` });
    }
  }
  for (const entry of await store.derived.list()) {
    const problem = await derivedProblem(store, entry.key, verified);
    if (problem) problems.push({ ...problem, what: `derived ${entry.kind} of ${entry.sourceSha256}` });
  }
  for (const temp of await driver.staleTemps()) {
    problems.push({ kind: 'stale-temp', what: temp, detail: 'left by a writer that is gone; removed on the next write' });
  }
  return { ok: problems.length === 0, versions, files, problems };
}

async function blobProblem(store: Store, sha256: string): Promise<string | undefined> {
  if (!(await store.driver.statBlob(sha256))) return 'missing';
  const actual = await sha256Stream(await store.driver.openBlob(sha256));
  return actual.sha256 === sha256 ? undefined : actual.sha256;
}

/**
 * A problem of one derived-data entry (see DerivedData). Harmless for results, as the steps
 * then read the table itself, but worth knowing: the cause may hit the artifacts too.
 */
async function derivedProblem(store: Store, key: string, verified: Map<string, string | undefined>): Promise<Omit<VerifyProblem, 'what'> | undefined> {
  const cure = 'the steps read the table instead, and preprocessing it again records it anew';
  const doc = await store.driver.readDoc(key);
  let sha256: unknown;
  try {
    sha256 = (JSON.parse(doc?.text ?? '') as { sha256?: unknown }).sha256;
  } catch {
    sha256 = undefined;
  }
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return { kind: 'malformed', detail: `${key} names no blob; ${cure}` };
  if (!verified.has(sha256)) verified.set(sha256, await blobProblem(store, sha256));
  const problem = verified.get(sha256);
  if (problem === 'missing') return { kind: 'missing', detail: `blob ${sha256} is missing; ${cure}` };
  if (problem) return { kind: 'corrupt', detail: `expected sha256 ${sha256}, found ${problem}; ${cure}` };
  return undefined;
}
