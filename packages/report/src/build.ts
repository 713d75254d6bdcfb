import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from '@mldp/store';
import { renderReport } from './html.js';
import { type ModelOptions, loadModel } from './model.js';

export interface BuiltReport {
  path: string;
  bytes: number;
  pipelines: number;
}

/** Writes a self-contained `index.html` (styles, script and SVG plots inline; no network) into `outDir`. */
export async function buildReport(store: Store, outDir: string, options: ModelOptions = {}): Promise<BuiltReport> {
  const model = await loadModel(store, options);
  const html = await renderReport(model);
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'index.html');
  const temp = `${path}.partial-${process.pid}`;
  writeFileSync(temp, html);
  renameSync(temp, path);
  return { path, bytes: Buffer.byteLength(html), pipelines: model.pipelines.length };
}
