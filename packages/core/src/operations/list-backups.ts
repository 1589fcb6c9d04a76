// list(): the backups of backup.files_dir, newest first. A folder without a valid manifest
// is shown as broken, never as a backup; folders being written or deleted are not shown.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { A4cAdminConfig } from '../config-schema.js';
import { isA4cAdminError } from '../errors.js';
import { readManifest } from '../manifest.js';
import type { SnapshotInfo, SnapshotStore } from '../ports.js';

export interface BackupSummary {
  name: string;
  folder: string;
  /** `complete`: manifest valid (and snapshot SUCCESS when the snapshot store was asked); `broken` otherwise. */
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

export async function listBackups(options: { config: A4cAdminConfig; snapshots?: SnapshotStore }): Promise<BackupSummary[]> {
  const root = options.config.backup.files_dir;
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const snapshots = options.snapshots ? new Map((await options.snapshots.list()).map((snapshot) => [snapshot.name, snapshot])) : undefined;
  const summaries: BackupSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const folder = join(root, entry.name);
    try {
      const manifest = await readManifest(folder);
      const snapshot = manifest.snapshot && snapshots ? snapshots.get(manifest.snapshot.name) : undefined;
      const snapshotState = manifest.snapshot && snapshots ? (snapshot && snapshot.uuid === manifest.snapshot.uuid ? snapshot.state : 'MISSING') : undefined;
      const broken = snapshotState !== undefined && snapshotState !== 'SUCCESS';
      summaries.push({
        name: entry.name,
        folder,
        state: broken ? 'broken' : 'complete',
        ...(broken ? { problem: `snapshot ${manifest.snapshot!.name} is ${snapshotState}` } : {}),
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
      summaries.push({ name: entry.name, folder, state: 'broken', problem: error.message });
    }
  }
  // Newest first; broken folders (no date) last, by name.
  return summaries.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.name.localeCompare(b.name));
}
