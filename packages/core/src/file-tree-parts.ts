// Checks the parts (folders of alien4cloud.dir) an operation is asked to copy: relative,
// inside the root, never upload/ nor elasticsearch/, and not nested in one another.

import { FORBIDDEN_DATA_PARTS } from './config-schema.js';
import { A4cAdminError } from './errors.js';
import { isSafeRelativePath } from './file-entry.js';

/** The parts, normalised (no trailing slash) and checked. @throws A4cAdminError USAGE or UNSAFE_PATH. */
export function checkParts(parts: readonly string[]): string[] {
  const normalised = parts.map((part) => part.replace(/\/+$/, ''));
  for (const part of normalised) {
    if (!isSafeRelativePath(part)) {
      throw new A4cAdminError('UNSAFE_PATH', `The part "${part}" is not a folder inside alien4cloud.dir.`, {
        hint: 'Give parts relative to alien4cloud.dir, without "..", e.g. csar or work/plugins.',
      });
    }
    const top = part.split('/')[0] as string;
    if ((FORBIDDEN_DATA_PARTS as readonly string[]).includes(top)) {
      throw new A4cAdminError('USAGE', `The part "${part}" is never backed up or restored.`, {
        hint: 'upload/ holds temporary files and elasticsearch/ is covered by the snapshot: remove it from backup.parts.',
      });
    }
  }
  for (const part of normalised) {
    const other = normalised.find((candidate) => candidate !== part && (part.startsWith(`${candidate}/`) || candidate === part));
    if (other !== undefined || normalised.indexOf(part) !== normalised.lastIndexOf(part)) {
      throw new A4cAdminError('USAGE', `The parts "${other ?? part}" and "${part}" overlap.`, {
        hint: 'List each folder once, and not both a folder and one inside it.',
      });
    }
  }
  return normalised;
}
