// How much a backup of the data folder will copy, measured before anything is written so
// that preflight can refuse on disk space, and on symlinks or special files, up front.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkParts } from '../file-tree-parts.js';
import { walkTree } from '../walk-tree.js';

export async function measureDataFolder(sourceRoot: string, parts: readonly string[]): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const part of checkParts(parts)) {
    const exists = await lstat(join(sourceRoot, part)).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    // A file A4C deletes meanwhile is no reason to refuse: the copy skips it too.
    for await (const entry of walkTree(sourceRoot, part, { onVanished: () => undefined })) {
      if (entry.kind !== 'file') continue;
      const info = await lstat(entry.absolute).catch(() => undefined);
      if (info === undefined) continue;
      files += 1;
      bytes += info.size;
    }
  }
  return { files, bytes };
}
