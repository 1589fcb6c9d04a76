// Restores parts of a backed-up tree into the A4C data folder so that a crash leaves the
// old tree or the new one, never a mix: stage beside the target, verify, journal, swap each
// part in with renames, keep the previous parts until every swap succeeded.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { copyFileHashed } from './copy-file-hashed.js';
import { A4cAdminError } from './errors.js';
import type { FileEntry, FolderEntry } from './file-entry.js';
import { asFileError, cancelled } from './file-tree-backup.js';
import { checkParts } from './file-tree-parts.js';
import { verifyFileTree } from './file-tree-verify.js';
import type { ProgressReporter } from './progress.js';
import { readRegularTextFile } from './read-regular-file.js';
import { assertNoSymlinkedParents, resolveInside } from './safe-path.js';
import { syncFolder } from './sync-folder.js';
import { createTaskPool } from './task-pool.js';

/** Journal of a restore in progress, in the target folder. Its presence means "recover me". */
export const RESTORE_JOURNAL_FILE = '.a4c-admin-restore-journal.json';
const STAGING_PREFIX = '.a4c-admin-staging-';
const PREVIOUS_PREFIX = '.a4c-admin-previous-';

export interface RestoreFileTreeOptions {
  /** The folder the entries are relative to (the backup's copy of the data folder). */
  backupRoot: string;
  /** Entries from the manifest; only those under `parts` are restored. */
  files: readonly FileEntry[];
  /**
   * Folders from the manifest (empty ones too) with their modes; those under `parts` are created
   * and given their mode. Absent (older manifests): folders come from the files' paths, 0755.
   */
  folders?: readonly FolderEntry[];
  /** The A4C data folder (alien4cloud.dir). */
  targetRoot: string;
  /** Parts to replace. A part with no entry is replaced by an empty folder: pass only the parts the backup holds. */
  parts: readonly string[];
  /** Files copied at the same time (default 8). */
  concurrency?: number;
  /** Events: phases 'recover', 'stage', 'verify', 'swap'. */
  progress?: ProgressReporter;
  signal?: AbortSignal;
}

export interface RestoreFileTreeResult {
  /** Files restored and their bytes. */
  files: number;
  bytes: number;
  parts: string[];
  /** What the recovery run at the start found and did. */
  recovery: RecoverFileTreeResult;
}

export interface RecoverFileTreeResult {
  /** none: nothing to recover; rolled-back: the old tree is in place; rolled-forward: the new one is. */
  action: 'none' | 'rolled-back' | 'rolled-forward' | 'cleaned-up';
  /** Id of the interrupted restore, when there was one. */
  restoreId?: string;
}

type JournalState = 'staging' | 'swapping' | 'committed';
interface Journal {
  version: 1;
  id: string;
  state: JournalState;
  /** Each part and whether the target had it before the restore. */
  parts: Array<{ part: string; existed: boolean }>;
}

/**
 * Restores `parts` from `backupRoot` into `targetRoot` atomically per restore: every file
 * is copied to `targetRoot/.a4c-admin-staging-<id>/` (hash checked, mode from the entry,
 * fsynced), the staged copy is re-verified, a journal is written, then each part is
 * swapped in with two renames, the old one kept in `.a4c-admin-previous-<id>/` until all
 * swaps succeeded. Starts with {@link recoverFileTree}, so an interrupted restore is
 * finished (or undone) first.
 * @throws A4cAdminError CHECKSUM_MISMATCH (the backup copy is damaged), UNSAFE_PATH, CANCELLED, FILESYSTEM, DISK_FULL.
 */
