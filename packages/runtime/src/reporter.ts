/**
 * What a step says while it works. Messages go to stdout; progress is redrawn in place on
 * stderr, only when stderr is a terminal and not in CI, so logs stay clean.
 */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  progress(label: string, done: number, total?: number, unit?: 'bytes' | 'rows'): void;
  endProgress(): void;
}

export interface ReporterOptions {
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream & { isTTY?: boolean };
  interactive?: boolean;
  /** Receives every message too (the run's log). */
  onMessage?: (line: string) => void;
}

const REDRAW_MS = 100;

export function createReporter(options: ReporterOptions = {}): Reporter {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const interactive = options.interactive ?? (Boolean(err.isTTY) && !process.env.CI);
  let lastDraw = 0;
  let drawn = false;

  const clear = (): void => {
    if (drawn) err.write('\r\x1b[K');
    drawn = false;
  };
  return {
    info(message) {
      clear();
      out.write(`${message}\n`);
      options.onMessage?.(message);
    },
    warn(message) {
      clear();
      err.write(`warning: ${message}\n`);
      options.onMessage?.(`warning: ${message}`);
    },
    progress(label, done, total, unit = 'rows') {
      if (!interactive) return;
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      const amount = unit === 'bytes' ? formatBytes(done) : `${done.toLocaleString('en-US')} ${done === 1 ? 'row' : 'rows'}`;
      const share = total ? ` / ${unit === 'bytes' ? formatBytes(total) : total.toLocaleString('en-US')} (${Math.floor((100 * done) / total)}%)` : '';
      err.write(`\r\x1b[K${label}: ${amount}${share}`);
      drawn = true;
    },
    endProgress: clear,
  };
}

export const silentReporter: Reporter = {
  info() {},
  warn() {},
  progress() {},
  endProgress() {},
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
