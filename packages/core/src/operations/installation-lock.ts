// The one lock of an installation: every operation that changes it (backup, restore, delete,
// prune, migrate, rollback, finalize, a plugin swap) takes it, so that none runs beside another.
import type { A4cAdminConfig } from '../config-schema.js';
import { createFileLock } from '../file-lock.js';
import type { Lock } from '../ports.js';

/** The installation's lock: `backup.files_dir/.a4c-admin.lock`. */
export function installationLock(config: A4cAdminConfig): Lock {
  return createFileLock(config.backup.files_dir);
}
