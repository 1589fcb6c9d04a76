// Work done several at a time (indices exported or imported at once) stops as a whole: the
// first failure aborts the siblings still running, so that they remove their partial files and
// free their points in time now instead of finishing work that will be thrown away.

/**
 * Runs `work` with a signal that aborts when `outer` does or when a task wrapped by `guard`
 * fails (with that failure as the reason). The failure itself is rethrown unchanged.
 */
export async function withSiblingsStopped<T>(
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal, guard: <R>(task: () => Promise<R>) => Promise<R>) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  const guard = async <R>(task: () => Promise<R>): Promise<R> => {
    try {
      return await task();
    } catch (error) {
      if (!controller.signal.aborted) controller.abort(error);
      throw error;
    }
  };
  try {
    return await work(controller.signal, guard);
  } finally {
    outer?.removeEventListener('abort', forward);
  }
}
