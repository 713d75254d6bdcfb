import { compareSortValues, lineagePath, pageWindow, rowMatches } from './client-logic.js';

/**
 * The page's only script: the runs table (sort, filter, page, open a run), the lineage graph
 * (select a node: its details and its path), the metric chart's choice and the run comparison.
 * The pure logic is client-logic.ts, inlined from its compiled source.
 */
export function pageScript(): string {
  const logic = [compareSortValues, rowMatches, pageWindow, lineagePath].map((fn) => fn.toString()).join('\n');
  return `(function () {\n${logic}\n${GLUE}\n})();`;
}

const GLUE = `
var data = JSON.parse(document.getElementById('mldp-data').textContent);
function $(selector, root) { return (root || document).querySelector(selector); }
function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

// The runs table.
var table = $('#runs-table'), form = $('#runs-filters');
if (table && form) {
  var body = table.tBodies[0], allRows = $$('tr', body), page = 0;
  function facts(tr) { return { status: tr.getAttribute('data-status'), group: tr.getAttribute('data-group'), steps: tr.getAttribute('data-steps').split(' '), text: tr.textContent }; }
  function filter() { return { status: form.status.value, group: form.group.value, step: form.step.value, query: form.query.value }; }
  function render() {
    var f = filter(), matching = allRows.filter(function (tr) { return rowMatches(facts(tr), f); });
    var w = pageWindow(matching.length, Number(form.size.value), page); page = w.page;
    allRows.forEach(function (tr) { tr.hidden = true; });
    matching.slice(w.start, w.end).forEach(function (tr) { tr.hidden = false; });
    $('#runs-page').textContent = allRows.length === 0 ? 'no runs yet' : matching.length === 0 ? 'no run matches the filters' : 'runs ' + (w.start + 1) + '-' + w.end + ' of ' + matching.length + ' (page ' + (w.page + 1) + ' of ' + w.pages + ')';
    $('#runs-prev').disabled = w.page === 0; $('#runs-next').disabled = w.page >= w.pages - 1;
  }
  ['change', 'input'].forEach(function (type) { form.addEventListener(type, function () { page = 0; render(); }); });
  $('#runs-prev').addEventListener('click', function () { page--; render(); });
  $('#runs-next').addEventListener('click', function () { page++; render(); });
  $$('button.sort', table).forEach(function (button) {
    button.addEventListener('click', function () {
      var th = button.parentNode, column = Number(button.getAttribute('data-column'));
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      $$('th[aria-sort]', table).forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      allRows.sort(function (x, y) { return compareSortValues(x.cells[column].getAttribute('data-value'), y.cells[column].getAttribute('data-value'), ascending); });
      allRows.forEach(function (tr) { body.appendChild(tr); });
      page = 0; render();
    });
  });
  function openRun(id) {
    $$('#run-details .run-detail').forEach(function (a) { a.hidden = a.getAttribute('data-run') !== id; });
    allRows.forEach(function (tr) { tr.classList.toggle('selected', tr.getAttribute('data-run') === id); });
    var shown = $('#run-details .run-detail:not([hidden])'); if (shown) shown.scrollIntoView({ block: 'nearest' });
  }
  $$('button.open-run', table).forEach(function (b) { b.addEventListener('click', function (e) { e.stopPropagation(); openRun(b.getAttribute('data-run')); }); });
  allRows.forEach(function (tr) { tr.addEventListener('click', function () { openRun(tr.getAttribute('data-run')); }); });
  render();
}

// The lineage graph: a node's details and its upstream and downstream path.
var edges = $$('svg.lineage path.edge').map(function (e) { return { from: e.getAttribute('data-from'), to: e.getAttribute('data-to'), el: e }; });
function show(ref) {
  var found = false;
  $$('#details .artifact-detail').forEach(function (a) { var on = a.getAttribute('data-artifact') === ref; a.hidden = !on; found = found || on; });
  $('#details-empty').hidden = found;
  $('#details-empty').textContent = found ? '' : ref + ' is a source, not a stored artifact.';
  var path = lineagePath(edges, ref), nodes = {};
  path.nodes.forEach(function (n) { nodes[n] = true; });
  var svg = $('svg.lineage'); if (svg) svg.classList.add('has-selection');
  $$('svg.lineage .node').forEach(function (n) { var id = n.getAttribute('data-node'); n.classList.toggle('selected', id === ref); n.classList.toggle('on-path', !!nodes[id]); });
  edges.forEach(function (e, i) { e.el.classList.toggle('on-path', path.edges.indexOf(i) >= 0); });
}
$$('svg.lineage .node').forEach(function (n) {
  n.addEventListener('click', function () { show(n.getAttribute('data-node')); });
  n.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(n.getAttribute('data-node')); } });
});
$$('button[data-artifact]').forEach(function (b) {
  b.addEventListener('click', function () { show(b.getAttribute('data-artifact')); $('#lineage').scrollIntoView(); });
});

// The metric over the runs.
var metric = $('#metric-choice');
function showMetric() { $$('#metrics figure[data-metric]').forEach(function (f) { f.hidden = f.getAttribute('data-metric') !== metric.value; }); }
if (metric) { metric.addEventListener('change', showMetric); showMetric(); }

// The run comparison: values come formatted from the report, as everywhere else.
var a = $('#compare-a'), b = $('#compare-b');
if (b && b.options.length > 1) b.selectedIndex = 1;
function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
function compare() {
  var out = $('#compare-result'); out.innerHTML = '';
  var ra = data.runs.find(function (r) { return r.id === a.value; }), rb = data.runs.find(function (r) { return r.id === b.value; });
  if (!ra || !rb) return;
  var t = el('table'); var head = el('tr');
  ['', ra.id, rb.id].forEach(function (h) { var th = el('th', h); th.scope = 'col'; head.appendChild(th); }); t.appendChild(head);
  var diffs = 0;
  [['params', 'parameter'], ['metrics', 'metric']].forEach(function (kind) {
    Object.keys(Object.assign({}, ra[kind[0]], rb[kind[0]])).sort().forEach(function (k) {
      var x = ra[kind[0]][k], y = rb[kind[0]][k];
      if (x === y) return;
      diffs++; var tr = el('tr'); var th = el('th', kind[1] + ' ' + k); th.scope = 'row'; tr.appendChild(th);
      tr.appendChild(el('td', x === undefined ? '-' : x)); tr.appendChild(el('td', y === undefined ? '-' : y)); t.appendChild(tr);
    });
  });
  out.appendChild(diffs ? t : el('p', 'The two runs have the same parameters and metrics.'));
}
if (a && b) { a.addEventListener('change', compare); b.addEventListener('change', compare); compare(); }

// Sweep tables sort by a column title.
$$('table.sortable button[data-sort]').forEach(function (button) {
  button.addEventListener('click', function () {
    var th = button.parentNode, t = th.closest('table'), column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    $$('th[aria-sort]', t).forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var rows = $$('tr', t.tBodies[0]);
    rows.sort(function (x, y) { return compareSortValues(x.cells[column].getAttribute('data-value'), y.cells[column].getAttribute('data-value'), ascending); });
    rows.forEach(function (r) { t.tBodies[0].appendChild(r); });
  });
});
`;
