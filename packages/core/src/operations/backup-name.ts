// Backup names double as snapshot names and folder names: they must be valid for both,
// and must never be able to point outside the backup folder.
import { A4cAdminError } from '../errors.js';

const MAX_LENGTH = 128;
// Elasticsearch snapshot names: lower case, none of \ / * ? " < > | , # space, not starting with _ or -.
const VALID = /^[a-z0-9][a-z0-9._+-]*$/;

/** Throws USAGE with the rule broken, so the operator can fix the name. */
export function validateBackupName(name: string): string {
  const problem =
    name.length === 0
      ? 'it is empty'
      : name.length > MAX_LENGTH
        ? `it is ${name.length} characters long (at most ${MAX_LENGTH})`
        : name.includes('..')
          ? 'it contains ".."'
          : !VALID.test(name)
            ? 'it may only hold lower-case letters, digits, ".", "_", "+" and "-", and must start with a letter or digit'
            : undefined;
  if (problem) {
    throw new A4cAdminError('USAGE', `The backup name "${name.slice(0, MAX_LENGTH)}" is not valid: ${problem}.`, {
      hint: 'Choose a name such as "backup110" or "2026-11-25-before-upgrade" (it is also the Elasticsearch snapshot name).',
      details: { name: name.slice(0, MAX_LENGTH) },
    });
  }
  return name;
}

/** A sortable default name: `a4c-20261125-123456`. */
export function defaultBackupName(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `a4c-${stamp}`;
}
