// Which backup an incremental backup links its unchanged data-folder files from: the newest
// complete backup of the same data folder in backup.files_dir. "Complete" as `list` says it of
// the files: a finished backup folder (never `.partial-` nor `.deleting-`), whose manifest is
// valid with its own hash, and whose files all have the sizes that manifest records. A damaged
// or unreadable candidate is passed over for the next older one; every link is checked again
// on its own (file-tree-link.ts), so a file damaged since is copied, not shared.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreviousFileTree } from '../file-tree-link.js';
import { MANIFEST_FILE, readManifest } from '../manifest.js';
import { backupSizeProblems } from './backup-size-check.js';

export interface PreviousBackup {
  name: string;
  tree: PreviousFileTree;
}

/**
 * The newest complete backup in `filesDir` taken of `dataFolder` (the manifest's
 * options.dataFolder), newest by its manifest's write time; undefined when there is none.
 * `signal` stops the checking (a backup cancelled at the start of its file phase).
 */
export async function findPreviousBackup(filesDir: string, dataFolder: string, signal?: AbortSignal): Promise<PreviousBackup | undefined> {
  const entries = await readdir(filesDir, { withFileTypes: true }).catch(() => []);
  const candidates: Array<{ name: string; writtenAt: number }> = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    // The manifest is written last, atomically: its time is when the backup completed.
    const info = await lstat(join(filesDir, entry.name, MANIFEST_FILE)).catch(() => undefined);
    if (info?.isFile()) candidates.push({ name: entry.name, writtenAt: info.mtimeMs });
  }
  candidates.sort((left, right) => right.writtenAt - left.writtenAt);
  for (const { name } of candidates) {
    const folder = join(filesDir, name);
    const manifest = await readManifest(folder).catch(() => undefined);
    if (manifest === undefined || manifest.options.dataFolder !== dataFolder) continue;
    if ((await backupSizeProblems(folder, manifest, 1, signal)).length > 0) continue;
    return { name, tree: { root: join(folder, 'files'), files: manifest.files } };
  }
  return undefined;
}
