/**
 * Keeps a command working when the reader of its output goes away (`mldp run | head -1`).
 * Node ignores SIGPIPE and reports the closed pipe as an EPIPE 'error' event on the stream,
 * which, unhandled, ends the process with a stack trace halfway through its work. Here the
 * work goes on and further output to that stream is dropped: a pipeline still finishes and is
 * recorded (each step's log is kept in its run record), and the exit code says how it went.
 */
export function dropOutputWhenReaderCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stream.write = dropWrite;
    });
  }
}

function dropWrite(_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
  const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
  if (typeof done === 'function') process.nextTick(done);
  return true;
}
