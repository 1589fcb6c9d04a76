// The data-version marker over the MigrationStateStore port: which A4C version the cluster's
// data is at, checked against what the operator says, and the marker after a step.
import { A4cAdminError, type AppliedStep, type DataVersionMarker, type MigrationStateStore, parseVersion } from '@a4c-admin/core';

export interface CurrentDataVersion {
  version: string;
  /** The marker as read; undefined when the cluster has none (an installation never migrated by us). */
  marker: DataVersionMarker | undefined;
}

/**
 * The version the data is at: the marker's when there is one (a `from` contradicting it is
 * VERSION_MISMATCH), else the operator's `from`, which is then required.
 */
export async function currentDataVersion(state: MigrationStateStore, from?: string): Promise<CurrentDataVersion> {
  if (from !== undefined) parseVersion(from);
  const marker = await state.readMarker();
  if (marker) {
    if (from !== undefined && from !== marker.version) {
      throw new A4cAdminError('VERSION_MISMATCH', `The data-version marker says the data is at ${marker.version}, not ${from}.`, {
        hint: `The marker is authoritative: give its version (\`a4c-admin migrate ${marker.version}\`; library: leave \`from\` out), or check that this is the cluster you meant; the last recorded step was ${describeLastStep(marker)}.`,
        details: { markerVersion: marker.version, from },
      });
    }
    return { version: marker.version, marker };
  }
  if (from === undefined) {
    throw new A4cAdminError('USAGE', 'The cluster has no data-version marker, so the version of its A4C data is unknown.', {
      hint: 'Say which A4C version wrote the data (`a4c-admin migrate 1.1.0`; library: `from`); it is recorded after the migration.',
    });
  }
  return { version: from, marker: undefined };
}

function describeLastStep(marker: DataVersionMarker): string {
  const last = marker.history[marker.history.length - 1];
  return last ? `${last.from} -> ${last.to} at ${last.endedAt}` : 'none (version set without a migration)';
}

/** The marker after a step was applied. */
export function markerAfterStep(previous: DataVersionMarker | undefined, step: AppliedStep, now: Date = new Date()): DataVersionMarker {
  return { version: step.to, history: [...(previous?.history ?? []), step], updatedAt: now.toISOString() };
}

/** The marker after the last step was rolled back: the version it came from, the step out of the history. */
export function markerAfterRollback(current: DataVersionMarker, now: Date = new Date()): DataVersionMarker {
  const last = current.history[current.history.length - 1];
  if (!last || last.to !== current.version) {
    throw new A4cAdminError('PRECONDITION_FAILED', `The data-version marker (${current.version}) records no migration to roll back.`, {
      hint: 'Only the last migration step can be rolled back, before it is finalized; otherwise restore the pre-migration backup.',
      details: { version: current.version },
    });
  }
  return { version: last.from, history: current.history.slice(0, -1), updatedAt: now.toISOString() };
}
