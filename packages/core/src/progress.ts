// Progress events: the only way library code tells the outside world how far it got.
// The CLI renders them as bars, plain lines or NDJSON; library code never prints.

/**
 * `start` and `end` bracket a phase, `progress` counts within it, `info` says something worth
 * knowing, `warning` something that went wrong without stopping the operation.
 */
export type ProgressKind = 'start' | 'progress' | 'end' | 'info' | 'warning';

/** One step of an operation's progress, as `onProgress` receives it. */
export interface ProgressEvent {
  /** The operation the event belongs to: 'backup', 'restore', 'migrate', 'export', ... */
  operation: string;
  /** The step inside the operation: 'preflight', 'snapshot', 'files', 'manifest', ... */
  phase: string;
  /** What the event says about the phase. */
  kind: ProgressKind;
  /** What is being worked on: an index, a file, a snapshot. */
  item?: string;
  /** How many items (documents, files, indices) of the phase are done. */
  done?: number;
  /** How many items the phase has, when known. */
  total?: number;
  /** How many bytes of the phase are done. */
  bytes?: number;
  /** How many bytes the phase has, when known. */
  totalBytes?: number;
  /** Milliseconds since the operation started. */
  elapsedMs: number;
  /** Words for a person: what an `info` or `warning` event says. */
  message?: string;
}

/** Receives the progress events of an operation; one that throws never breaks the operation. */
export type ProgressListener = (event: ProgressEvent) => void;

/** Stamps operation and elapsed time onto events; a listener that throws never breaks the operation. */
export interface ProgressReporter {
  readonly operation: string;
  emit(event: Omit<ProgressEvent, 'operation' | 'elapsedMs'>): void;
  /** A reporter for a nested operation (an export inside a migration) sharing the clock and listener. */
  child(operation: string): ProgressReporter;
}

export function createProgressReporter(operation: string, listener: ProgressListener | undefined, startedAt: number = Date.now()): ProgressReporter {
  return {
    operation,
    emit(event) {
      if (!listener) return;
      try {
        listener({ operation, elapsedMs: Date.now() - startedAt, ...event });
      } catch {
        // A broken renderer must not abort a backup half-way.
      }
    },
    child(name) {
      return createProgressReporter(name, listener, startedAt);
    },
  };
}
