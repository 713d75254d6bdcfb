import { formatBytes, formatTime } from './format.js';
import { escapeAttribute as attr, escapeText as text, listTable, valueTable } from './html-kit.js';
import type { ReportModel } from './model.js';
import { profileTableHtml } from './profile-html.js';
import { type RecordedColumnStats, profileTable } from './profile.js';

/**
 * Each artifact version's details, hidden until it is selected in the graph or the table: its
 * record, its metadata as tables, and for a table its data profile.
 */
export function artifactDetails(model: ReportModel): string {
  const usedBy = new Map<string, string[]>();
  for (const { steps } of model.pipelines) for (const s of steps) for (const input of s.inputs) usedBy.set(input, [...new Set([...(usedBy.get(input) ?? []), s.id])]);
  const parts: string[] = [];
  for (const artifact of model.artifacts) {
    for (const v of artifact.versions) {
      const ref = `${v.name}:${v.version}`;
      const aliases = Object.entries(artifact.aliases).filter(([, version]) => version === v.version).map(([alias]) => alias);
      const { columns, ...metadata } = v.metadata as Record<string, unknown> & { columns?: RecordedColumnStats[] };
      const record = {
        description: v.description ?? '',
        aliases: aliases.join(', ') || '-',
        digest: v.digest,
        'made by run': v.createdBy ?? '-',
        'used by runs': (usedBy.get(ref) ?? []).join(', ') || '-',
        created: `${formatTime(v.createdAt)} UTC`,
      };
      const files = v.files.map((f) => ({ path: f.path, size: formatBytes(f.size), sha256: f.sha256 }));
      const counts = model.tableCounts[ref];
      const profile = counts ? profileTableHtml(ref, profileTable(counts, Array.isArray(columns) ? columns : [])) : Array.isArray(columns) ? `<h5>Columns</h5>${listTable(columns as unknown as Array<Record<string, unknown>>)}` : '';
      parts.push(`<article class="artifact-detail" data-artifact="${attr(ref)}" hidden><h3>${text(ref)} (${text(v.type)})</h3>
<div class="scroll">${valueTable(record)}</div><h4>Files</h4>${listTable(files)}
${Object.keys(metadata).length ? `<h4>Metadata</h4><div class="scroll">${valueTable(metadata, { className: 'metadata' })}</div>` : ''}
${profile ? `<h4>Data</h4>${profile}` : ''}</article>`);
    }
  }
  return parts.join('\n');
}
