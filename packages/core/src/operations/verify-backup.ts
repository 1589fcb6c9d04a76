// verify(): is a backup whole? Its manifest, every copied file and config file against
// their SHA-256, and its snapshot (present, SUCCESS, same indices) or export chunks.

import { join } from 'node:path';
import { cancelledError, throwIfCancelled } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import { verifyFileTree } from '../file-tree-verify.js';
import { EXPORT_MANIFEST_FILE, type Manifest, readManifest } from '../manifest.js';
import type { SnapshotStore } from '../ports.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { readRegularTextFile } from '../read-regular-file.js';
import { validateBackupName } from './backup-name.js';
import { backupPaths, sha256File } from './backup-paths.js';

export interface VerifyOptions {
  config: A4cAdminConfig;
  snapshots: SnapshotStore;
  name: string;
  onProgress?: ProgressListener;
  /** Stops the hashing (Ctrl-C): CANCELLED; verify changes nothing, so nothing is left. */
  signal?: AbortSignal;
}

export interface VerifyResult {
  name: string;
  ok: boolean;
  manifest: Manifest;
  /** Each problem found, in words an operator can act on. */
  problems: string[];
  missing: string[];
  extra: string[];
  changed: string[];
}

/** Checks a backup without changing anything. Problems are returned, not thrown; see `assertBackupValid`. */
export async function verifyBackup(options: VerifyOptions): Promise<VerifyResult> {
  try {
    return await verifySteps(options);
  } catch (error) {
    if (options.signal?.aborted)
      throw cancelledError(
        `Verification of backup "${options.name}" was cancelled before it finished; nothing was changed.`,
        'Run `a4c-admin verify` again when ready.',
        error,
      );
    throw error;
  }
}

async function verifySteps(options: VerifyOptions): Promise<VerifyResult> {
  const { signal } = options;
  // The outer catch turns any stop into the CANCELLED error that says nothing was changed.
  const checkpoint = () =>
    throwIfCancelled(signal, () => `Verification of backup "${options.name}" was cancelled.`, 'Run `a4c-admin verify` again when ready.');
  checkpoint();
  const progress = createProgressReporter('verify', options.onProgress);
  const name = validateBackupName(options.name);
  const paths = backupPaths(options.config, name);
  progress.emit({ phase: 'manifest', kind: 'start', item: name });
  const manifest = await readManifest(paths.folder);
  const problems: string[] = [];

  progress.emit({ phase: 'files', kind: 'start', total: manifest.files.length });
  const tree = await verifyFileTree({ root: paths.files, files: manifest.files, signal });
  for (const path of tree.missing) problems.push(`file missing from the backup: files/${path}`);
  for (const path of tree.changed) problems.push(`file changed since the backup: files/${path}`);
  for (const path of tree.extra) problems.push(`file not listed in the manifest: files/${path}`);
  for (const file of manifest.configFiles) {
    checkpoint();
    const actual = await sha256File(join(paths.folder, file.stored)).catch(() => undefined);
    if (actual === undefined) problems.push(`config file missing from the backup: ${file.stored}`);
    else if (actual !== file.sha256) problems.push(`config file changed since the backup: ${file.stored}`);
  }
  if (manifest.export) {
    // The export manifest names the indices, their mappings and the chunks' hashes: unchecked, an
    // edit of it alone would make a restore load forged mappings and documents.
    const exportManifest = `${manifest.export.folder}/${EXPORT_MANIFEST_FILE}`;
    const exportManifestPath = join(paths.folder, manifest.export.folder, EXPORT_MANIFEST_FILE);
    const actual = await sha256File(exportManifestPath).catch(() => undefined);
    if (manifest.export.manifestSha256 === undefined)
      problems.push(`export manifest not covered by manifest.json (no manifestSha256 for ${exportManifest}): the backup was written by an older a4c-admin`);
    else if (actual === undefined) problems.push(`export manifest missing: ${exportManifest}`);
    else if (actual !== manifest.export.manifestSha256) {
      problems.push(
        (await isJsonFile(exportManifestPath))
          ? `export manifest changed since the backup: ${exportManifest}`
          : `export manifest changed since the backup: ${exportManifest} ${EXPORT_MANIFEST_DAMAGED}`,
      );
    }
    for (const chunk of manifest.export.chunks) {
      checkpoint();
      const actual = await sha256File(join(paths.folder, manifest.export.folder, chunk.file)).catch(() => undefined);
      if (actual !== chunk.sha256) problems.push(`export chunk ${actual === undefined ? 'missing' : 'changed'}: ${manifest.export.folder}/${chunk.file}`);
    }
  }
  progress.emit({ phase: 'files', kind: 'end', done: manifest.files.length });

  if (manifest.snapshot) {
    checkpoint();
    progress.emit({ phase: 'snapshot', kind: 'start', item: manifest.snapshot.name });
    // On another cluster (after a move to a new host) the repository folder may sit under
    // path.repo without being registered yet: registered then, the snapshot is found.
    const snapshot =
      (await options.snapshots.get(manifest.snapshot.name)) ??
      (await options.snapshots.ensureRepository().then(() => options.snapshots.get(manifest.snapshot!.name)));
    if (!snapshot) {
      problems.push(`snapshot ${manifest.snapshot.name} is not in repository ${manifest.snapshot.repository}`);
    } else {
      if (snapshot.uuid !== manifest.snapshot.uuid)
        problems.push(`snapshot ${snapshot.name} is another snapshot than the one backed up (uuid ${snapshot.uuid})`);
      if (snapshot.state !== 'SUCCESS') problems.push(`snapshot ${snapshot.name} is ${snapshot.state}, not SUCCESS`);
      const absent = manifest.indices.filter((index) => !snapshotHolds(snapshot.indices, index.name));
      if (absent.length > 0) problems.push(`snapshot ${snapshot.name} lacks indices ${absent.map((index) => index.name).join(', ')}`);
    }
    progress.emit({ phase: 'snapshot', kind: 'end' });
  }
  return { name, ok: problems.length === 0, manifest, problems, missing: tree.missing, extra: tree.extra, changed: tree.changed };
}

