/**
 * The page's inline style: readable at 1280 px and at 390 px, where no section makes the page
 * scroll sideways (wide tables and the graph scroll in their own box; the runs table reflows).
 */
export const PAGE_STYLE = `
:root { color-scheme: light; --ok: #1b7f3b; --bad: #b00020; --muted: #555; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fafafa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
header h1 { margin: 0 0 4px; font-size: 1.4rem; }
header p { margin: 0 0 8px; color: var(--muted); overflow-wrap: anywhere; }
nav a { margin-right: 14px; }
main { padding: 0 20px 40px; max-width: 1400px; }
section { margin-top: 28px; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; background: #fff; min-width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
.scroll { overflow-x: auto; max-width: 100%; }
.badge { display: inline-block; padding: 1px 6px; border-radius: 8px; font-size: .85em; background: #eee; margin: 1px 0; }
.badge.finished { background: #dff3e4; color: var(--ok); }
.badge.failed, .badge.crashed { background: #fde0e4; color: var(--bad); }
.badge.running { background: #fff3cd; }
tr.more td { border-bottom: 2px solid #ddd; }
.error, .flag { color: var(--bad); }
pre { max-height: 320px; overflow: auto; background: #f4f4f4; padding: 8px; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.plots figure { max-width: 100%; }
figure { margin: 0; max-width: 100%; background: #fff; border: 1px solid #e3e3e3; padding: 6px; }
figure.failed { border: 2px solid var(--bad); }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .9em; }
svg.lineage { background: #fff; border: 1px solid #e3e3e3; }
#lineage > .scroll { max-height: 80vh; overflow: auto; }
svg.lineage .node rect { fill: #eef4fb; stroke: #4c78a8; }
svg.lineage .node.source rect { fill: #f4f4f4; stroke: #888; }
svg.lineage .node { cursor: pointer; }
svg.lineage .node:focus rect, svg.lineage .node.selected rect { stroke: #f58518; stroke-width: 3; }
svg.lineage text { font-size: 12px; fill: #222; }
svg.lineage path.edge { fill: none; stroke: #999; stroke-width: 1.5; }
svg.lineage.has-selection .node:not(.on-path) { opacity: .35; }
svg.lineage.has-selection path.edge:not(.on-path) { opacity: .2; }
svg.lineage path.edge.on-path { stroke: #f58518; stroke-width: 2.5; }
svg.lineage .node.on-path rect { stroke-width: 2; }
.details { background: #fff; border: 1px solid #e3e3e3; padding: 8px 12px; margin-top: 10px; overflow-x: auto; max-width: 100%; }
.details td { overflow-wrap: anywhere; }
select, pre { max-width: 100%; }
p { overflow-wrap: anywhere; }
button.link { background: none; border: none; padding: 0; color: #0645ad; text-decoration: underline; cursor: pointer; font: inherit; text-align: left; }
table { font-size: 14px; }
td.num, .kv td { font-variant-numeric: tabular-nums; }
table.kv th { font-weight: 600; white-space: nowrap; }
table.nested { min-width: 0; font-size: 13px; }
table.nested th, table.nested td { padding: 2px 6px; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 8px 0; }
.filters input, .filters select { font: inherit; max-width: 100%; }
table.runs tbody tr { cursor: pointer; }
table.runs tbody tr.selected { background: #fff6e8; }
/* Long values (a list of overrides, a path) are cut with an ellipsis; the cell's title holds them whole. */
table.runs td.param { max-width: 18em; overflow: hidden; text-overflow: ellipsis; }
table.runs td, table.runs th { white-space: nowrap; }
button.sort { background: none; border: 0; padding: 0; font: inherit; font-weight: 600; cursor: pointer; text-align: left; }
th[aria-sort=ascending] button.sort::after { content: " ▲"; }
th[aria-sort=descending] button.sort::after { content: " ▼"; }
.pager { margin: 6px 0; }
.run-detail, .artifact-detail { background: #fff; border: 1px solid #e3e3e3; padding: 8px 12px; margin-top: 10px; }
.run-detail table, .artifact-detail table { min-width: 0; }
svg.histogram rect { fill: #4c78a8; }
ol.top-values { margin: 0; padding-left: 1.2em; font-size: 13px; }
ol.top-values .count { color: var(--muted); }
ol.top-values .others { list-style: none; color: var(--muted); }
#metrics figure { display: inline-block; max-width: 100%; }
@media (max-width: 600px) { main, header { padding-left: 10px; padding-right: 10px; } nav a { display: inline-block; margin-bottom: 4px; }
  /* The runs table reflows into one card per run: each cell on its own line, named by its column. */
  table.runs, table.runs tbody, table.runs tr, table.runs td, table.runs tbody th { display: block; min-width: 0; white-space: normal; }
  table.runs thead { display: block; }
  /* The column titles, to sort by, are one row that scrolls sideways in its own box. */
  table.runs thead tr { display: flex; gap: 4px; overflow-x: auto; padding-bottom: 4px; }
  table.runs thead th { display: block; flex: none; border: 1px solid #ddd; border-radius: 10px; padding: 1px 8px; font-size: 13px; }
  table.runs tbody tr { border: 1px solid #ddd; margin-bottom: 8px; padding: 4px 8px; }
  table.runs tbody tr[hidden] { display: none; }
  table.runs tbody td, table.runs tbody th { border: 0; padding: 1px 0; overflow-wrap: anywhere; }
  table.runs td.param { max-width: none; }
  table.runs tbody td:empty { display: none; }
  table.runs tbody td::before { content: attr(data-label) ": "; color: var(--muted); }
}
`;