export async function restoreFileTree(options: RestoreFileTreeOptions): Promise<RestoreFileTreeResult> {
  const parts = checkParts(options.parts);
  const { backupRoot, targetRoot, progress, signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const recovery = await recoverFileTree(targetRoot);
  if (recovery.action !== 'none') {
    progress?.emit({ phase: 'recover', kind: 'warning', message: `an interrupted restore (${recovery.restoreId}) was found and ${recovery.action}` });
  }

  const selected = options.files.filter((entry) => parts.some((part) => entry.path.startsWith(`${part}/`)));
  const folders = (options.folders ?? []).filter((entry) => parts.some((part) => entry.path === part || entry.path.startsWith(`${part}/`)));
  for (const entry of folders) resolveInside(targetRoot, entry.path);
  for (const entry of selected) {
    resolveInside(backupRoot, entry.path);
    resolveInside(targetRoot, entry.path);
  }
  for (const part of parts) await assertNoSymlinkedParents(targetRoot, `${part}/x`);

  await mkdir(targetRoot, { recursive: true });
  const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const staging = join(targetRoot, `${STAGING_PREFIX}${id}`);
  const journal: Journal = { version: 1, id, state: 'staging', parts: parts.map((part) => ({ part, existed: false })) };
  // Journal first: a crash while staging leaves a journal that tells recovery what to delete.
  await writeJournal(targetRoot, journal);

  let bytes = 0;
  try {
    bytes = await stage(selected, folders, parts, backupRoot, staging, concurrency, progress, signal);
    // verifyFileTree reports its own start, progress and end: a bar that ends.
    const check = await verifyFileTree({ root: staging, files: selected, parts, concurrency, signal, progress });
    if (!check.ok) {
      throw new A4cAdminError(
        'CHECKSUM_MISMATCH',
        `The staged copy does not match the backup: ${check.missing.length} missing, ${check.changed.length} changed, ${check.extra.length} extra.`,
        { hint: 'The disk under the data folder may be failing; check it, then run the restore again.', details: { ...check } },
      );
    }
    for (const part of parts) {
      const info = await lstat(join(targetRoot, part)).catch(() => undefined);
      if (info !== undefined && !info.isDirectory()) {
        throw new A4cAdminError('UNSAFE_PATH', `${join(targetRoot, part)} is not a folder; refusing to replace it.`, {
          hint: 'Move it away (a4c-admin never replaces links or files by folders), then run the restore again.',
        });
      }
      journal.parts = journal.parts.map((item) => (item.part === part ? { part, existed: info !== undefined } : item));
    }
  } catch (error) {
    await rollBack(targetRoot, journal).catch(() => undefined);
    throw asFileError(error, 'restore');
  }

  journal.state = 'swapping';
  await writeJournal(targetRoot, journal);
  progress?.emit({ phase: 'swap', kind: 'start', total: parts.length });
  try {
    for (const { part, existed } of journal.parts) await swapPart(targetRoot, id, part, existed);
  } catch (error) {
    // The staged copy is verified and journaled: finishing is safer than undoing half of it.
    await recoverFileTree(targetRoot).catch(() => undefined);
    throw asFileError(error, 'restore');
  }
  await commit(targetRoot, journal);
  progress?.emit({ phase: 'swap', kind: 'end', done: parts.length, total: parts.length, bytes });
  return { files: selected.length, bytes, parts, recovery };
}

/**
 * Finishes or undoes a restore interrupted in `targetRoot` (crash, kill, power loss), using
 * its journal: interrupted while staging -> the staged copy is deleted (old tree kept);
 * interrupted while swapping -> every verified staged part is swapped in (new tree);
 * committed -> leftovers are removed. Leftover staging folders without a journal are
 * deleted. Safe to call at any time when no restore is running (take the lock first).
 */
export async function recoverFileTree(targetRoot: string): Promise<RecoverFileTreeResult> {
  // A kill while the journal was being written leaves its temp file (the rename never happened).
  const names = await readdir(targetRoot).catch(() => [] as string[]);
  for (const name of names.filter((candidate) => candidate.startsWith(`.${RESTORE_JOURNAL_FILE}.`) && candidate.endsWith('.tmp'))) {
    await rm(join(targetRoot, name), { force: true });
  }
  const journal = await readJournal(targetRoot);
  if (journal === undefined) {
    for (const name of names.filter((candidate) => candidate.startsWith(STAGING_PREFIX))) {
      await rm(join(targetRoot, name), { recursive: true, force: true });
    }
    return { action: 'none' };
  }
  if (journal.state === 'staging') {
    await rollBack(targetRoot, journal);
    return { action: 'rolled-back', restoreId: journal.id };
  }
  if (journal.state === 'committed') {
    await commit(targetRoot, journal);
    return { action: 'cleaned-up', restoreId: journal.id };
  }
  const staging = join(targetRoot, `${STAGING_PREFIX}${journal.id}`);
  const forwardPossible = await everyAsync(journal.parts, async ({ part }) => (await exists(join(staging, part))) || (await exists(join(targetRoot, part))));
  if (forwardPossible) {
    for (const { part, existed } of journal.parts) await swapPart(targetRoot, journal.id, part, existed);
    await commit(targetRoot, journal);
    return { action: 'rolled-forward', restoreId: journal.id };
  }
  await rollBack(targetRoot, journal);
  return { action: 'rolled-back', restoreId: journal.id };
}

async function stage(
  entries: readonly FileEntry[],
  folderEntries: readonly FolderEntry[],
  parts: string[],
  backupRoot: string,
  staging: string,
  concurrency: number,
  progress: ProgressReporter | undefined,
  signal: AbortSignal | undefined,
): Promise<number> {
  await mkdir(staging, { mode: 0o700 });
  const folders = new Map<string, Promise<unknown>>();
  const ensureFolder = (folder: string) => {
    let created = folders.get(folder);
    if (created === undefined) {
      created = mkdir(folder, { recursive: true, mode: 0o755 });
      folders.set(folder, created);
    }
    return created;
  };
  for (const part of parts) await ensureFolder(join(staging, part));
  // Every recorded folder, empty ones included (sorted by path: parents first).
  for (const folder of folderEntries) await ensureFolder(resolveInside(staging, folder.path));
  const buffers: Buffer[] = Array.from({ length: concurrency }, () => Buffer.allocUnsafe(1024 * 1024));
  const pool = createTaskPool(concurrency);
  let bytes = 0;
  let done = 0;
  let lastEvent = 0;
  progress?.emit({ phase: 'stage', kind: 'start', total: entries.length });
  try {
    for (const entry of entries) {
      if (signal?.aborted) throw cancelled();
      const source = resolveInside(backupRoot, entry.path);
      const target = resolveInside(staging, entry.path);
      await pool.run(async () => {
        await ensureFolder(dirname(target));
        const buffer = buffers.pop() as Buffer;
        try {
          const copied = await copyFileHashed(source, target, { buffer, mode: entry.mode, sync: true });
          if (copied.sha256 !== entry.sha256 || copied.size !== entry.size) {
            throw new A4cAdminError('CHECKSUM_MISMATCH', `${source} does not match its manifest entry (SHA-256 or size differs): the backup is damaged.`, {
              hint: 'Run `a4c-admin verify` on this backup; restore from another backup if it fails.',
              details: { path: entry.path },
            });
          }
        } finally {
          buffers.push(buffer);
        }
        bytes += entry.size;
        done += 1;
        const now = Date.now();
        if (progress && now - lastEvent >= 250) {
          lastEvent = now;
          progress.emit({ phase: 'stage', kind: 'progress', item: entry.path, done, total: entries.length, bytes });
        }
      });
    }
    await pool.drain();
  } catch (error) {
    await pool.drain().catch(() => undefined);
    throw error;
  }
  // The recorded modes last, deepest first: a 0500 folder would refuse the files put in it.
  for (const folder of [...folderEntries].sort((left, right) => (left.path < right.path ? 1 : left.path > right.path ? -1 : 0))) {
    await chmod(resolveInside(staging, folder.path), folder.mode);
  }
  // The files are fsynced; their folder entries must be too before the journal says "swap".
  for (const folder of folders.keys()) await syncFolder(folder);
  await syncFolder(staging);
  progress?.emit({ phase: 'stage', kind: 'end', done, total: entries.length, bytes });
  return bytes;
}

/** Moves the old part aside and the staged part in. Idempotent: each step checks where things are. */
async function swapPart(targetRoot: string, id: string, part: string, existed: boolean): Promise<void> {
  const staged = join(targetRoot, `${STAGING_PREFIX}${id}`, part);
  const current = join(targetRoot, part);
  const previous = join(targetRoot, `${PREVIOUS_PREFIX}${id}`, part);
  if (!(await exists(staged))) return; // already swapped in
  if (existed && (await exists(current))) {
    if (await exists(previous)) {
      throw new A4cAdminError('FILESYSTEM', `Cannot swap ${part}: both ${current} and ${previous} exist.`, {
        hint: 'Someone changed the data folder during the restore; inspect both folders and keep the right one by hand.',
      });
    }
    await mkdir(dirname(previous), { recursive: true, mode: 0o700 });
    await rename(current, previous);
    await syncFolder(dirname(previous));
  }
  await mkdir(dirname(current), { recursive: true, mode: 0o755 });
  await rename(staged, current);
  await syncFolder(dirname(current));
  await syncFolder(dirname(staged));
}

/** Puts every previous part back and deletes the staged copy: the target holds the old tree again. */
async function rollBack(targetRoot: string, journal: Journal): Promise<void> {
  const staging = join(targetRoot, `${STAGING_PREFIX}${journal.id}`);
  const previousRoot = join(targetRoot, `${PREVIOUS_PREFIX}${journal.id}`);
  if (journal.state === 'swapping') {
    for (const { part, existed } of journal.parts) {
      const current = join(targetRoot, part);
      const previous = join(previousRoot, part);
      const stagedStillThere = await exists(join(staging, part));
      if (await exists(previous)) {
        // The part at `current`, if any, is the new one (the old one is still aside): drop it.
        if (await exists(current)) await rm(current, { recursive: true, force: true });
        await rename(previous, current);
      } else if (!existed && !stagedStillThere && (await exists(current))) {
        await rm(current, { recursive: true, force: true });
      }
    }
    await syncFolder(targetRoot);
  }
  await rm(staging, { recursive: true, force: true });
  await rm(previousRoot, { recursive: true, force: true });
  await unlink(join(targetRoot, RESTORE_JOURNAL_FILE)).catch(() => undefined);
  await syncFolder(targetRoot);
}

/** Marks the restore committed, then removes the previous parts, the staging folder and the journal. */
async function commit(targetRoot: string, journal: Journal): Promise<void> {
  if (journal.state !== 'committed') {
    journal.state = 'committed';
    await writeJournal(targetRoot, journal);
  }
  await rm(join(targetRoot, `${PREVIOUS_PREFIX}${journal.id}`), { recursive: true, force: true });
  await rm(join(targetRoot, `${STAGING_PREFIX}${journal.id}`), { recursive: true, force: true });
  await unlink(join(targetRoot, RESTORE_JOURNAL_FILE)).catch(() => undefined);
  await syncFolder(targetRoot);
}

async function writeJournal(targetRoot: string, journal: Journal): Promise<void> {
  await writeFileAtomic(join(targetRoot, RESTORE_JOURNAL_FILE), `${JSON.stringify(journal)}\n`);
}

/** The journal of an interrupted restore in `targetRoot`, undefined when none; throws FILESYSTEM when it cannot be read. Changes nothing. */
export async function readRestoreJournal(targetRoot: string): Promise<{ id: string; state: JournalState; parts: string[] } | undefined> {
  const journal = await readJournal(targetRoot);
  return journal && { id: journal.id, state: journal.state, parts: journal.parts.map((item) => item.part) };
}

async function readJournal(targetRoot: string): Promise<Journal | undefined> {
  const file = join(targetRoot, RESTORE_JOURNAL_FILE);
  let text: string;
  try {
    text = await readRegularTextFile(file, { noFollow: true, what: 'The restore journal', code: 'FILESYSTEM' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const journal = JSON.parse(text) as Journal;
    const valid =
      journal.version === 1 &&
      /^[0-9a-z-]+$/.test(journal.id) &&
      ['staging', 'swapping', 'committed'].includes(journal.state) &&
      Array.isArray(journal.parts) &&
      journal.parts.every((item) => typeof item.part === 'string' && checkParts([item.part]).length === 1);
    if (valid) return journal;
  } catch {
    // fall through: reported below
  }
  throw new A4cAdminError('FILESYSTEM', `${file} is not a restore journal a4c-admin can read.`, {
    hint: 'It is written atomically, so someone edited it: inspect the .a4c-admin-* folders beside it, keep the right tree, delete the journal.',
  });
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function everyAsync<T>(items: readonly T[], predicate: (item: T) => Promise<boolean>): Promise<boolean> {
  for (const item of items) if (!(await predicate(item))) return false;
  return true;
}
