// Streaming walk of a folder tree: yields folders and regular files one at a time (pull
// based, so memory stays flat), never follows symlinks, refuses special files.
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeSpecialEntry, unsafeEntryError } from './safe-path.js';

export interface WalkedEntry {
  kind: 'file' | 'directory';
  /** Posix path relative to the walked root. */
  path: string;
  absolute: string;
}

export interface WalkOptions {
  /** Names (first path segment) to skip at the top level, e.g. the staging folders. */
  skipTopLevel?: (name: string) => boolean;
  /** Called for a symlink or special file instead of throwing UNSAFE_PATH (verify lists them as extra). */
  onSpecial?: (path: string, kind: string) => void;
}

/**
 * Walks `root/start` depth first. Folders are yielded before their content.
 * @throws A4cAdminError UNSAFE_PATH on a symlink, fifo, socket or device (unless onSpecial is given).
 */
export async function* walkTree(root: string, start = '', options: WalkOptions = {}): AsyncGenerator<WalkedEntry> {
  const pending = [start];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    const absoluteFolder = folder === '' ? root : join(root, folder);
    if (folder !== '') yield { kind: 'directory', path: folder, absolute: absoluteFolder };
    const directory = await opendir(absoluteFolder, { bufferSize: 256 });
    for await (const entry of directory) {
      if (folder === '' && options.skipTopLevel?.(entry.name)) continue;
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      const absolute = join(absoluteFolder, entry.name);
      // Some file systems do not fill in the entry type: ask lstat (never stat, which follows links).
      const kind = entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() ? entry : await lstat(absolute);
      if (kind.isDirectory()) pending.push(path);
      else if (kind.isFile()) yield { kind: 'file', path, absolute };
      else if (options.onSpecial) options.onSpecial(path, describeSpecialEntry(kind));
      else throw unsafeEntryError(absolute, describeSpecialEntry(kind));
    }
  }
}
