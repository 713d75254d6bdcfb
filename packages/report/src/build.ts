import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MldpError, UsageError } from '@mldp/runtime';
import { type Store } from '@mldp/store';
import { renderReport } from './html.js';
import { type ModelOptions, loadModel } from './model.js';

export interface BuiltReport {
  path: string;
  bytes: number;
  /** The pipeline runs shown. */
  pipelines: number;
  /** The rows of the runs table: the pipeline runs and the step runs made alone. */
  runs: number;
}

/** Writes a self-contained `index.html` (styles, script and SVG plots inline; no network) into `outDir`. */
export async function buildReport(store: Store, outDir: string, options: ModelOptions = {}): Promise<BuiltReport> {
  const model = await loadModel(store, options);
  const html = await renderReport(model);
  const dir = resolve(outDir);
  const path = join(dir, 'index.html');
  const temp = `${path}.partial-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw reportWriteError(dir, error);
  }
  try {
    writeFileSync(temp, html);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw reportWriteError(dir, error);
  }
  return { path, bytes: Buffer.byteLength(html), pipelines: model.pipelines.filter(({ run }) => run.kind === 'pipeline').length, runs: model.pipelines.length };
}

function reportWriteError(dir: string, error: unknown): MldpError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new UsageError(`cannot write the report to ${dir}: it is a file, or lies under one`, { hint: 'give --out a folder (it is created if missing)' });
  }
  return new MldpError('E_REPORT_WRITE', `cannot write the report to ${dir}: ${code ?? (error as Error).message}`, {
    hint: 'check the free space and permissions of that folder, or give --out another folder',
    cause: error,
  });
}
