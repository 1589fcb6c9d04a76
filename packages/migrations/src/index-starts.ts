// The moment each new index may be written: its creation answered and its primaries started.
// A migration creates its 38 targets while the node starts new primaries only 4 at a time, so
// the last target starts seconds after the first; a target's copy waits for its own start, not
// for every other target's.

export interface IndexStarts {
  /** Settles once `index` has started (or its creation has failed: the creations' error). */
  started(index: string): Promise<void>;
  /** The creator heard that `index` started. */
  onStarted(index: string): void;
  /** The creations ended: an index not started by now never will; its waiters get `error`. */
  end(error?: unknown): void;
}

export function indexStarts(indices: readonly string[]): IndexStarts {
  const waits = new Map<string, { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void }>();
  for (const index of indices) {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    // A waiter may never come (an index nothing is copied into): its rejection is not unhandled.
    promise.catch(() => undefined);
    waits.set(index, { promise, resolve, reject });
  }
  return {
    started: (index) => waits.get(index)?.promise ?? Promise.resolve(),
    onStarted: (index) => waits.get(index)?.resolve(),
    end(error) {
      for (const [index, wait] of waits) {
        wait.reject(error ?? new Error(`index ${index} was not created`));
      }
    },
  };
}
