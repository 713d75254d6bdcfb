/** The page's inline style: readable at 1280 px and at 390 px (tables and the graph scroll). */
export const PAGE_STYLE = `
:root { color-scheme: light; --ok: #1b7f3b; --bad: #b00020; --muted: #555; }
* { box-sizing: border-box; }
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
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
figure { margin: 0; background: #fff; border: 1px solid #e3e3e3; padding: 6px; }
figure.failed { border: 2px solid var(--bad); }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .9em; }
svg.lineage { background: #fff; border: 1px solid #e3e3e3; }
svg.lineage .node rect { fill: #eef4fb; stroke: #4c78a8; }
svg.lineage .node.source rect { fill: #f4f4f4; stroke: #888; }
svg.lineage .node { cursor: pointer; }
svg.lineage .node:focus rect, svg.lineage .node.selected rect { stroke: #f58518; stroke-width: 3; }
svg.lineage text { font-size: 12px; fill: #222; }
svg.lineage line { stroke: #888; stroke-width: 1.5; }
.details { background: #fff; border: 1px solid #e3e3e3; padding: 8px 12px; margin-top: 10px; overflow-x: auto; max-width: 100%; }
.details td { overflow-wrap: anywhere; }
select, pre { max-width: 100%; }
p { overflow-wrap: anywhere; }
button.link { background: none; border: none; padding: 0; color: #0645ad; text-decoration: underline; cursor: pointer; font: inherit; text-align: left; }
@media (max-width: 600px) { main, header { padding-left: 10px; padding-right: 10px; } .plots { grid-template-columns: 1fr; } nav a { display: inline-block; margin-bottom: 4px; } }
`;

/** The page's only script: artifact details on selection, the run comparison, and sortable tables. */
export const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('mldp-data').textContent);
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function row(table, key, value) { var tr = el('tr'); var th = el('th', key); th.scope = 'row'; tr.appendChild(th); tr.appendChild(el('td', value)); table.appendChild(tr); }
  function show(ref) {
    var a = data.artifacts[ref];
    var box = document.getElementById('details');
    box.innerHTML = '';
    if (!a) { box.appendChild(el('p', ref + ' is a source, not a stored artifact.')); return; }
    box.appendChild(el('h3', a.ref + ' (' + a.type + ')'));
    var t = el('table');
    row(t, 'aliases', a.aliases.join(', ') || '-');
    row(t, 'digest', a.digest);
    row(t, 'files', a.files.map(function (f) { return f.path + ' (' + f.size + ' bytes, sha256 ' + f.sha256.slice(0, 12) + ')'; }).join('; '));
    row(t, 'made by run', a.createdBy || '-');
    row(t, 'used by runs', a.usedBy.join(', ') || '-');
    row(t, 'created', a.createdAt);
    Object.keys(a.metadata).forEach(function (k) { if (k !== 'columns') row(t, k, typeof a.metadata[k] === 'object' ? JSON.stringify(a.metadata[k]) : String(a.metadata[k])); });
    box.appendChild(t);
    if (Array.isArray(a.metadata.columns)) {
      var c = el('table'); c.className = 'columns';
      var head = el('tr'); ['column', 'type', 'nulls', 'min', 'max', 'mean'].forEach(function (h) { var th = el('th', h); th.scope = 'col'; head.appendChild(th); }); c.appendChild(head);
      a.metadata.columns.forEach(function (col) { var tr = el('tr'); [col.name, col.type, col.nulls, col.min, col.max, col.mean].forEach(function (v) { tr.appendChild(el('td', v === undefined ? '' : String(typeof v === 'number' ? +v.toPrecision(6) : v))); }); c.appendChild(tr); });
      box.appendChild(el('h4', 'Columns')); box.appendChild(c);
    }
    document.querySelectorAll('svg.lineage .node').forEach(function (n) { n.classList.toggle('selected', n.getAttribute('data-node') === ref); });
  }
  document.querySelectorAll('svg.lineage .node').forEach(function (n) {
    n.addEventListener('click', function () { show(n.getAttribute('data-node')); });
    n.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(n.getAttribute('data-node')); } });
  });
  document.querySelectorAll('button[data-artifact]').forEach(function (b) {
    b.addEventListener('click', function () { show(b.getAttribute('data-artifact')); document.getElementById('lineage').scrollIntoView(); });
  });
  var a = document.getElementById('compare-a'), b = document.getElementById('compare-b');
  if (b && b.options.length > 1) b.selectedIndex = 1;
  function compare() {
    var out = document.getElementById('compare-result'); out.innerHTML = '';
    var ra = data.runs.find(function (r) { return r.id === a.value; }), rb = data.runs.find(function (r) { return r.id === b.value; });
    if (!ra || !rb) return;
    var t = el('table'); var head = el('tr');
    ['', ra.id, rb.id].forEach(function (h) { var th = el('th', h); th.scope = 'col'; head.appendChild(th); }); t.appendChild(head);
    var diffs = 0;
    [['params', 'parameter'], ['metrics', 'metric']].forEach(function (kind) {
      var keys = Object.keys(Object.assign({}, ra[kind[0]], rb[kind[0]])).sort();
      keys.forEach(function (k) {
        var x = ra[kind[0]][k], y = rb[kind[0]][k];
        if (String(x) === String(y)) return;
        diffs++; var tr = el('tr'); var th = el('th', kind[1] + ' ' + k); th.scope = 'row'; tr.appendChild(th);
        tr.appendChild(el('td', x === undefined ? '-' : String(x))); tr.appendChild(el('td', y === undefined ? '-' : String(y))); t.appendChild(tr);
      });
    });
    out.appendChild(diffs ? t : el('p', 'The two runs have the same parameters and metrics.'));
  }
  if (a && b) { a.addEventListener('change', compare); b.addEventListener('change', compare); compare(); }
  document.querySelectorAll('table.sortable button[data-sort]').forEach(function (button) {
    button.addEventListener('click', function () {
      var th = button.parentNode, table = th.closest('table'), column = Array.prototype.indexOf.call(th.parentNode.children, th);
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (x, y) {
        var p = x.cells[column].getAttribute('data-value'), q = y.cells[column].getAttribute('data-value');
        var numbers = p !== '' && q !== '' && !isNaN(Number(p)) && !isNaN(Number(q));
        var order = numbers ? Number(p) - Number(q) : p.localeCompare(q);
        return ascending ? order : -order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
`;
