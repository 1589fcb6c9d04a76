// Fewer progress events than the libraries emit, for the NDJSON of --json. The libraries
// report every file and every page (a push of 20 000 files emits 20 000 counts), and a line
// each to a pipe cost a push 3.9 s of its CPU. The bars redraw at most 10 times a second and
// the plain lines every few seconds; the NDJSON keeps at most one count per phase per
// interval. The count held back is written before the next event of another kind (the
// phase's end, a warning) and when the command stops, so a reader always sees the last one,
// and start, end, info and warning events are never dropped nor reordered.
import type { ProgressEvent } from '@a4c-admin/core';

export interface ProgressThrottleOptions {
  /** Least milliseconds between two written `progress` events of one phase. */
  intervalMs: number;
  now?: () => number;
}

export interface ProgressThrottle {
  onProgress(event: ProgressEvent): void;
  /** Writes the counts still held back (the command is over). */
  flush(): void;
}

/** `write` called with the events worth writing, in the order they came. */
export function throttleProgress(write: (event: ProgressEvent) => void, options: ProgressThrottleOptions): ProgressThrottle {
  const now = options.now ?? Date.now;
  // Per phase (operation and phase: a child's steps are their own), when its last count was written.
  const lastWritten = new Map<string, number>();
  const heldBack = new Map<string, ProgressEvent>();
  const flush = () => {
    for (const [phase, event] of heldBack) {
      heldBack.delete(phase);
      lastWritten.set(phase, now());
      write(event);
    }
  };
  return {
    onProgress(event) {
      const phase = `${event.operation}\u0000${event.phase}`;
      if (event.kind !== 'progress') {
        flush();
        if (event.kind === 'end') lastWritten.delete(phase);
        write(event);
        return;
      }
      const last = lastWritten.get(phase);
      const at = now();
      if (last !== undefined && at - last < options.intervalMs) {
        heldBack.set(phase, event);
        return;
      }
      heldBack.delete(phase);
      lastWritten.set(phase, at);
      write(event);
    },
    flush,
  };
}