/** Said of an export manifest that no longer parses: a damaged export rather than an edited one. */
const EXPORT_MANIFEST_DAMAGED = 'is not valid JSON';

async function isJsonFile(path: string): Promise<boolean> {
  try {
    JSON.parse(await readRegularTextFile(path));
    return true;
  } catch {
    return false;
  }
}

/** A name in the manifest may be an alias of a versioned index (after a migration): accept either. */
function snapshotHolds(snapshotIndices: string[], name: string): boolean {
  return snapshotIndices.some((index) => index === name || index.startsWith(`${name}-v`));
}

/** Throws CHECKSUM_MISMATCH / SNAPSHOT_NOT_FOUND / EXPORT_INVALID (an export manifest that no longer parses) listing the problems of a failed verification. */
export function assertBackupValid(result: VerifyResult): void {
  if (result.ok) return;
  const snapshotGone = result.problems.some((problem) => problem.includes('is not in repository'));
  const exportDamaged = result.problems.some((problem) => problem.endsWith(EXPORT_MANIFEST_DAMAGED));
  throw new A4cAdminError(
    snapshotGone ? 'SNAPSHOT_NOT_FOUND' : exportDamaged ? 'EXPORT_INVALID' : 'CHECKSUM_MISMATCH',
    `Backup "${result.name}" failed verification:\n- ${result.problems.slice(0, 20).join('\n- ')}${result.problems.length > 20 ? `\n(and ${result.problems.length - 20} more)` : ''}`,
    {
      hint: snapshotGone
        ? 'The snapshot of this backup was deleted from the repository: this backup cannot be restored; use another one.'
        : 'The backup folder was altered or damaged: restore it from a copy, or use another backup.',
      details: { problems: result.problems },
    },
  );
}
