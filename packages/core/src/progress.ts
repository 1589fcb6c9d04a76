// Progress events: the only way library code tells the outside world how far it got.
// The CLI renders them as bars, plain lines or NDJSON; library code never prints.

export type ProgressKind = 'start' | 'progress' | 'end' | 'info' | 'warning';

export interface ProgressEvent {
  /** The operation the event belongs to: 'backup', 'restore', 'migrate', 'export', ... */
  operation: string;
  /** The step inside the operation: 'preflight', 'snapshot', 'files', 'manifest', ... */
  phase: string;
  kind: ProgressKind;
  /** What is being worked on: an index, a file, a snapshot. */
  item?: string;
  done?: number;
  total?: number;
  bytes?: number;
  totalBytes?: number;
  /** Milliseconds since the operation started. */
  elapsedMs: number;
  message?: string;
}

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
