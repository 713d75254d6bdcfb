import { type RunRecord } from './runs.js';
import { producerKey, stepCacheKey } from './keys.js';
import { parseArtifactRef } from './names.js';
import type { Store } from './store.js';

/**
 * The step cache of `mldp run`, kept in the store (like DVC's run-cache): for each step and
 * cache key, the finished run that produced its outputs; for each artifact version, the cache
 * key of the step execution that produced it, so that a rerun upstream reruns what is
 * downstream. How a cache key is computed is the caller's business. An entry that is missing,
 * unreadable, or names a run whose outputs are gone is a miss.
 */
export class StepCache {
  constructor(private readonly store: Store) {}

  /** A finished run of this project with this key whose outputs are all still in the store, if there is one. */
  async get(step: string, cacheKey: string): Promise<RunRecord | undefined> {
    const runId = await this.readField(stepCacheKey(step, cacheKey), 'run');
    const run = runId === undefined ? undefined : await this.store.runs.tryGet(runId).catch(() => undefined);
    // A run of another project made its outputs there, not here.
    if (!run || run.project !== this.store.project || run.status !== 'finished' || run.info.cache_key !== cacheKey) return undefined;
    for (const output of run.outputs) {
      const version = await this.store.artifacts.tryResolve(parseArtifactRef(output));
      if (!version) return undefined;
      for (const file of version.files) {
        if ((await this.store.driver.statBlob(file.sha256))?.size !== file.size) return undefined;
      }
    }
    return run;
  }

  /** Remembers that a finished run produced its outputs under this key. */
  async put(step: string, cacheKey: string, run: RunRecord): Promise<void> {
    await this.store.driver.putDoc(stepCacheKey(step, cacheKey), `${JSON.stringify({ run: run.id })}\n`);
    await this.recordProducer(run, cacheKey);
  }

  /** A cached run's outputs become `latest` again, as if the step had just produced them. */
  async restore(run: RunRecord): Promise<void> {
    for (const output of run.outputs) await this.store.artifacts.setAlias(output, 'latest');
    if (typeof run.info.cache_key === 'string') await this.recordProducer(run, run.info.cache_key);
  }

  /** The cache key of the step execution that last produced this version (`NAME:vN` of `project`). */
  async producerOf(project: string, ref: string): Promise<string | undefined> {
    return this.readField(this.producerDoc(project, ref), 'key');
  }

  private async recordProducer(run: RunRecord, cacheKey: string): Promise<void> {
    for (const output of run.outputs) {
      await this.store.driver.putDoc(this.producerDoc(run.project, output), `${JSON.stringify({ key: cacheKey, run: run.id })}\n`);
    }
  }

  private producerDoc(project: string, ref: string): string {
    const { name, label } = parseArtifactRef(ref);
    return producerKey(project, name, label);
  }

  /** A string field of a cache document; undefined if the document is missing or not what was written. */
  private async readField(key: string, field: 'run' | 'key'): Promise<string | undefined> {
    const doc = await this.store.driver.readDoc(key);
    if (!doc) return undefined;
    try {
      const value = (JSON.parse(doc.text) as Record<string, unknown>)[field];
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
}
