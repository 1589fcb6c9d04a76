// Copies the chosen parts of the A4C data folder into a backup folder, hashing every file
// while copying, several files in flight, walking the tree as a stream (flat memory). Files
// unchanged since the previous backup are hard-linked from it instead (file-tree-link.ts).
import { lstatSync, mkdirSync } from 'node:fs';
import { lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { cancelledError } from './cancellation.js';
import { copyFileHashed, copySmallFileSync } from './copy-file-hashed.js';
import { A4cAdminError } from './errors.js';
import type { FileEntry, FolderEntry } from './file-entry.js';
import { type PreviousFileTree, unchangedFileLinker } from './file-tree-link.js';
import { checkParts } from './file-tree-parts.js';
import type { ProgressReporter } from './progress.js';
import { describeSpecialEntry, unsafeEntryError } from './safe-path.js';
import { createTaskPool } from './task-pool.js';
import { walkTree } from './walk-tree.js';

export interface BackupFileTreeOptions {
  /** The A4C data folder (alien4cloud.dir). */
  sourceRoot: string;
  /** Folders of sourceRoot to copy, e.g. ['csar', 'work/plugins']. */
  parts: readonly string[];
  /** Where the copy goes (created 0700 when absent; must be empty). The layout under it mirrors sourceRoot. */
  destinationRoot: string;
  /** Files copied at the same time (default 8). */
  concurrency?: number;
  /** Events: phase 'files'; a warning per missing part; progress with done/bytes. */
  progress?: ProgressReporter;
  /** What a preflight measured: sent as total/totalBytes with every event, so that a bar can advance. */
  expected?: { files: number; bytes: number };
  /**
   * The previous complete backup of the same data folder: a file with the path, size and
   * modification time its manifest records is hard-linked from it instead of copied. Never
   * written to. Absent: every file is copied (a full backup).
   */
  previous?: PreviousFileTree;
  signal?: AbortSignal;
}

export interface BackupFileTreeResult {
  /** One entry per copied file, sorted by path; `mode` is the source's. */
  files: FileEntry[];
  /** Every folder copied (each part, and every folder under it, empty ones too) with its source mode, sorted by path. */
  folders: FolderEntry[];
  /** Files (or folders) that vanished between the walk and their copy (A4C deleted them meanwhile): skipped, with a warning each. */
  vanished: string[];
  /** Total bytes of the backed-up files (copied or linked). */
  bytes: number;
  /** The files (and their bytes) hard-linked from the previous backup rather than copied: they take no new space. */
  linked: { files: number; bytes: number };
  /** Parts that did not exist in sourceRoot (reported as warnings, not copied). */
  skippedParts: string[];
}

const BUFFER_BYTES = 1024 * 1024;
/** Files up to this size are copied with synchronous calls (see copySmallFileSync). */
const SMALL_FILE_BYTES = 256 * 1024;
/** Longest stretch of synchronous copying before the event loop gets a turn (timers, progress, abort). */
const MAX_SYNC_SLICE_MS = 15;
const PROGRESS_EVERY_MS = 250;

/** Mode of the copied files: read-only, because a hard link shares them with the next backups. */
const BACKUP_FILE_MODE = 0o400;

/**
 * Copies `parts` of `sourceRoot` into `destinationRoot` with a SHA-256 per file. Folders
 * are created 0700 and files 0400 (the source mode is recorded in the entry, and applied
 * on restore); unchanged files are linked from `previous` when given. Symlinks, fifos, sockets and devices are refused, never followed.
 * @throws A4cAdminError UNSAFE_PATH, USAGE (forbidden or overlapping parts), BACKUP_EXISTS
 *   (destination not empty), CANCELLED, FILESYSTEM.
 */
export async function backupFileTree(options: BackupFileTreeOptions): Promise<BackupFileTreeResult> {
  const parts = checkParts(options.parts);
  const { sourceRoot, destinationRoot, progress, signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  await assertDestinationOutsideParts(sourceRoot, parts, destinationRoot);
  await prepareDestination(destinationRoot);

  const files: FileEntry[] = [];
  const folders: FolderEntry[] = [];
  const vanished: string[] = [];
  const onVanished = (path: string) => {
    vanished.push(path);
    progress?.emit({
      phase: 'files',
      kind: 'warning',
      item: path,
      message: `${join(sourceRoot, path)} vanished during the backup (deleted meanwhile): skipped`,
    });
  };
  const skippedParts: string[] = [];
  let bytes = 0;
  const linked = { files: 0, bytes: 0 };
  const linkUnchanged = unchangedFileLinker(options.previous);
  let lastEvent = 0;
  const buffers: Buffer[] = Array.from({ length: concurrency }, () => Buffer.allocUnsafe(BUFFER_BYTES));
  // One byte more than the largest small file, so that a file that grew while read is noticed.
  const smallBuffer = Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);
  let sliceStartedAt = Date.now();
  const pool = createTaskPool(concurrency);
  const totals = options.expected ? { total: options.expected.files, totalBytes: options.expected.bytes } : {};
  progress?.emit({ phase: 'files', kind: 'start', message: `copying ${parts.join(', ')}`, ...totals });

  try {
    for (const part of parts) {
      const partPath = join(sourceRoot, part);
      const info = await lstat(partPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (info === undefined) {
        skippedParts.push(part);
        progress?.emit({ phase: 'files', kind: 'warning', item: part, message: `${partPath} does not exist: part skipped` });
        continue;
      }
      if (!info.isDirectory()) throw unsafeEntryError(partPath, info.isFile() ? 'a file, not a folder' : describeSpecialEntry(info));
      await mkdir(join(destinationRoot, part), { recursive: true, mode: 0o700 });

      for await (const entry of walkTree(sourceRoot, part, { onVanished })) {
        if (signal?.aborted) throw cancelled();
        const target = join(destinationRoot, entry.path);
        if (entry.kind === 'directory') {
          // Created before any of its files is scheduled (the walk yields a folder before its content).
          // Synchronous calls, as for small files: a thread-pool round trip costs more than the
          // call on a busy machine, and an incremental backup that links every file is mostly these.
          if (entry.path !== part) mkdirSync(target, { mode: 0o700 });
          // Its mode is recorded (the copy stays 0700): a restore gives 0700 folders back as 0700, and empty ones back at all.
          const folderInfo = folderStat(entry.absolute);
          if (folderInfo?.isDirectory()) folders.push({ path: entry.path, mode: folderInfo.mode & 0o7777 });
          continue;
        }
        const reused = linkUnchanged?.(entry.path, entry.absolute, target);
        if (reused !== undefined) {
          linked.files += 1;
          linked.bytes += reused.size;
        }
        let small;
        try {
          small = reused ?? copySmallFileSync(entry.absolute, target, smallBuffer, BACKUP_FILE_MODE);
        } catch (error) {
          if (!vanishedSource(error, entry.absolute)) throw error;
          onVanished(entry.path);
          continue;
        }
        if (small !== undefined) {
          files.push({ path: entry.path, size: small.size, mode: small.mode, mtimeMs: small.mtimeMs, sha256: small.sha256 });
          bytes += small.size;
          const now = Date.now();
          if (now - sliceStartedAt >= MAX_SYNC_SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceStartedAt = Date.now();
            if (progress && sliceStartedAt - lastEvent >= PROGRESS_EVERY_MS) {
              lastEvent = sliceStartedAt;
              progress.emit({ phase: 'files', kind: 'progress', item: entry.path, done: files.length, bytes, ...totals });
            }
          }
          continue;
        }
        await pool.run(async () => {
          const buffer = buffers.pop() as Buffer;
          try {
            const copied = await copyFileHashed(entry.absolute, target, { buffer, mode: BACKUP_FILE_MODE });
            files.push({ path: entry.path, size: copied.size, mode: copied.mode, mtimeMs: copied.mtimeMs, sha256: copied.sha256 });
            bytes += copied.size;
          } catch (error) {
            if (!vanishedSource(error, entry.absolute)) throw error;
            onVanished(entry.path);
          } finally {
            buffers.push(buffer);
          }
          const now = Date.now();
          if (progress && now - lastEvent >= PROGRESS_EVERY_MS) {
            lastEvent = now;
            progress.emit({ phase: 'files', kind: 'progress', item: entry.path, done: files.length, bytes, ...totals });
          }
        });
      }
    }
    await pool.drain();
  } catch (error) {
    await pool.drain().catch(() => undefined);
    throw asFileError(error, 'backup');
  }
  const byPath = (left: { path: string }, right: { path: string }) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0);
  files.sort(byPath);
  folders.sort(byPath);
  vanished.sort();
  progress?.emit({ phase: 'files', kind: 'end', done: files.length, total: files.length, bytes, totalBytes: bytes });
  return { files, folders, vanished, bytes, linked, skippedParts };
}

/** lstat of a folder, or undefined when it vanished (or cannot be read) meanwhile. */
function folderStat(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** True when `error` is the source file having been deleted before it could be opened. */
function vanishedSource(error: unknown, source: string): boolean {
  const systemError = error as NodeJS.ErrnoException;
  return systemError?.code === 'ENOENT' && systemError.path === source;
}

/**
 * A backup folder inside a part it copies would copy itself into itself, folder after folder,
 * until the names grow too long: refused, naming both (checked on the real paths, links resolved).
 * @throws A4cAdminError UNSAFE_PATH.
 */
export async function assertDestinationOutsideParts(sourceRoot: string, parts: readonly string[], destination: string): Promise<void> {
  const realDestination = await realExistingPath(destination);
  for (const part of checkParts(parts)) {
    const partPath = join(sourceRoot, part);
    const realPart = await realpath(partPath).catch(() => undefined);
    if (realPart === undefined) continue;
    const inside = relative(realPart, realDestination);
    const outside = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
    if (!outside) {
      throw new A4cAdminError(
        'UNSAFE_PATH',
        `The backup would be written to ${destination}, inside ${partPath} (part "${part}" of alien4cloud.dir) that it copies: it would copy itself into itself.`,
        {
          hint: 'Point backup.files_dir at a folder outside alien4cloud.dir (another disk is best), then run the backup again.',
          details: { destination, part: partPath },
        },
      );
    }
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realExistingPath(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(absolute);
  if (parent === absolute) return absolute;
  return join(await realExistingPath(parent), relative(parent, absolute));
}

async function prepareDestination(destinationRoot: string): Promise<void> {
  await mkdir(destinationRoot, { recursive: true, mode: 0o700 });
  const existing = await readdir(destinationRoot);
  if (existing.length > 0) {
    throw new A4cAdminError('BACKUP_EXISTS', `${destinationRoot} is not empty: refusing to mix two backups.`, {
      hint: 'Choose another backup name, or delete that folder first.',
      details: { path: destinationRoot },
    });
  }
}

/** The error an operation was cancelled with. */
export function cancelled(): A4cAdminError {
  return cancelledError('The operation was cancelled.', 'Run it again when you are ready; nothing was committed.');
}

/** Keeps a4c-admin errors as they are and wraps file-system errors with the path and a hint. */
export function asFileError(error: unknown, operation: string): unknown {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { syscall?: unknown }).syscall === 'string') {
    const systemError = error as NodeJS.ErrnoException;
    const code = systemError.code === 'ENOSPC' ? 'DISK_FULL' : 'FILESYSTEM';
    return new A4cAdminError(code, `File ${operation} failed: ${systemError.message}`, {
      hint:
        code === 'DISK_FULL'
          ? 'Free space on the destination disk (or choose another folder), then run again.'
          : 'Check that the path exists and that the user running a4c-admin may read and write there.',
      cause: error,
      details: { path: systemError.path, errno: systemError.code },
    });
  }
  return error;
}
