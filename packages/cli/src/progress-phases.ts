// What the two people-facing renderers (bars, plain lines) know about a phase beyond one
// event: its label and its totals. Core's child reporters repeat their parent's step under
// their own name ('snapshot'/'snapshot' inside 'backup'/'snapshot'), and the export and the
// migration report one start/end per index: a phase is the same step for all of them.
import type { ProgressEvent } from '@a4c-admin/core';

export interface PhaseMemory {
  /** The event with the totals its phase announced earlier, when it carries none itself. */
  withTotals(event: ProgressEvent): ProgressEvent;
  /**
   * The phase's label, as its first event named it: "backup snapshot" (the parent's 'start'),
   * "export" (a child that repeats its phase's name says it once), "migrate write".
   */
  label(event: ProgressEvent): string;
  /** The phase is over: a later step of the same name (restore's 'files' after verify's) is labelled anew. */
  forget(phase: string): void;
}

export function createPhaseMemory(): PhaseMemory {
  const totals = new Map<string, { total?: number; totalBytes?: number }>();
  const labels = new Map<string, string>();
  return {
    withTotals(event) {
      // Some child reporters (the snapshot, the file copy) count without totals: those came
      // with the parent's 'start' of the same phase.
      const known = totals.get(event.phase) ?? {};
      if (event.total !== undefined) known.total = event.total;
      if (event.totalBytes !== undefined) known.totalBytes = event.totalBytes;
      totals.set(event.phase, known);
      const filled = { ...event };
      if (filled.total === undefined && filled.done !== undefined && known.total !== undefined) filled.total = known.total;
      if (filled.totalBytes === undefined && filled.bytes !== undefined && known.totalBytes !== undefined) filled.totalBytes = known.totalBytes;
      return filled;
    },
    label(event) {
      let label = labels.get(event.phase);
      if (label === undefined) {
        label = [...new Set([...event.operation.split('-'), ...event.phase.split('-')])].join(' ');
        labels.set(event.phase, label);
      }
      return label;
    },
    forget(phase) {
      labels.delete(phase);
    },
  };
}

/** Bytes when the event counts bytes, items otherwise: the bar's value and total. */
export function amounts(event: ProgressEvent): { value: number; total: number; unit: 'bytes' | 'items' } | undefined {
  if (event.totalBytes !== undefined && event.totalBytes > 0) return { value: event.bytes ?? 0, total: event.totalBytes, unit: 'bytes' };
  if (event.total !== undefined && event.total > 0) return { value: event.done ?? 0, total: event.total, unit: 'items' };
  return undefined;
}
