// The A4C data versions this tool knows, and how versions are parsed and ordered (so that
// the planner can refuse backwards or unknown paths before anything touches a cluster).
// A data version is the version of the A4C release whose documents the indices hold.
import { A4cAdminError } from '../errors.js';

/** A4C 1.1.0 (2016-02): the data of the seed tool's installations. */
export const DATA_VERSION_1_1_0 = '1.1.0';
/** A4C 1.2.0 (2016-07): key/value arrays, suggestions, deployment logs (see the A4C spec). */
export const DATA_VERSION_1_2_0 = '1.2.0';

/** Every data version this tool knows, oldest first. A new version is added here (see docs/architecture.md). */
const DATA_VERSIONS = [DATA_VERSION_1_1_0, DATA_VERSION_1_2_0] as const;

/** One of the known data versions: tables of the model keyed by this type need an entry for each. */
export type DataVersion = (typeof DATA_VERSIONS)[number];

/** The data versions this tool knows, oldest first. */
export const KNOWN_DATA_VERSIONS: string[] = [...DATA_VERSIONS];

/** The oldest data version this tool knows: its indices are present in every version. */
export const OLDEST_DATA_VERSION: DataVersion = DATA_VERSIONS[0];

/** The newest data version this tool knows: the default target of a migration. */
export const LATEST_DATA_VERSION: DataVersion = DATA_VERSIONS[DATA_VERSIONS.length - 1]!;

/** True when `version` is one of the known data versions. */
export function isKnownDataVersion(version: string): version is DataVersion {
  return (DATA_VERSIONS as readonly string[]).includes(version);
}

const VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)$/;

/** The three numbers of a version, or a USAGE error naming the bad input. */
export function parseVersion(version: string): [number, number, number] {
  const match = VERSION_PATTERN.exec(version.trim());
  if (!match) {
    throw new A4cAdminError('USAGE', `"${version}" is not an A4C data version.`, {
      hint: `Give a version as three numbers, for example ${OLDEST_DATA_VERSION}.`,
      details: { version },
    });
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  for (let position = 0; position < 3; position += 1) {
    const difference = left[position]! - right[position]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
