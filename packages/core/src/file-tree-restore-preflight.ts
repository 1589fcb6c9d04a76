// Everything a file-tree restore can refuse for, checked without changing anything, so that a
// restore refuses BEFORE it deletes the first index rather than after (when a refusal is no
// longer "nothing changed"): the target parts are real folders on the data folder's own file
// system, every folder on the way is a writable real folder, the backup's files are there with
// their sizes, the disk has room for the staged copy, and a journal left by an interrupted
// restore can be read.
import { constants } from 'node:fs';
import { access, lstat, realpath, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { A4cAdminError } from './errors.js';
import type { FileEntry } from './file-entry.js';
import { checkParts } from './file-tree-parts.js';
import { readRestoreJournal } from './file-tree-restore.js';
import { describeSpecialEntry, resolveInside } from './safe-path.js';

export interface FileTreeRestorePreflightOptions {
  /** The backup's copy of the data folder. */
  backupRoot: string;
  /** The manifest's entries (those outside `parts` are ignored). */
  files: readonly FileEntry[];
  /** The A4C data folder (alien4cloud.dir). */
  targetRoot: string;
  parts: readonly string[];
}

export interface FileTreeRestorePreflightResult {
  /** Files and bytes the restore will stage. */
  files: number;
  bytes: number;
  /** Free bytes on the data folder's file system. */
  freeBytes: number;
}

/** Room kept free beyond the staged copy: the journal, folder entries, the file system's own metadata. */
const SLACK_BYTES = 16 * 1024 * 1024;

/**
 * Checks that restoreFileTree can run to its end; changes nothing.
 * @throws A4cAdminError UNSAFE_PATH (a part or a folder on the way is a link, a file or a
 *   special file, or lies on another file system), PRECONDITION_FAILED (a folder is not
 *   writable, an unreadable journal), DISK_FULL, CHECKSUM_MISMATCH (a backup file is missing or
 *   has another size).
 */
export async function preflightFileTreeRestore(options: FileTreeRestorePreflightOptions): Promise<FileTreeRestorePreflightResult> {
  const parts = checkParts(options.parts);
  const { backupRoot, targetRoot } = options;
  const selected = options.files.filter((entry) => parts.some((part) => entry.path.startsWith(`${part}/`)));

  // The backup side: every file there, a regular file of the recorded size.
  let allocated = 0;
  for (const entry of selected) {
    resolveInside(targetRoot, entry.path);
    const source = resolveInside(backupRoot, entry.path);
    const info = await lstat(source).catch(() => undefined);
    if (!info?.isFile() || info.size !== entry.size) {
      throw new A4cAdminError(
        'CHECKSUM_MISMATCH',
        `The backup's copy ${source} is ${info === undefined ? 'missing' : info.isFile() ? `${info.size} bytes, not ${entry.size}` : describeSpecialEntry(info)}: the backup is damaged.`,
        {
          hint: 'Run `a4c-admin verify` on this backup; restore from another backup if it fails.',
          details: { path: entry.path },
        },
      );
    }
    // A sparse copy is staged sparse: it needs the blocks it holds, not its size.
    allocated += Math.min(entry.size, info.blocks * 512);
  }

  // The data folder itself: an existing folder (a link to one is fine: the operator chose it),
  // or a missing one whose nearest existing ancestor lets us create it.
  const rootInfo = await lstat(targetRoot).catch(() => undefined);
  const realRoot = rootInfo === undefined ? undefined : await realpath(targetRoot);
  const rootFolder = realRoot === undefined ? await nearestExistingFolder(dirname(targetRoot)) : realRoot;
  const rootStat = await lstat(rootFolder);
  if (!rootStat.isDirectory()) {
    throw refusal(
      'UNSAFE_PATH',
      `The data folder ${targetRoot} (alien4cloud.dir) is ${describeKind(rootStat)}, not a folder.`,
      'Set alien4cloud.dir to the A4C data folder.',
      targetRoot,
    );
  }
  await assertWritable(rootFolder, 'the data folder (the staged copy and the journal go there)');
  if (rootInfo !== undefined) await assertJournalReadable(targetRoot);

  for (const part of parts) {
    // Each folder on the way to the part, and the part itself: a real folder or nothing yet.
    const segments = part.split('/');
    let current = targetRoot;
    let parentOfMissing: string | undefined;
    for (const [position, segment] of segments.entries()) {
      const parent = current;
      current = join(current, segment);
      const info = await lstat(current).catch(() => undefined);
      if (info === undefined) {
        parentOfMissing = parent;
        break;
      }
      const isPart = position === segments.length - 1;
      if (!info.isDirectory()) {
        throw refusal(
          'UNSAFE_PATH',
          `${current} is ${describeKind(info)}, not a folder; the restore would have to ${isPart ? 'replace' : 'go through'} it to put ${part} back.`,
          info.isSymbolicLink()
            ? 'a4c-admin never follows or replaces a link in the data folder: move the data it points to into a real folder at that path (or remove the link), then run the restore again.'
            : 'Move it out of the data folder (a4c-admin never replaces a file by a folder), then run the restore again.',
          current,
        );
      }
      // The part is renamed aside and the staged one renamed in: both need the same file system.
      if (rootInfo !== undefined && info.dev !== rootStat.dev) {
        throw refusal(
          'UNSAFE_PATH',
          `${current} is on another file system than the data folder ${targetRoot} (a mount point?): ${part} cannot be swapped in with a rename.`,
          'Mount the disk at the data folder itself, or restore this part by hand; then run the restore with --parts listing the others.',
          current,
        );
      }
      if (isPart) {
        // Moving a folder to another parent rewrites its ".." entry: it must be writable too.
        await assertWritable(current, `the part ${part}`);
        await assertWritable(parent, `the folder holding ${part}`);
      }
    }
    if (parentOfMissing !== undefined) await assertWritable(await nearestExistingFolder(parentOfMissing), `the folder where ${part} will be created`);
  }

  // Room for the staged copy beside the current parts (those stay until the swap succeeded).
  const bytes = selected.reduce((sum, entry) => sum + entry.size, 0);
  const space = await statfs(rootFolder);
  const freeBytes = space.bavail * space.bsize;
  // 5% and 4 KiB a file for blocks and folder entries, plus a fixed slack.
  const needed = Math.ceil(allocated * 1.05) + selected.length * 4096 + SLACK_BYTES;
  if (freeBytes < needed) {
    throw new A4cAdminError(
      'DISK_FULL',
      `Restoring the data folder needs about ${needed} bytes on the disk of ${targetRoot} (the staged copy of ${bytes} bytes sits beside the current files), but it has ${freeBytes} bytes free.`,
      {
        hint: 'Free space on that disk (or grow it), or restore fewer parts with --parts; nothing was changed.',
        details: { needed, free: freeBytes, path: targetRoot },
      },
    );
  }
  return { files: selected.length, bytes, freeBytes };
}

async function nearestExistingFolder(path: string): Promise<string> {
  let current = path;
  for (;;) {
    const info = await lstat(current).catch(() => undefined);
    if (info !== undefined) return info.isSymbolicLink() ? realpath(current) : current;
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

async function assertWritable(folder: string, role: string): Promise<void> {
  try {
    // W_OK answers EROFS on a read-only mount even for root, who passes any mode check.
    await access(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new A4cAdminError('PRECONDITION_FAILED', `Cannot write in ${folder}, ${role} (${code}): the restore could not put the files back.`, {
      hint:
        code === 'EROFS'
          ? 'Its file system is mounted read-only: remount it read-write, then run the restore again.'
          : 'Give the user running a4c-admin write access to it, then run the restore again.',
      cause: error,
      details: { path: folder, errno: code },
    });
  }
}

async function assertJournalReadable(targetRoot: string): Promise<void> {
  try {
    await readRestoreJournal(targetRoot);
  } catch (error) {
    throw new A4cAdminError(
      'PRECONDITION_FAILED',
      `The data folder holds a journal of an interrupted restore that cannot be read: ${(error as Error).message}`,
      {
        hint: (error as A4cAdminError).hint ?? 'Inspect the .a4c-admin-* folders of the data folder, keep the right tree, delete the journal.',
        cause: error,
      },
    );
  }
}

function describeKind(info: Parameters<typeof describeSpecialEntry>[0] & { isFile(): boolean }): string {
  return info.isFile() ? 'a file' : describeSpecialEntry(info);
}

function refusal(code: 'UNSAFE_PATH', message: string, hint: string, path: string): A4cAdminError {
  return new A4cAdminError(code, message, { hint, details: { path } });
}
