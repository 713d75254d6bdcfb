import { describe, expect, it } from 'vitest';
import { MldpError } from './errors.js';
import { runInWorker } from './worker-thread.js';

// Real worker threads running built code: the scripts import dist/ (vitest.build-first.ts builds it).
const script = (name: string) => new URL(`./test-support/workers/${name}.mjs`, import.meta.url);

class DataError extends MldpError {}

async function failureOf(promise: Promise<unknown>): Promise<MldpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(MldpError);
  return error as MldpError;
}

describe('runInWorker', () => {
  it('returns what the worker answers, with moved buffers intact', async () => {
    const { sum } = await runInWorker<{ sum: Float64Array }>(script('answers'), { task: 'test: adding', data: { numbers: [1, 2, 3.5] } }).result();
    expect([...sum]).toEqual([6.5]);
  });

  it("rethrows the worker's coded error as its own type, message and hint unchanged", async () => {
    const run = runInWorker(script('throws-coded'), { task: 'test: reading', data: { path: 'in.csv' }, errorTypes: [DataError] });
    const error = await failureOf(run.result());
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code: 'E_BAD_ROW', message: 'in.csv line 3 has 2 fields, the header 3', hint: 'fix the row', exitCode: 1 });
  });

  it('names the task when the worker fails with an uncoded error', async () => {
    const error = await failureOf(runInWorker(script('throws-bug'), { task: 'check_data: collecting the reference' }).result());
    expect(error.code).toBe('E_WORKER');
    expect(error.message).toMatch(/^check_data: collecting the reference: its worker thread failed: .*field/);
  });

  it('names the task when the worker thread crashes', async () => {
    const error = await failureOf(runInWorker(script('crashes'), { task: 'preprocess: profiling' }).result());
    expect(error).toMatchObject({ code: 'E_WORKER', message: 'preprocess: profiling: its worker thread failed: stack exploded' });
  });

  it('does not hang when the worker exits without answering', async () => {
    const error = await failureOf(runInWorker(script('exits-early'), { task: 'table: decoding' }).result());
    expect(error).toMatchObject({ code: 'E_WORKER', message: 'table: decoding: its worker thread stopped (exit code 3) before it sent its result' });
  });

  it('streams values on request, then the failure the worker sends', async () => {
    const run = runInWorker<number>(script('counts-on-request'), { task: 'test: counting', data: { upTo: 3 } });
    try {
      const got: number[] = [];
      for (let i = 0; i < 3; i++) {
        got.push(await run.next());
        run.post('more');
      }
      expect(got).toEqual([1, 2, 3]);
      expect(await failureOf(run.next())).toMatchObject({ code: 'E_DONE', message: 'no number after 3' });
    } finally {
      await run.stop();
    }
  });

  it("terminates the worker when the caller fails, and waiting on it then fails rather than hangs", async () => {
    const run = runInWorker<string>(script('never-answers'), { task: 'test: waiting' });
    expect(await run.next()).toBe('started');
    const callerWork = async () => {
      try {
        throw new Error('the caller failed');
      } finally {
        await run.stop();
      }
    };
    await expect(callerWork()).rejects.toThrow('the caller failed');
    expect((await failureOf(run.next())).message).toMatch(/^test: waiting: its worker thread stopped \(exit code \d+\)/);
    await run.stop(); // a second stop is harmless
  });

  it('says to build when the worker script is not built', async () => {
    const missing = new URL('./test-support/workers/not-there.js', import.meta.url);
    expect(() => runInWorker(missing, { task: 'test: starting' })).toThrow(/^test: starting: its worker script .*not-there\.js is not built$/);
  });
});
