import type { ReportModel } from './model.js';
import dagre from '@dagrejs/dagre';
import { escapeAttribute, escapeText } from './html-kit.js';

export interface LineageGraphNode {
  id: string;
  kind: 'source' | 'artifact';
  type: string;
  layer: number;
}

export interface LineageGraphEdge {
  from: string;
  to: string;
  step: string;
}

export interface LineageGraph {
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
}

/** The artifact graph of the pipeline runs shown: source URL -> raw data -> ... -> splits. */
export function lineageGraphOf(model: ReportModel): LineageGraph {
  const typeOf = new Map<string, string>();
  for (const artifact of model.artifacts) for (const v of artifact.versions) typeOf.set(`${v.name}:${v.version}`, v.type);
  const nodes = new Map<string, LineageGraphNode>();
  const edges = new Map<string, LineageGraphEdge>();
  const node = (id: string, kind: LineageGraphNode['kind']) => {
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
  // Layers: the longest path from a node without inputs (dagre ranks them the same way).
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

const NODE_WIDTH = 200;
const NODE_HEIGHT = 34;

export interface LineageLayout {
  width: number;
  height: number;
  nodes: Array<LineageGraphNode & { x: number; y: number }>;
  edges: Array<LineageGraphEdge & { points: Array<{ x: number; y: number }> }>;
}

/**
 * Lays the graph out in layers, left to right, with dagre (the Sugiyama method: ranks, then an
 * order within each rank that reduces crossings, then coordinates), so that the versions of one
 * artifact that fed different splits do not cross and bunch. Nodes are sorted first so the same
 * graph always gets the same layout.
 */
export function layoutLineage(graph: LineageGraph): LineageLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 110, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes = [...graph.nodes].sort((a, b) => a.layer - b.layer || a.id.localeCompare(b.id));
  for (const node of nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  dagre.layout(g);
  const layers = new Map(graph.nodes.map((n) => [n.id, n.layer]));
  const { width = 0, height = 0 } = g.graph();
  return {
    width: Math.ceil(width),
    height: Math.ceil(height),
    nodes: nodes.map((node) => {
      const { x, y } = g.node(node.id);
      return { ...node, x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 };
    }),
    edges: graph.edges.map((edge) => {
      const from = g.node(edge.from);
      const to = g.node(edge.to);
      // dagre's first and last points lie where the line meets a box; ours leave and enter its sides.
      // An edge to the next rank is one S-curve (a fan, each edge traceable); a longer one keeps dagre's waypoints.
      const skips = layers.get(edge.to)! - layers.get(edge.from)! > 1;
      const waypoints = skips ? (g.edge(edge.from, edge.to).points ?? []).slice(1, -1).filter((p: { x: number; y: number }) => p.x > from.x + NODE_WIDTH / 2 && p.x < to.x - NODE_WIDTH / 2) : [];
      return { ...edge, points: [{ x: from.x + NODE_WIDTH / 2, y: from.y }, ...waypoints, { x: to.x - NODE_WIDTH / 2, y: to.y }] };
    }),
  };
}

/**
 * An edge from the right middle of its source box to the left middle of its target box,
 * through dagre's waypoints in between (the ranks it skips), each leg an S-curve that leaves
 * and enters horizontally.
 */
export function edgePath(points: Array<{ x: number; y: number }>): string {
  const p = points.map(({ x, y }) => ({ x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 }));
  if (p.length === 0) return '';
  let d = `M${p[0].x},${p[0].y}`;
  for (let i = 1; i < p.length; i++) {
    const middle = Math.round(((p[i - 1].x + p[i].x) / 2) * 10) / 10;
    d += `C${middle},${p[i - 1].y} ${middle},${p[i].y} ${p[i].x},${p[i].y}`;
  }
  return d;
}

/**
 * Draws the laid-out graph as SVG: boxes are buttons (keyboard and click) that show the
 * artifact's details and highlight its path; each edge keeps its ends in data attributes.
 */
export function lineageSvg(graph: LineageGraph): string {
  if (graph.nodes.length === 0) return '<p>No artifacts yet.</p>';
  const layout = layoutLineage(graph);
  const paths = layout.edges.map((e, i) => `<path class="edge" data-edge="${i}" data-from="${escapeAttribute(e.from)}" data-to="${escapeAttribute(e.to)}" data-step="${escapeAttribute(e.step)}" d="${edgePath(e.points)}" marker-end="url(#arrow)"><title>${escapeText(`${e.from} -> ${e.to} (${e.step})`)}</title></path>`);
  const boxes = layout.nodes.map((n) => {
    const label = n.id.length > 30 ? `…${n.id.slice(-29)}` : n.id;
    return `<g class="node ${n.kind}" data-node="${escapeAttribute(n.id)}" data-type="${escapeAttribute(n.type)}" tabindex="0" role="button" aria-label="${escapeAttribute(`${n.id} (${n.type}): show details and path`)}" transform="translate(${n.x.toFixed(1)},${n.y.toFixed(1)})"><rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/><text x="8" y="21">${escapeText(label)}</text><title>${escapeText(`${n.id} (${n.type})`)}</title></g>`;
  });
  return `<svg class="lineage" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="group" aria-label="Lineage graph of the artifacts"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0L10,5L0,10z"/></marker></defs>${paths.join('')}${boxes.join('')}</svg>`;
}
