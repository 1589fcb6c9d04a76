// list(): the backups of backup.files_dir, newest first. A folder a4c-admin made (its marker)
// without a valid manifest is shown as broken, never as a backup; folders being written or
// deleted are not shown, nor folders a4c-admin did not make (backup.files_dir may hold others).
// One unreadable snapshot makes its backup broken, never the whole list fail.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfCancelled } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { isA4cAdminError } from '../errors.js';
import { readManifest } from '../manifest.js';
import type { SnapshotInfo, SnapshotStore } from '../ports.js';
import { readBackupMarker } from './backup-ownership.js';
import { backupSizeProblems } from './backup-size-check.js';

export interface BackupSummary {
  name: string;
  folder: string;
  /** `complete`: manifest valid (its own hash included), every file of the size it names, and snapshot SUCCESS when the snapshot store was asked; `broken` otherwise. */
  state: 'complete' | 'broken';
  /** Why a backup is broken. */
  problem?: string;
  version?: string;
  format?: 'snapshot' | 'export';
  startedAt?: string;
  endedAt?: string;
  /** Bytes of the copied files and exported chunks (the snapshot's share of the repository is not counted). */
  bytes?: number;
  files?: number;
  indices?: number;
  documents?: number;
  snapshotState?: SnapshotInfo['state'] | 'MISSING';
}

export async function listBackups(options: {
  config: A4cAdminConfig;
  snapshots?: SnapshotStore;
  /** Checked before the snapshots are listed and before each folder is read: CANCELLED; list changes nothing. */
  signal?: AbortSignal;
}): Promise<BackupSummary[]> {
  const root = options.config.backup.files_dir;
  const checkpoint = () => throwIfCancelled(options.signal, () => 'list was cancelled; it changes nothing.', 'Run `a4c-admin list` again when ready.');
  checkpoint();
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const snapshotOf = options.snapshots ? await snapshotLookup(options.snapshots) : undefined;
  checkpoint();
  const summaries: BackupSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    checkpoint();
    const folder = join(root, entry.name);
    try {
      const manifest = await readManifest(folder);
      const found = manifest.snapshot && snapshotOf ? await snapshotOf(manifest.snapshot.name) : undefined;
      const snapshot = found && 'info' in found ? found.info : undefined;
      const unreadable = found && 'unreadable' in found ? found.unreadable : undefined;
      const snapshotState =
        manifest.snapshot && snapshotOf && !unreadable ? (snapshot && snapshot.uuid === manifest.snapshot.uuid ? snapshot.state : 'MISSING') : undefined;
      // Sizes only: cheap enough for every list; `verify` re-hashes every byte.
      const damaged = await backupSizeProblems(folder, manifest);
      const problem = unreadable
        ? `snapshot ${manifest.snapshot!.name} cannot be read: ${unreadable}`
        : snapshotState !== undefined && snapshotState !== 'SUCCESS'
          ? `snapshot ${manifest.snapshot!.name} is ${snapshotState}`
          : damaged.length > 0
            ? `damaged: ${damaged.join('; ')} (\`a4c-admin verify ${entry.name}\` checks every byte)`
            : undefined;
      summaries.push({
        name: entry.name,
        folder,
        state: problem === undefined ? 'complete' : 'broken',
        ...(problem === undefined ? {} : { problem }),
        version: manifest.a4cDataVersion,
        format: manifest.snapshot ? 'snapshot' : 'export',
        startedAt: manifest.startedAt,
        endedAt: manifest.endedAt,
        bytes: manifest.files.reduce((sum, file) => sum + file.size, 0) + (manifest.export?.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0) ?? 0),
        files: manifest.files.length,
        indices: manifest.indices.length,
        documents: manifest.indices.reduce((sum, index) => sum + index.docCount, 0),
        snapshotState,
      });
    } catch (error) {
      if (!isA4cAdminError(error)) throw error;
      // Not made by a4c-admin (no marker): not a backup, not ours to show or to delete.
      if (!(await readBackupMarker(folder))) continue;
      summaries.push({ name: entry.name, folder, state: 'broken', problem: error.message });
    }
  }
  // Newest first; broken folders (no date) last, by name.
  return summaries.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.name.localeCompare(b.name));
}

type SnapshotLookup = (name: string) => Promise<{ info: SnapshotInfo | undefined } | { unreadable: string }>;

/** Answers of Elasticsearch that say it could not read the repository, not that it was not reached. */
const REPOSITORY_READ_FAILURES: readonly string[] = ['REPOSITORY_VERIFY_FAILED', 'ES_REQUEST_FAILED'];

/**
 * Snapshots by name: one listing of the repository when it can be read whole; when one damaged
 * snapshot (a truncated snap-*.dat) makes the listing fail, each backup's snapshot is read alone.
 */
async function snapshotLookup(store: SnapshotStore): Promise<SnapshotLookup> {
  try {
    const all = new Map((await store.list()).map((snapshot) => [snapshot.name, snapshot]));
    return async (name) => ({ info: all.get(name) });
  } catch (error) {
    // Only a repository Elasticsearch cannot read (a damaged snap-*.dat) is worked around, one
    // snapshot at a time; a cluster that cannot be reached or refuses the credentials is the
    // answer itself, never a list of "broken" backups.
    if (!isA4cAdminError(error) || !REPOSITORY_READ_FAILURES.includes(error.code)) throw error;
    return async (name) => {
      try {
        return { info: await store.get(name) };
      } catch (error) {
        return { unreadable: isA4cAdminError(error) ? error.message : String(error) };
      }
    };
  }
}
