import { join } from 'node:path';
import { sleep } from '@mldp/runtime';
import { newRunId } from '@mldp/store';
import { tempDir } from '@mldp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  type StepBin,
  expectConsistentAfterRepair,
  faultSeed,
  hermeticEnv,
  openTestStore,
  runStep,
  seededRandom,
  spawnStep,
} from './test-support/fault-kit.js';

const SEED = faultSeed();
/**
 * 52 kills, on a local store. (On S3 a step takes several times as long; the store's own tests
 * kill writers mid-commit and mid-upload there, and check crashed runs and repair on both drivers.)
 */
const KILLS_PER_STEP = 13;

/**
 * Each step's arguments for attempt `i`: inputs alternate between two versions, so that every
 * run that completes makes a new version and kills land in commits too, not only in dedup.
 */
const STEP_ARGS: Record<StepBin, (i: number) => string[]> = {
  download: (i) => ['--file-url', join(ROOT, `data/genres_mod${(i % 2) + 1}.parquet`), '--artifact-name', 'raw_data.parquet'],
  preprocess: (i) => ['--input-artifact', `raw_data.parquet:v${i % 2}`, '--artifact-name', 'preprocessed_data.csv'],
  check_data: (i) => ['--reference-artifact', 'preprocessed_data.csv:v0', '--sample-artifact', `preprocessed_data.csv:v${i % 2}`],
  segregate: (i) => ['--input-artifact', `preprocessed_data.csv:v${i % 2}`, '--val-size', '0.3'],
};

describe(`SIGKILL at seeded random moments in every step (seed ${SEED}; set MLDP_TEST_FAULT_SEED to change it)`, () => {
  const dir = tempDir('mldp-faults-kill-');
  const location = join(dir.path, 'store');
  const env = hermeticEnv(location);
  /** How long each step runs once its run is recorded, as measured here. */
  const durations = new Map<StepBin, number>();
  afterAll(() => dir.remove());

  beforeAll(async () => {
    // Two versions of each input, and how long each step takes here (the second, warm run).
    for (const step of Object.keys(STEP_ARGS) as StepBin[]) {
      for (const i of [0, 1]) {
        const runId = newRunId();
        const { done } = spawnStep(step, STEP_ARGS[step](i), { ...env, MLDP_RUN_ID: runId });
        const recorded = await runRecorded(await openTestStore(location), runId, done);
        const result = await done;
        expect([0, 1], result.stderr).toContain(result.code);
        durations.set(step, Date.now() - recorded);
      }
    }
  }, 120_000);

  it.each(Object.keys(STEP_ARGS) as StepBin[])(
    `%s: ${KILLS_PER_STEP} kills, each leaving no partial or orphaned version, the run crashed and verify clean after repair`,
    async (step) => {
      const random = seededRandom(SEED * 31 + step.length * 7 + step.charCodeAt(0));
      const duration = durations.get(step)!;
      let kills = 0;
      let crashed = 0;
      for (let attempt = 2; kills < KILLS_PER_STEP && attempt < KILLS_PER_STEP * 3; attempt++) {
        const store = await openTestStore(location);
        const before = await visibleVersions(store);
        const runId = newRunId();
        const { child, done } = spawnStep(step, STEP_ARGS[step](attempt), { ...env, MLDP_RUN_ID: runId });
        // Mostly while the step works (after its run is recorded, up to its usual end); one kill in
        // eight during its start-up instead.
        const early = random() < 1 / 8;
        const delay = Math.round((early ? 300 : duration * 1.1) * random());
        if (!early) await runRecorded(store, runId, done);
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        const ended = await done;
        clearTimeout(timer);
        const where = `${step} attempt ${attempt}, killed ${delay} ms after ${early ? 'it started' : 'its run was recorded'} (seed ${SEED})`;
        if (ended.signal === 'SIGKILL') kills++;
        else expect([0, 1], `${where}: ${ended.stderr}`).toContain(ended.code);

        // What the killed run made visible is complete and its own; nothing else appeared.
        const after = await visibleVersions(store);
        for (const [label, createdBy] of after) {
          if (!before.has(label)) expect(createdBy, `${where}: ${label} appeared`).toBe(runId);
        }
        const run = await store.runs.tryGet(runId);
        if (ended.signal === 'SIGKILL') {
          // Killed before it recorded its run, while running (crashed), or after it had finished.
          expect([undefined, 'crashed', 'finished'], where).toContain(run?.status);
          if (run?.status === 'crashed') crashed++;
        }
        const { crashedRuns } = await expectConsistentAfterRepair(location, env, { viaCli: attempt % 3 === 0 });
        expect(crashedRuns, where).toBe(run?.status === 'crashed' ? 1 : 0);
        if (run?.status === 'crashed') expect((await store.runs.get(runId)).status, where).toBe('crashed');
      }
      expect(kills).toBe(KILLS_PER_STEP);
      // The kills do land while the step works (most of them; a wide margin for a loaded machine).
      expect(crashed).toBeGreaterThanOrEqual(Math.ceil(KILLS_PER_STEP / 4));
    },
    240_000,
  );
});

/** Resolves when the run's record exists (the step has started its run), or when the step ended. */
async function runRecorded(store: Awaited<ReturnType<typeof openTestStore>>, runId: string, done: Promise<unknown>): Promise<number> {
  let ended = false;
  void done.then(() => (ended = true));
  while (!ended && !(await store.driver.readDoc(`runs/${runId}.json`))) await sleep(5);
  return Date.now();
}

/** Every visible version of the store, `name:vN`, with the run that created it. */
async function visibleVersions(store: Awaited<ReturnType<typeof openTestStore>>): Promise<Map<string, string | null>> {
  const versions = new Map<string, string | null>();
  for (const artifact of await store.artifacts.list()) {
    for (const label of artifact.versions) {
      const version = await store.artifacts.resolve(`${artifact.project}/${artifact.name}:${label}`);
      versions.set(`${artifact.name}:${label}`, version.createdBy);
    }
  }
  return versions;
}
