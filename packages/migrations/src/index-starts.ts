// The moment each new index may be written: its creation answered and its primaries started.
// A migration creates its 38 targets while the node starts new primaries only 4 at a time, so
// the last target starts seconds after the first; a target's copy waits for its own start, not
// for every other target's.
import { settledLater } from '@a4c-admin/core/internal';

export interface IndexStarts {
  /** Settles once `index` has started (or its creation has failed: the creations' error). */
  started(index: string): Promise<void>;
  /** The creator heard that `index` started. */
  onStarted(index: string): void;
  /** The creations ended: an index not started by now never will; its waiters get `error`. */
  end(error?: unknown): void;
}

export function indexStarts(indices: readonly string[]): IndexStarts {
  const waits = new Map(indices.map((index) => [index, settledLater()]));
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
