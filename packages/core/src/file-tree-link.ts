// Incremental data-folder backups: a file unchanged since the previous complete backup is
// hard-linked from that backup instead of copied. "Unchanged" means same relative path, same
// size and same modification time as the previous manifest records; the new entry takes the
// previous manifest's SHA-256 (the bytes are the same inode). Any doubt means a copy: no
// previous entry, another size or time, a link that fails (EXDEV across file systems, EMLINK,
// EPERM...), or a previous copy that is no longer a regular file of the recorded size.
import { linkSync, lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { FileEntry } from './file-entry.js';

/** The data-folder copy of the previous complete backup, which unchanged files are linked from. */
export interface PreviousFileTree {
  /** Its copy of the data folder (the backup's `files/` folder). */
  root: string;
  /** Its manifest's file entries (those without `mtimeMs`, from older backups, are never linked). */
  files: readonly FileEntry[];
}

/**
 * Links `target` to the previous backup's copy of `path` when the source file `source` still
 * has the size and modification time recorded for it, and returns the new entry; returns
 * undefined, having created nothing, when the file must be copied.
 */
export type UnchangedFileLinker = (path: string, source: string, target: string) => FileEntry | undefined;

/** A linker over `previous`, or undefined when nothing in it can be linked. */
export function unchangedFileLinker(previous: PreviousFileTree | undefined): UnchangedFileLinker | undefined {
  if (previous === undefined) return undefined;
  const byPath = new Map<string, FileEntry>();
  for (const file of previous.files) if (file.mtimeMs !== undefined) byPath.set(file.path, file);
  if (byPath.size === 0) return undefined;
  return (path, source, target) => {
    const before = byPath.get(path);
    if (before === undefined) return undefined;
    // Synchronous calls: a link costs less than a thread-pool round trip (see copySmallFileSync).
    const info = statOrUndefined(source);
    if (!info?.isFile() || info.size !== before.size || info.mtimeMs !== before.mtimeMs) return undefined;
    try {
      linkSync(join(previous.root, path), target);
    } catch {
      // EXDEV (another file system), EMLINK (too many links), EPERM (a file system without
      // hard links), ENOENT (the previous backup is being deleted): the file is copied instead.
      return undefined;
    }
    // Checked on the link itself (the same inode, so no race): the previous copy may have been
    // replaced by something else since its manifest was written. Such a link is undone.
    const linked = statOrUndefined(target);
    if (!linked?.isFile() || linked.size !== before.size) {
      unlinkSync(target);
      return undefined;
    }
    return { path, size: before.size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs, sha256: before.sha256 };
  };
}

function statOrUndefined(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
