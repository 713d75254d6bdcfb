import { StoreError } from './errors.js';
import { parseAliasPointer, parseManifest, serializeAliasPointer, type ArtifactManifest } from './manifest.js';
import { type ArtifactDocKey, RUNS_PREFIX, aliasesPrefix, artifactBase, artifactsPrefix, parseArtifactDocKey, runIdOfKey, runKey, runLogKey, versionKey } from './keys.js';
import { versionNumber } from './names.js';
import type { Store } from './store.js';

export interface CopyResult {
  /** Versions written to the destination, as `project/name:vN`. */
  copied: string[];
  /** Versions the destination already had, byte for byte. */
  present: string[];
  runs: number;
  aliases: string[];
  /** Aliases left alone because the destination points them elsewhere. */
  keptAliases: string[];
  blobsSent: number;
  bytesSent: number;
  /** Derived data (such as table counts) of the copied files. */
  derivedSent: number;
}

export interface CopyProgress {
  (done: number, total: number): void;
}

/**
 * Copies artifact versions with their lineage (the runs that made them, and recursively the
 * versions those runs used) from one store to another. Version labels and run ids are kept, so
 * references stay valid. Blobs the destination has are not sent; each manifest is written after
 * its files, so an interrupted copy leaves no visible partial version. With no refs, everything
 * is copied.
 */
export async function copyStore(source: Store, target: Store, refs: string[], onProgress?: CopyProgress): Promise<CopyResult> {
  const result: CopyResult = { copied: [], present: [], runs: 0, aliases: [], keptAliases: [], blobsSent: 0, bytesSent: 0, derivedSent: 0 };
  const { versionKeys, runIds } = refs.length ? await upstreamOf(source, refs) : await everything(source);
  let done = 0;
  for (const key of versionKeys) {
    await copyVersion(source, target, key, result);
    onProgress?.(++done, versionKeys.length);
  }
  for (const id of runIds) {
    for (const key of [runKey(id), runLogKey(id)]) {
      const doc = await source.driver.readDoc(key);
      if (doc && (await target.driver.createDoc(key, doc.text)) && key === runKey(id)) result.runs++;
    }
  }
  await copyAliases(source, target, versionKeys, result);
  return result;
}

async function copyVersion(source: Store, target: Store, key: string, result: CopyResult): Promise<void> {
  const doc = await source.driver.readDoc(key);
  if (!doc) throw new StoreError(`${key} disappeared from ${source.location} during the copy`);
  const manifest = parseManifest(key, doc.text);
  const label = `${manifest.project}/${manifest.name}:${manifest.version}`;
  const existing = await target.driver.readDoc(key);
  if (existing) {
    assertSameVersion(manifest, parseManifest(key, existing.text), target.location);
    result.present.push(label);
    return;
  }
  for (const file of manifest.files) {
    if ((await target.driver.statBlob(file.sha256))?.size === file.size) continue;
    const local = source.driver.localBlobPath?.(file.sha256) ?? (await source.driver.fetchBlob?.(file.sha256));
    if (!local) throw new StoreError(`cannot read blob ${file.sha256} of ${label} from ${source.location}`);
    await target.driver.ingestBlob(local, { expectedSha256: file.sha256 });
    result.blobsSent++;
    result.bytesSent += file.size;
  }
  for (const file of manifest.files) result.derivedSent += await source.derived.copyTo(target.derived, file.sha256);
  if (await target.driver.createDoc(key, doc.text)) {
    result.copied.push(label);
    return;
  }
  // Another writer took this label meanwhile: fine if it is the same version.
  const raced = await target.driver.readDoc(key);
  assertSameVersion(manifest, parseManifest(key, raced?.text ?? ''), target.location);
  result.present.push(label);
}

function assertSameVersion(wanted: ArtifactManifest, found: ArtifactManifest, where: string): void {
  if (found.digest === wanted.digest && found.type === wanted.type) return;
  throw new StoreError(
    `${wanted.project}/${wanted.name}:${wanted.version} exists in ${where} with other content (digest ${found.digest.slice(0, 12)}, here ${wanted.digest.slice(0, 12)})`,
    { hint: 'the two stores logged that name independently; copy into another project (MLDP_PROJECT) or another store' },
  );
}

/** `latest` moves forward only; other aliases are created where missing and otherwise left alone. */
async function copyAliases(source: Store, target: Store, versionKeys: string[], result: CopyResult): Promise<void> {
  const artifacts = new Set(versionKeys.map((key) => (parseArtifactDocKey(key) as ArtifactDocKey).base));
  const copied = new Set(versionKeys);
  for (const base of [...artifacts].sort()) {
    for (const key of await source.driver.listDocs(aliasesPrefix(base))) {
      const doc = await source.driver.readDoc(key);
      const parsed = parseArtifactDocKey(key);
      if (!doc || !parsed) continue;
      const version = parseAliasPointer(key, doc.text);
      if (!copied.has(versionKey(base, version))) continue;
      const alias = `${parsed.project}/${parsed.name}:${parsed.label}`;
      for (;;) {
        const current = await target.driver.readDoc(key);
        const currentVersion = current && parseAliasPointer(key, current.text);
        if (currentVersion === version) break;
        const isLatest = parsed.label === 'latest';
        if (currentVersion && (!isLatest || versionNumber(currentVersion) > versionNumber(version))) {
          if (!isLatest) result.keptAliases.push(`${alias} (${currentVersion} there, ${version} here)`);
          break;
        }
        if (await target.driver.swapDoc(key, serializeAliasPointer(version), current?.etag)) {
          result.aliases.push(`${alias} -> ${version}`);
          break;
        }
      }
    }
  }
}

async function everything(source: Store): Promise<{ versionKeys: string[]; runIds: string[] }> {
  const versionKeys = (await source.driver.listDocs(artifactsPrefix())).filter((key) => parseArtifactDocKey(key)?.kind === 'versions');
  const runIds = (await source.driver.listDocs(RUNS_PREFIX)).flatMap((key) => runIdOfKey(key) ?? []);
  return { versionKeys: sortVersionKeys(versionKeys), runIds };
}

/** The versions named, the runs that produced them, and everything upstream of those runs. */
async function upstreamOf(source: Store, refs: string[]): Promise<{ versionKeys: string[]; runIds: string[] }> {
  const versionKeys = new Set<string>();
  const runIds = new Set<string>();
  const pending = [...refs];
  while (pending.length) {
    const ref = pending.pop() as string;
    const version = await source.artifacts.resolve(ref);
    const key = versionKey(artifactBase(version.project, version.name), version.version);
    if (versionKeys.has(key)) continue;
    versionKeys.add(key);
    const runId = version.createdBy;
    if (!runId || runIds.has(runId)) continue;
    const run = await source.runs.tryGet(runId);
    if (!run) continue;
    runIds.add(runId);
    if (run.parent) runIds.add(run.parent);
    for (const input of run.inputs) pending.push(input.includes('/') ? input : `${run.project}/${input}`);
  }
  return { versionKeys: sortVersionKeys([...versionKeys]), runIds: [...runIds].sort() };
}

/** By artifact, then by version number. */
function sortVersionKeys(keys: string[]): string[] {
  const parts = (key: string) => parseArtifactDocKey(key) as ArtifactDocKey;
  return keys.sort((a, b) => {
    const [docA, docB] = [parts(a), parts(b)];
    return docA.base === docB.base ? versionNumber(docA.label) - versionNumber(docB.label) : docA.base < docB.base ? -1 : 1;
  });
}
