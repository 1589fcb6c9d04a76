// Path checks shared by the file-tree operations: a name from a manifest or a config must
// stay inside its root, and nothing inside a tree is ever followed through a symlink.
import { lstat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { A4cAdminError } from './errors.js';
import { isSafeRelativePath } from './file-entry.js';

/**
 * The absolute path of `relativePath` under `root`.
 * @throws A4cAdminError UNSAFE_PATH for "..", absolute paths or anything resolving outside root.
 */
export function resolveInside(root: string, relativePath: string): string {
  const absoluteRoot = resolve(root);
  const target = resolve(absoluteRoot, ...relativePath.split('/'));
  const back = relative(absoluteRoot, target);
  if (!isSafeRelativePath(relativePath) || back === '' || back.startsWith(`..${sep}`) || back === '..' || resolve(back) === back) {
    throw new A4cAdminError('UNSAFE_PATH', `Refusing the path "${relativePath}": it would resolve outside ${absoluteRoot}.`, {
      hint: 'Paths in a backup must be relative and stay inside their folder; the backup may have been tampered with.',
      details: { root: absoluteRoot, path: relativePath },
    });
  }
  return target;
}

/**
 * Checks that every folder between `root` and `root/relativePath` (excluded) is a real
 * folder, not a symlink, so that a rename or copy there cannot land outside the root.
 * Missing folders are fine (they will be created).
 */
export async function assertNoSymlinkedParents(root: string, relativePath: string): Promise<void> {
  const segments = relativePath.split('/').slice(0, -1);
  let current = resolve(root);
  for (const segment of segments) {
    current = join(current, segment);
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) return;
    if (!info.isDirectory()) {
      throw new A4cAdminError('UNSAFE_PATH', `${current} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; refusing to go through it.`, {
        hint: 'Replace it with a real folder (a4c-admin never follows links out of the data folder).',
        details: { path: current },
      });
    }
  }
}

/** The kind of a non-regular, non-folder entry, for messages. */
export function describeSpecialEntry(entry: {
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a named pipe (fifo)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

/** The UNSAFE_PATH error for a special entry met while walking a tree. */
export function unsafeEntryError(path: string, kind: string): A4cAdminError {
  return new A4cAdminError('UNSAFE_PATH', `${path} is ${kind}; a4c-admin copies only regular files and folders and never follows links.`, {
    hint: 'Move it out of the data folder, or replace a link by the files it points to, then run again.',
    details: { path, kind },
  });
}
