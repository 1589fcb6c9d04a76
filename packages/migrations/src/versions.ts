// A4C data versions ('1.1.0', '1.2.0'): parsing and ordering, so that the planner can refuse
// backwards or unknown paths before anything touches a cluster.
import { A4cAdminError } from '@a4c-admin/core';

const VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)$/;

/** The three numbers of a version, or a USAGE error naming the bad input. */
export function parseVersion(version: string): [number, number, number] {
  const match = VERSION_PATTERN.exec(version.trim());
  if (!match) {
    throw new A4cAdminError('USAGE', `"${version}" is not an A4C data version.`, {
      hint: 'Give a version as three numbers, for example 1.1.0.',
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
