// Where a backup lives: `<backup.files_dir>/<name>/` once complete, `.partial-<name>/`
// while it is being written (never listed), `.deleting-<name>/` while it is removed.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { A4cAdminConfig } from '../config-schema.js';
import { openRegularFile } from '../read-regular-file.js';

export interface BackupPaths {
  folder: string;
  partial: string;
  deleting: string;
  files: string;
}

export function backupPaths(config: A4cAdminConfig, name: string): BackupPaths {
  const root = config.backup.files_dir;
  const folder = join(root, name);
  return { folder, partial: join(root, `.partial-${name}`), deleting: join(root, `.deleting-${name}`), files: join(folder, 'files') };
}

/** SHA-256 (hex) of a file's content, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await openRegularFile(path);
  // The stream closes the handle when it ends or fails.
  await pipeline(handle.createReadStream(), hash);
  return hash.digest('hex');
}
