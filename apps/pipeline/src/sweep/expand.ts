/**
 * The jobs of a sweep, as Hydra's basic sweeper makes them (hydra/_internal/core_plugins/
 * basic_sweeper.py): each override is keyed by its prefix and key, a later one replacing an
 * earlier one in its place; a sweep becomes one `key=value` per item, anything else stays as
 * given; the jobs are the cartesian product, the first override varying slowest.
 */
import { UsageError } from '@mldp/runtime';
import { type SweepJob } from '@mldp/store';
import { type Override, isSweep, parseOverride } from '../override-grammar/index.js';

export type { SweepJob };

/** More jobs than this is almost surely a mistake (a range without its step). */
export const MAX_JOBS = 10_000;

/**
 * `keepsAsList(override)` says whether a simple sweep is Hydra's list convenience
 * (`main.execute_steps=download,preprocess`) rather than a sweep.
 */
export function expandSweep(overrideTexts: string[], keepsAsList: (override: Override) => boolean): SweepJob[] {
  const choices = new Map<string, string[]>();
  for (const text of overrideTexts) {
    const override = parseOverride(text);
    choices.set(keyElement(override), isSweep(override.value) && !keepsAsList(override) ? sweepOverrides(override) : [text]);
  }
  let jobs: string[][] = [[]];
  for (const options of choices.values()) {
    if (jobs.length * options.length > MAX_JOBS) {
      throw new UsageError(`the sweep has more than ${MAX_JOBS} jobs`, { hint: 'sweep fewer values, or split the sweep in parts' });
    }
    jobs = jobs.flatMap((job) => options.map((option) => [...job, option]));
  }
  return jobs.map((overrides, num) => ({ num, overrides }));
}

/** `~key`, `+key`, `++key@pkg`: what tells two overrides of the same thing apart. */
function keyElement(override: Override): string {
  return `${override.prefix}${override.key}${override.package === undefined ? '' : `@${override.package}`}`;
}

function sweepOverrides(override: Override): string[] {
  const sweep = override.value;
  if (!isSweep(sweep)) return [override.text];
  if (sweep.kind === 'interval') {
    throw new UsageError(`override "${override.text}" is an interval(), which the basic sweeper cannot enumerate`, { hint: 'sweep over choice(...) or range(...) instead' });
  }
  let texts: string[];
  try {
    texts = sweep.items().map((item) => item.text);
  } catch (error) {
    throw new UsageError(`override "${override.text}" cannot be swept: ${(error as Error).message}`);
  }
  if (texts.length === 0) throw new UsageError(`override "${override.text}" sweeps over no values`, { hint: 'check the range: range(start, stop, step) stops before stop' });
  return texts.map((text) => `${keyElement(override)}=${text}`);
}
