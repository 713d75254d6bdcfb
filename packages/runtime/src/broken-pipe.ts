/**
 * `mldp run | head -1`: once the reader of our output has gone, writing to it fails with EPIPE,
 * which Node raises as an unhandled 'error' event (a stack trace, and the run left behind as
 * it was). A command's output is not its result: the work goes on, its record and artifacts are
 * completed as usual, and what it would have printed is dropped.
 */
export function keepWorkingWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if ((stream as { mldpPipeGuard?: boolean }).mldpPipeGuard) continue;
    (stream as { mldpPipeGuard?: boolean }).mldpPipeGuard = true;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
