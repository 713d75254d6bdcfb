import { createWriteStream, promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '@mldp/runtime';
import type { StoreDriver } from './driver.js';
import { ArtifactNotFoundError, CorruptFileError, StoreError, fsError } from './errors.js';
import { artifactDigest, sha256File } from './hashing.js';
import {
  type ArtifactFile,
  type ArtifactManifest,
  parseAliasPointer,
  parseManifest,
  serializeAliasPointer,
} from './manifest.js';
import { type ArtifactRef, assertValidAlias, assertValidName, formatRef, isVersionLabel, parseArtifactRef, versionNumber } from './names.js';
import { type ArtifactBase, aliasKey, aliasesPrefix, artifactBase, artifactsPrefix, parseArtifactDocKey, versionKey } from './keys.js';
import { commitNextVersion, listVersionDocs, readLatestLabel, readVisiblePending, withArtifactLock } from './version-commit.js';

export interface ArtifactVersion extends ArtifactManifest {
  aliases: string[];
}

export interface LogArtifactSpec {
  name: string;
  type: string;
  description?: string;
  metadata?: Record<string, unknown>;
  /** Local files; each is stored under `name` (default: its base name). */
  /** `sha256`: computed by the producer over exactly the bytes it wrote (see IngestOptions). */
  files: Array<{ path: string; name?: string; expectedSha256?: string; sha256?: string }>;
  /** Move the files into the store instead of copying them (they are scratch outputs). */
  move?: boolean;
}

export interface LoggedArtifact {
  version: ArtifactVersion;
  /** False when the content equalled the latest version's, so no version was added. */
  created: boolean;
}

export interface ArtifactSummary {
  project: string;
  name: string;
  type: string;
  versions: string[];
  aliases: Record<string, string>;
}

/** Append-only artifact versions with movable aliases, on any driver. */
export class Artifacts {
  constructor(
    private readonly driver: StoreDriver,
    readonly defaultProject: string,
  ) {}

  async log(spec: LogArtifactSpec, createdBy: string | null): Promise<LoggedArtifact> {
    const project = this.defaultProject;
    assertValidName('artifact name', spec.name);
    assertValidName('artifact type', spec.type);
    if (spec.files.length === 0) throw new UsageError(`artifact ${spec.name} has no files`);
    const files: ArtifactFile[] = [];
    for (const file of spec.files) {
      const path = file.name ?? basename(file.path);
      assertValidName('file name', path);
      if (files.some((f) => f.path === path)) throw new UsageError(`artifact ${spec.name} lists the file ${path} twice`);
      const blob = await this.driver.ingestBlob(file.path, { move: spec.move, expectedSha256: file.expectedSha256, sha256: file.sha256 });
      files.push({ path, size: blob.size, sha256: blob.sha256 });
    }
    const digest = artifactDigest(files);
    const draft: ArtifactManifest = {
      format: 1,
      project,
      name: spec.name,
      version: 'v0',
      type: spec.type,
      description: spec.description ?? '',
      metadata: spec.metadata ?? {},
      files,
      digest,
      createdBy,
      createdAt: new Date().toISOString(),
    };
    const base = this.base(project, spec.name);
    const { manifest, created } = await withArtifactLock(this.driver, base, `log ${spec.name}`, () =>
      commitNextVersion(this.driver, base, draft, (latest) => latest.digest === digest && latest.type === spec.type),
    );
    return { version: await this.withAliases(manifest), created };
  }

  /** Resolves a reference (`name`, `name:v3`, `name:alias`, `project/name:alias`) to a version. */
  async resolve(ref: string | ArtifactRef): Promise<ArtifactVersion> {
    const parsed = typeof ref === 'string' ? parseArtifactRef(ref) : ref;
    const found = await this.tryResolve(parsed);
    if (found) return found;
    const project = parsed.project ?? this.defaultProject;
    const versions = await this.versionLabels(project, parsed.name);
    const aliases = Object.keys(await this.aliases(project, parsed.name));
    const available = [...versions, ...aliases].map((label) => `${parsed.name}:${label}`);
    throw new ArtifactNotFoundError(formatRef({ ...parsed, project }), available);
  }

  async tryResolve(ref: ArtifactRef): Promise<ArtifactVersion | undefined> {
    const project = ref.project ?? this.defaultProject;
    let label = ref.label;
    if (!isVersionLabel(label)) {
      const pointer = await this.driver.readDoc(this.aliasKey(project, ref.name, label));
      if (!pointer) return undefined;
      label = parseAliasPointer(this.aliasKey(project, ref.name, label), pointer.text);
    }
    const manifest = await this.readManifest(project, ref.name, label);
    return manifest && this.withAliases(manifest);
  }

  /** The visible versions: committed ones, and a pending one that `latest` already points at. */
  async versionLabels(project: string, name: string): Promise<string[]> {
    const base = this.base(project, name);
    const { committed, pending } = await listVersionDocs(this.driver, base);
    if (pending.length === 0) return committed;
    const latest = await readLatestLabel(this.driver, base);
    if (latest === undefined || committed.includes(latest) || !pending.includes(latest)) return committed;
    return [...committed, latest].sort((a, b) => versionNumber(a) - versionNumber(b));
  }

  async aliases(project: string, name: string): Promise<Record<string, string>> {
    const keys = await this.driver.listDocs(aliasesPrefix(this.base(project, name)));
    const result: Record<string, string> = {};
    for (const key of keys) {
      const doc = await this.driver.readDoc(key);
      if (doc) result[basename(key, '.json')] = parseAliasPointer(key, doc.text);
    }
    return result;
  }

  /** Points `alias` at the version `ref` resolves to. `latest` may be moved back, too. */
  async setAlias(ref: string | ArtifactRef, alias: string): Promise<ArtifactVersion> {
    assertValidAlias(alias);
    const target = await this.resolve(ref);
    const key = this.aliasKey(target.project, target.name, alias);
    const move = async () => {
      for (;;) {
        const current = await this.driver.readDoc(key);
        if (await this.driver.swapDoc(key, serializeAliasPointer(target.version), current?.etag)) break;
      }
    };
    // Moving `latest` away from a commit a dead writer left unfinished would hide that version: settle it first.
    if (alias === 'latest') await withArtifactLock(this.driver, this.base(target.project, target.name), `move ${alias}`, move);
    else await move();
    return this.withAliases(target);
  }

  async list(project?: string): Promise<ArtifactSummary[]> {
    const keys = await this.driver.listDocs(artifactsPrefix(project));
    const names = new Map<string, { project: string; name: string }>();
    for (const key of keys) {
      const doc = parseArtifactDocKey(key);
      if (doc) names.set(doc.base, { project: doc.project, name: doc.name });
    }
    const summaries: ArtifactSummary[] = [];
    for (const { project: p, name } of names.values()) {
      const versions = await this.versionLabels(p, name);
      if (versions.length === 0) continue;
      const latest = await this.readManifest(p, name, versions[versions.length - 1]);
      summaries.push({ project: p, name, type: latest?.type ?? '?', versions, aliases: await this.aliases(p, name) });
    }
    return summaries.sort((a, b) => (a.project + a.name < b.project + b.name ? -1 : 1));
  }

  /**
   * Local paths of the version's files, each checked against its recorded sha256 first, so a
   * file changed on disk after it was logged is refused (files whose stat data are unchanged
   * since they were last found intact are not re-hashed; see VerifiedStamps).
   */
  async materialize(version: ArtifactManifest, scratchDir: string): Promise<Record<string, string>> {
    const paths: Record<string, string> = {};
    for (const file of version.files) {
      const local = this.driver.localBlobPath?.(file.sha256) ?? (await this.driver.fetchBlob?.(file.sha256));
      if (local) {
        if (!(await this.driver.verifiedStamps?.isIntact(file.sha256, local))) {
          await this.assertIntact(version, file, local);
          if (!this.driver.readOnly) await this.driver.verifiedStamps?.record(file.sha256, local);
        }
        paths[file.path] = local;
      } else {
        paths[file.path] = await this.copyFile(version, file, join(scratchDir, file.path));
      }
    }
    return paths;
  }

  /** Copies the version's files into `dir`, verifying each. */
  async exportTo(version: ArtifactManifest, dir: string): Promise<string[]> {
    await fs.mkdir(dir, { recursive: true }).catch((error) => {
      throw fsError('create the folder', dir, error);
    });
    const written: string[] = [];
    for (const file of version.files) written.push(await this.copyFile(version, file, join(dir, file.path)));
    return written;
  }

  private async copyFile(version: ArtifactManifest, file: ArtifactFile, target: string): Promise<string> {
    const partial = `${target}.partial-${process.pid}`;
    try {
      const cached = await this.driver.fetchBlob?.(file.sha256);
      if (cached) await fs.copyFile(cached, partial);
      else await pipeline(await this.driver.openBlob(file.sha256), createWriteStream(partial));
      await this.assertIntact(version, file, partial);
      await fs.rename(partial, target);
      return target;
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
  }

  private async assertIntact(version: ArtifactManifest, file: ArtifactFile, path: string): Promise<void> {
    let actual;
    try {
      actual = await sha256File(path);
    } catch (error) {
      throw new StoreError(`file ${file.path} of ${version.name}:${version.version} is missing from the store`, {
        hint: 'run "mldp store verify" and log the artifact again',
        cause: error,
      });
    }
    if (actual.sha256 !== file.sha256) {
      throw new CorruptFileError(`file ${file.path} of ${version.name}:${version.version}`, file.sha256, actual.sha256);
    }
  }

  private async readManifest(project: string, name: string, version: string): Promise<ArtifactManifest | undefined> {
    const key = this.versionKey(project, name, version);
    const doc = await this.driver.readDoc(key);
    if (doc) return parseManifest(key, doc.text);
    return readVisiblePending(this.driver, this.base(project, name), version);
  }

  private async withAliases(manifest: ArtifactManifest): Promise<ArtifactVersion> {
    const aliases = await this.aliases(manifest.project, manifest.name);
    return {
      ...manifest,
      aliases: Object.entries(aliases)
        .filter(([, version]) => version === manifest.version)
        .map(([alias]) => alias)
        .sort(),
    };
  }

  private base(project: string, name: string): ArtifactBase {
    assertValidName('project', project);
    assertValidName('artifact name', name);
    return artifactBase(project, name);
  }

  private versionKey(project: string, name: string, version: string): string {
    return versionKey(this.base(project, name), version);
  }

  private aliasKey(project: string, name: string, alias: string): string {
    assertValidName('alias', alias);
    return aliasKey(this.base(project, name), alias);
  }
}

export function versionRef(version: Pick<ArtifactManifest, 'name' | 'version'>): string {
  return `${version.name}:${version.version}`;
}
