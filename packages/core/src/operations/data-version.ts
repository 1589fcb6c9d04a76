// The A4C data version an operation works on: the marker's when the cluster has one,
// else the operator's (as the seed's `-backup 1.1.0`), and never two that disagree.

import { KNOWN_DATA_VERSIONS } from '../a4c-model/index.js';
import { A4cAdminError } from '../errors.js';
import type { DataVersionMarker, MigrationStateStore } from '../ports.js';

export async function resolveDataVersion(
  state: MigrationStateStore,
  given: string | undefined,
): Promise<{ version: string; marker: DataVersionMarker | undefined }> {
  if (given !== undefined && !KNOWN_DATA_VERSIONS.includes(given)) {
    throw new A4cAdminError('USAGE', `Unknown A4C data version "${given}".`, {
      hint: `Give one of ${KNOWN_DATA_VERSIONS.join(', ')} (the version of the A4C that wrote the data).`,
    });
  }
  const marker = await state.readMarker();
  if (marker && given !== undefined && marker.version !== given) {
    throw new A4cAdminError('VERSION_MISMATCH', `The cluster's data-version marker says ${marker.version}, not ${given}.`, {
      hint: `Run the command with ${marker.version}, or without a version to use the marker's.`,
      details: { marker: marker.version, given },
    });
  }
  const version = given ?? marker?.version;
  if (!version) {
    throw new A4cAdminError('USAGE', 'The cluster has no data-version marker, so the A4C data version must be given.', {
      hint: 'Give the version of the A4C that wrote the data, as in `a4c-admin backup 1.1.0 -n backup110`.',
    });
  }
  return { version, marker };
}
