import { resolve } from 'node:path';
import { plural } from '@mldp/runtime';
import type { ArtifactVersion } from '@mldp/store';
import { stringify as stringifyYaml } from 'yaml';
import { type GlobalArgs, storeFor } from '../context.js';
import { formatTable, otherProjects, printJson } from '../format.js';
import { formatLineage, traceLineage } from '../lineage.js';

export async function artifactsList(args: GlobalArgs): Promise<number> {
  const store = await storeFor(args);
  const list = await store.artifacts.list(store.project);
  if (args.json) return printJson(list), 0;
  if (list.length === 0) {
    const projects = [...new Set((await store.artifacts.list()).map((a) => a.project))];
    process.stdout.write(`no artifacts in project ${store.project} of ${store.location}${otherProjects(projects, store.project, 'artifacts')}\n`);
    return 0;
  }
  const rows = list.map((a) => [
    a.name,
    a.type,
    String(a.versions.length),
    Object.entries(a.aliases)
      .map(([alias, version]) => `${alias}->${version}`)
      .join(' '),
  ]);
  process.stdout.write(`${formatTable(['NAME', 'TYPE', 'VERSIONS', 'ALIASES'], rows)}\n`);
  return 0;
}

export async function artifactsShow(args: GlobalArgs & { ref: string }): Promise<number> {
  const store = await storeFor(args);
  const version = await store.artifacts.resolve(args.ref);
  if (args.json) return printJson(showJson(version)), 0;
  const lines = [
    `${version.project}/${version.name}:${version.version}  [${version.type}]  aliases: ${version.aliases.join(', ') || '-'}`,
    `description: ${version.description || '-'}`,
    `digest: ${version.digest}`,
    `created: ${version.createdAt} by run ${version.createdBy ?? '-'}`,
    'files:',
    ...version.files.map((f) => `  ${f.path}  ${plural(f.size, 'byte')}  sha256 ${f.sha256}`),
    ...metadataLines(version.metadata),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The metadata as indented YAML under its heading, like the files above it. */
function metadataLines(metadata: Record<string, unknown>): string[] {
  if (Object.keys(metadata).length === 0) return ['metadata: -'];
  return ['metadata:', ...stringifyYaml(metadata, { lineWidth: 0 }).trimEnd().split('\n').map((line) => `  ${line}`)];
}

function showJson(version: ArtifactVersion): Record<string, unknown> {
  return {
    project: version.project,
    name: version.name,
    version: version.version,
    aliases: version.aliases,
    type: version.type,
    description: version.description,
    digest: version.digest,
    files: version.files,
    metadata: version.metadata,
    createdBy: version.createdBy,
    createdAt: version.createdAt,
  };
}

export async function artifactsGet(args: GlobalArgs & { ref: string; out: string }): Promise<number> {
  const store = await storeFor(args);
  const version = await store.artifacts.resolve(args.ref);
  const written = await store.artifacts.exportTo(version, resolve(args.out));
  if (args.json) return printJson({ artifact: `${version.name}:${version.version}`, files: written }), 0;
  for (const path of written) process.stdout.write(`${path}\n`);
  return 0;
}

export async function artifactsAlias(args: GlobalArgs & { ref: string; alias: string }): Promise<number> {
  const store = await storeFor(args);
  const version = await store.artifacts.setAlias(args.ref, args.alias);
  if (args.json) return printJson(showJson(version)), 0;
  process.stdout.write(`${version.name}:${args.alias} -> ${version.version}\n`);
  return 0;
}

export async function artifactsLineage(args: GlobalArgs & { ref: string }): Promise<number> {
  const store = await storeFor(args);
  const lineage = await traceLineage(store, args.ref);
  if (args.json) return printJson(lineage), 0;
  process.stdout.write(`${formatLineage(lineage).join('\n')}\n`);
  return 0;
}
