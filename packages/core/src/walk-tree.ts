// Streaming walk of a folder tree: yields folders and regular files one at a time (pull
// based, so memory stays flat), never follows symlinks, refuses special files.
import { lstat, opendir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { A4cAdminError } from './errors.js';
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
  /**
   * Called for a folder or file that vanished between its listing and its visit (A4C deletes
   * files while it runs): skipped instead of failing. Without it, the ENOENT is thrown.
   */
  onVanished?: (path: string) => void;
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
    let directory;
    try {
      directory = await opendir(absoluteFolder, { bufferSize: 256 });
    } catch (error) {
      if (!isVanished(error) || folder === start || !options.onVanished) throw error;
      options.onVanished(folder);
      continue;
    }
    if (folder !== '') yield { kind: 'directory', path: folder, absolute: absoluteFolder };
    for await (const entry of directory) {
      if (folder === '' && options.skipTopLevel?.(entry.name)) continue;
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      // Names are bytes on Linux; one that is not UTF-8 cannot be written into the manifest (nor
      // found again by its decoded name): refuse it here, in preflight, naming it.
      if (entry.name.includes('\uFFFD')) await assertUtf8Name(absoluteFolder, folder, entry.name);
      const absolute = join(absoluteFolder, entry.name);
      // Some file systems do not fill in the entry type: ask lstat (never stat, which follows links).
      let kind;
      try {
        kind = entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() ? entry : await lstat(absolute);
      } catch (error) {
        if (!isVanished(error) || !options.onVanished) throw error;
        options.onVanished(path);
        continue;
      }
      if (kind.isDirectory()) pending.push(path);
      else if (kind.isFile()) yield { kind: 'file', path, absolute };
      else if (options.onSpecial) options.onSpecial(path, describeSpecialEntry(kind));
      else throw unsafeEntryError(absolute, describeSpecialEntry(kind));
    }
  }
}

function isVanished(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Throws UNSAFE_PATH when a name of `absoluteFolder` that decodes to `decoded` is not valid UTF-8. */
async function assertUtf8Name(absoluteFolder: string, folder: string, decoded: string): Promise<void> {
  const raw = (await readdir(absoluteFolder, { encoding: 'buffer' })).find(
    (name) => name.toString('utf8') === decoded && !Buffer.from(name.toString('utf8'), 'utf8').equals(name),
  );
  if (raw === undefined) return; // a real U+FFFD in a valid UTF-8 name
  const shown = `${folder === '' ? '' : `${folder}/`}${escapeName(raw)}`;
  throw new A4cAdminError(
    'UNSAFE_PATH',
    `The file name "${shown}" in ${absoluteFolder} is not valid UTF-8 (bytes shown as \\xNN): a backup could not record it.`,
    {
      hint: `Rename it to a UTF-8 name (e.g. convmv -f latin1 -t utf8 --notest, or mv with the name typed in the shell), then run again.`,
      details: { folder: absoluteFolder, name: escapeName(raw) },
    },
  );
}

/** A raw name with every byte that is not printable ASCII as \xNN. */
export function escapeName(raw: Buffer): string {
  let shown = '';
  for (const byte of raw) shown += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return shown;
}
