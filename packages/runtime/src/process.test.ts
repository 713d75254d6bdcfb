import { afterEach, expect, it, vi } from 'vitest';
import { sleep } from './process.js';

afterEach(() => vi.useRealTimers());

// vitest's fake timers fire a timer of more than 2^31 - 1 ms after 1 ms, as Node's do.
it('sleeps longer than a single Node timer can wait, instead of waking after 1 ms', async () => {
  vi.useFakeTimers();
  let woke = false;
  void sleep(2 ** 31 + 5_000).then(() => (woke = true));
  await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
  expect(woke).toBe(false);
  await vi.advanceTimersByTimeAsync(5_001);
  expect(woke).toBe(true);
});

it('sleeps 0 ms and short waits as one timer', async () => {
  vi.useFakeTimers();
  let woke = 0;
  void sleep(0).then(() => woke++);
  void sleep(50).then(() => woke++);
  await vi.advanceTimersByTimeAsync(0);
  expect(woke).toBe(1);
  await vi.advanceTimersByTimeAsync(50);
  expect(woke).toBe(2);
});
