import type { ReportModel } from './model.js';
import { escapeAttribute, escapeText } from './charts.js';

export interface LineageNode {
  id: string;
  kind: 'source' | 'artifact';
  type: string;
  layer: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  step: string;
}

/** The artifact graph of the pipeline runs shown: source URL -> raw data -> ... -> splits. */
export function lineageOf(model: ReportModel): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const typeOf = new Map<string, string>();
  for (const artifact of model.artifacts) for (const v of artifact.versions) typeOf.set(`${v.name}:${v.version}`, v.type);
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const node = (id: string, kind: LineageNode['kind']) => {
    if (!nodes.has(id)) nodes.set(id, { id, kind, type: kind === 'source' ? 'source' : (typeOf.get(id) ?? 'artifact'), layer: 0 });
  };
  for (const { steps } of model.pipelines) {
    for (const run of steps) {
      const inputs = [...run.inputs];
      if (run.step === 'download' && typeof run.params.file_url === 'string') {
        inputs.push(run.params.file_url);
        node(run.params.file_url, 'source');
      }
      for (const output of run.outputs) {
        node(output, 'artifact');
        for (const input of inputs) {
          if (!nodes.has(input)) node(input, 'artifact');
          edges.set(`${input}->${output}`, { from: input, to: output, step: run.step });
        }
      }
    }
  }
  // Layers: the longest path from a node without inputs.
  for (let changed = true, guard = 0; changed && guard < 100; guard++) {
    changed = false;
    for (const edge of edges.values()) {
      const target = nodes.get(edge.to)!;
      const wanted = nodes.get(edge.from)!.layer + 1;
      if (target.layer < wanted) {
        target.layer = wanted;
        changed = true;
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const NODE_WIDTH = 190;
const NODE_HEIGHT = 34;
const COLUMN = 240;
const ROW = 52;

/**
 * Draws the graph as SVG: boxes are buttons (keyboard and click) that show the artifact's
 * details, edges are lines between them. A diagram, not a plot, so it is laid out here.
 */
export function lineageSvg(graph: { nodes: LineageNode[]; edges: LineageEdge[] }): string {
  if (graph.nodes.length === 0) return '<p>No artifacts yet.</p>';
  const layers = new Map<number, LineageNode[]>();
  for (const n of graph.nodes) layers.set(n.layer, [...(layers.get(n.layer) ?? []), n]);
  const position = new Map<string, { x: number; y: number }>();
  for (const [layer, members] of layers) members.sort((a, b) => a.id.localeCompare(b.id)).forEach((n, i) => position.set(n.id, { x: 10 + layer * COLUMN, y: 10 + i * ROW }));
  const width = 20 + Math.max(...layers.keys()) * COLUMN + NODE_WIDTH;
  const height = 20 + Math.max(...[...layers.values()].map((m) => m.length)) * ROW;
  const lines = graph.edges.map((e) => {
    const a = position.get(e.from)!;
    const b = position.get(e.to)!;
    return `<line class="edge" data-from="${escapeAttribute(e.from)}" data-to="${escapeAttribute(e.to)}" x1="${a.x + NODE_WIDTH}" y1="${a.y + NODE_HEIGHT / 2}" x2="${b.x}" y2="${b.y + NODE_HEIGHT / 2}" marker-end="url(#arrow)"><title>${escapeText(`${e.from} -> ${e.to} (${e.step})`)}</title></line>`;
  });
  const boxes = graph.nodes.map((n) => {
    const p = position.get(n.id)!;
    const label = n.id.length > 28 ? `…${n.id.slice(-27)}` : n.id;
    return `<g class="node ${n.kind}" data-node="${escapeAttribute(n.id)}" data-type="${escapeAttribute(n.type)}" tabindex="0" role="button" aria-label="${escapeAttribute(`${n.id} (${n.type}): show details`)}" transform="translate(${p.x},${p.y})"><rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/><text x="8" y="21">${escapeText(label)}</text><title>${escapeText(`${n.id} (${n.type})`)}</title></g>`;
  });
  return `<svg class="lineage" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="Lineage graph of the artifacts"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z"/></marker></defs>${lines.join('')}${boxes.join('')}</svg>`;
}
