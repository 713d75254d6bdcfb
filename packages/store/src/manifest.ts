import * as generated from './generated/manifest-validators.js';
import { StoreError } from './errors.js';

export interface ArtifactFile {
  path: string;
  size: number;
  sha256: string;
}

/** What a version doc holds. Written once, never changed. */
export interface ArtifactManifest {
  format: 1;
  project: string;
  name: string;
  version: string;
  type: string;
  description: string;
  metadata: Record<string, unknown>;
  files: ArtifactFile[];
  digest: string;
  createdBy: string | null;
  createdAt: string;
}

// Compiled ahead of time from manifest-schema.ts by the build's `generate` target.
const validateManifestShape = generated.validateManifest as unknown as Validator<ArtifactManifest>;
const validateAliasShape = generated.validateAlias as unknown as Validator<{ version: string }>;

type Validator<T> = { (data: unknown): data is T; errors?: unknown };

function check<T>(validate: Validator<T>, what: string, data: unknown): T {
  if (!validate(data)) {
    const [first] = (validate.errors ?? []) as Array<{ instancePath: string; message?: string }>;
    throw new StoreError(`${what} is malformed: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim(), {
      hint: 'run "mldp store verify"; the store may have been edited by hand',
    });
  }
  return data;
}

export function parseManifest(key: string, text: string): ArtifactManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new StoreError(`manifest ${key} is not valid JSON`, { cause, hint: 'run "mldp store verify"' });
  }
  return check(validateManifestShape, `manifest ${key}`, data);
}

export function serializeManifest(manifest: ArtifactManifest): string {
  check(validateManifestShape, `manifest of ${manifest.name}:${manifest.version}`, manifest);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function parseAliasPointer(key: string, text: string): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new StoreError(`alias ${key} is not valid JSON`, { cause, hint: 'run "mldp store verify"' });
  }
  return check(validateAliasShape, `alias ${key}`, data).version;
}

export function serializeAliasPointer(version: string): string {
  return `${JSON.stringify({ version })}\n`;
}
