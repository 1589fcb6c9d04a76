// How long to wait between two looks at a running snapshot or restore. A small installation's
// snapshot or restore ends within a fraction of a second: a fixed 500 ms wait would make
// every quick backup wait for nothing. The waits start short and double up to the interval,
// so a long operation is still polled at the configured pace.

const FIRST_WAIT_MS = 50;

/** A function giving the next wait: 50 ms, then twice the previous one, at most `intervalMs`. */
export function pollWaits(intervalMs: number): () => number {
  let next = Math.min(FIRST_WAIT_MS, intervalMs);
  return () => {
    const wait = next;
    next = Math.min(next * 2, intervalMs);
    return wait;
  };
}
