import { Ajv } from 'ajv';
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

const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'project', 'name', 'version', 'type', 'description', 'metadata', 'files', 'digest', 'createdBy', 'createdAt'],
  properties: {
    format: { const: 1 },
    project: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: '^v(0|[1-9][0-9]*)$' },
    type: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    metadata: { type: 'object' },
    files: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'size', 'sha256'],
        properties: {
          path: { type: 'string', minLength: 1 },
          size: { type: 'integer', minimum: 0 },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
    },
    digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    createdBy: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

const aliasSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: { type: 'string', pattern: '^v(0|[1-9][0-9]*)$' } },
} as const;

const ajv = new Ajv({ allErrors: false });
const validateManifestShape = ajv.compile<ArtifactManifest>(manifestSchema);
const validateAliasShape = ajv.compile<{ version: string }>(aliasSchema);

function check<T>(validate: { (data: unknown): data is T; errors?: unknown }, what: string, data: unknown): T {
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
