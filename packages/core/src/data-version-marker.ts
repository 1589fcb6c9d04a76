// The data-version marker as read from the cluster is checked before anyone uses it: a damaged
// document (edited by hand, half-written by another tool) or a version this tool does not know
// must stop a command with a clear error, not deep inside it with a TypeError, and never be
// taken for a good marker (doctor included).
import { z } from 'zod';
import { KNOWN_DATA_VERSIONS } from './a4c-model/index.js';
import { A4cAdminError } from './errors.js';
import type { DataVersionMarker } from './ports.js';

/** What one applied step records in the marker's history. */
const appliedStepShape = {
  from: z.string(),
  to: z.string(),
  checksum: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  counts: z.record(z.string(), z.number().int().min(0)),
};

/**
 * The marker's shape. `strict` refuses unknown keys: a backup's manifest (which keeps a copy of
 * the marker) is strict; the document in the cluster is read leniently.
 */
export function dataVersionMarkerSchema(strict = false) {
  const object = strict ? z.strictObject : z.object;
  return object({ version: z.string().min(1), updatedAt: z.string(), history: z.array(object(appliedStepShape)) });
}

const markerSchema = dataVersionMarkerSchema();

/**
 * @param where the marker's index, for messages.
 * @throws A4cAdminError PRECONDITION_FAILED (damaged marker), VERSION_MISMATCH (a version this tool does not know).
 */
export function parseDataVersionMarker(raw: unknown, where: string): DataVersionMarker {
  const parsed = markerSchema.safeParse(raw);
  const look = `GET ${where}/_doc/data-version`;
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new A4cAdminError(
      'PRECONDITION_FAILED',
      `The data-version marker in ${where} is damaged (${issues.join('; ')}): the A4C data version of the cluster is unknown.`,
      {
        hint: `Look at it (${look}). Put back a good one from a backup, or delete it (DELETE ${where}/_doc/data-version) and give the version on the command line (e.g. \`a4c-admin backup 1.1.0\`).`,
        details: { markerIndex: where, issues },
      },
    );
  }
  const marker = parsed.data;
  if (!KNOWN_DATA_VERSIONS.includes(marker.version)) {
    throw new A4cAdminError(
      'VERSION_MISMATCH',
      `The data-version marker in ${where} says ${marker.version}, a version this a4c-admin does not know (${KNOWN_DATA_VERSIONS.join(', ')}).`,
      {
        hint: `Use the a4c-admin that wrote it (a newer one?), or, if the marker is wrong, look at it (${look}) and fix or delete it.`,
        details: { markerIndex: where, marker: marker.version, known: KNOWN_DATA_VERSIONS },
      },
    );
  }
  return { version: marker.version, updatedAt: marker.updatedAt, history: marker.history };
}
