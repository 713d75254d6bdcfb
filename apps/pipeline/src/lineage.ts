import { type ArtifactVersion, type RunRecord, type Store, parseArtifactRef, versionRef } from '@mldp/store';

export interface LineageNode {
  artifact: string;
  type: string;
  /** The run that created it (absent for artifacts logged outside a run). */
  run?: { id: string; step: string; status: string };
  /** Where a downloaded artifact came from. */
  source?: string;
  inputs: LineageNode[];
}

/** Walks back from an artifact version through the runs that made it to the downloaded source. */
export async function traceLineage(store: Store, ref: string, seen = new Set<string>()): Promise<LineageNode> {
  const version = await store.artifacts.resolve(ref);
  return nodeOf(store, version, seen);
}

async function nodeOf(store: Store, version: ArtifactVersion, seen: Set<string>): Promise<LineageNode> {
  const key = `${version.project}/${versionRef(version)}`;
  const node: LineageNode = { artifact: versionRef(version), type: version.type, inputs: [] };
  const source = version.metadata.source_url;
  if (typeof source === 'string') node.source = source;
  if (seen.has(key) || !version.createdBy) return node;
  seen.add(key);
  const run: RunRecord | undefined = await store.runs.tryGet(version.createdBy);
  if (!run) return node;
  node.run = { id: run.id, step: run.step, status: run.status };
  for (const input of run.inputs) {
    const parsed = parseArtifactRef(input);
    const upstream = await store.artifacts.tryResolve({ ...parsed, project: parsed.project ?? version.project });
    if (upstream) node.inputs.push(await nodeOf(store, upstream, seen));
  }
  return node;
}

export function formatLineage(node: LineageNode, depth = 0): string[] {
  const indent = '  '.repeat(depth);
  const made = node.run ? ` <- ${node.run.step} run ${node.run.id}${node.run.status === 'finished' ? '' : ` (${node.run.status})`}` : '';
  const lines = [`${indent}${node.artifact} [${node.type}]${made}`];
  if (node.source) lines.push(`${indent}  <- ${node.source}`);
  for (const input of node.inputs) lines.push(...formatLineage(input, depth + 1));
  return lines;
}
