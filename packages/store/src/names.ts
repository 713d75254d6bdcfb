import { InvalidNameError, InvalidReferenceError } from './errors.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION_PATTERN = /^v(0|[1-9][0-9]*)$/;

/** Rejects names that could escape the store (`..`, `/`, NUL) or are unreadable. */
export function assertValidName(kind: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidNameError(kind, String(value), 'is empty');
  if (value.length > 200) throw new InvalidNameError(kind, value, 'is longer than 200 characters');
  if (!NAME_PATTERN.test(value) || value.includes('..')) {
    throw new InvalidNameError(kind, value, 'is not a valid name');
  }
}

export function isVersionLabel(label: string): boolean {
  return VERSION_PATTERN.test(label);
}

export function versionNumber(label: string): number {
  return Number(label.slice(1));
}

export function assertValidAlias(alias: string): void {
  assertValidName('alias', alias);
  if (isVersionLabel(alias)) throw new InvalidNameError('alias', alias, 'looks like a version label (vN), which is reserved');
}

export interface ArtifactRef {
  project?: string;
  name: string;
  /** A version label (`v3`) or an alias (`latest`). */
  label: string;
}

/** Parses `name`, `name:v3`, `name:alias` and `project/name:alias`. */
export function parseArtifactRef(ref: string): ArtifactRef {
  if (typeof ref !== 'string' || ref.trim() === '') throw new InvalidReferenceError(String(ref), 'is empty');
  const slash = ref.indexOf('/');
  const project = slash >= 0 ? ref.slice(0, slash) : undefined;
  const rest = slash >= 0 ? ref.slice(slash + 1) : ref;
  const colon = rest.lastIndexOf(':');
  const name = colon >= 0 ? rest.slice(0, colon) : rest;
  const label = colon >= 0 ? rest.slice(colon + 1) : 'latest';
  try {
    if (project !== undefined) assertValidName('project', project);
    assertValidName('artifact name', name);
    assertValidName('version or alias', label);
  } catch (error) {
    throw new InvalidReferenceError(ref, `does not parse: ${(error as Error).message}`);
  }
  return { project, name, label };
}

export function formatRef(ref: ArtifactRef): string {
  return `${ref.project ? `${ref.project}/` : ''}${ref.name}:${ref.label}`;
}
