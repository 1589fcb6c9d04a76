// A reader that goes away (`a4c-admin list | head -1`, a closed terminal) must not kill the
// operation: Node reports a write to a closed pipe as an 'error' event (EPIPE), and an
// 'error' event nobody listens to crashes the process with exit 1 and no message, e.g.
// between a restore's index restore and its file swap. Once a stream is found broken, it
// is no longer written to; the operation goes on and its exit status stays its own.

/** The part of a Node write stream the guard needs: tests pass a small fake. */
export interface GuardableStream {
  write(...args: never[]): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  destroyed?: boolean;
}

export interface BrokenPipeGuard {
  /** True once a write failed because the reader went away. */
  readonly broken: boolean;
}

/**
 * Makes writes to `stream` harmless once its reader is gone: the 'error' event is consumed,
 * later writes are dropped (their callback still runs, so nothing waits forever), and a write
 * that throws synchronously is dropped too. Patches the stream in place, so that libraries
 * writing straight to it (the progress bars) are covered as well.
 */
export function guardAgainstBrokenPipe(stream: GuardableStream): BrokenPipeGuard {
  const state = { broken: false };
  stream.on('error', () => {
    // EPIPE, ECONNRESET, ERR_STREAM_DESTROYED: whatever the cause, nobody reads any more.
    state.broken = true;
  });
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  const guarded = (...args: unknown[]): boolean => {
    const callback = args.find((argument): argument is (error?: Error | null) => void => typeof argument === 'function');
    if (state.broken || stream.destroyed) {
      state.broken = true;
      if (callback) queueMicrotask(() => callback(null));
      return true;
    }
    try {
      return write(...args);
    } catch {
      state.broken = true;
      if (callback) queueMicrotask(() => callback(null));
      return true;
    }
  };
  (stream as { write: unknown }).write = guarded;
  return state;
}
