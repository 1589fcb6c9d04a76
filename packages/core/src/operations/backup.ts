// backup(): the seed's `-backup 1.1.0 -n backup110`, done so that a folder either is a
// complete, verifiable backup or does not look like one at all.
//
// What the disk and the cluster hold if the process dies:
// - before the snapshot: at most a `.partial-<name>` folder (never listed, removed by the next run);
// - during or after the snapshot, before the manifest: a snapshot tagged with our metadata and
//   no `<name>` folder; the next backup of that name in the same backup.files_dir finds it
//   orphaned (its metadata names this folder's location) and deletes it;
// - the manifest is written inside `.partial-<name>`, then the folder is renamed to `<name>`:
//   the rename is the commit point.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { a4cIndexNamesIn, storageLayoutOf } from '../a4c-model/index.js';
import { throwIfCancelled } from '../cancellation.js';
import { canonicalHash } from '../canonical-json.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import { backupFileTree } from '../file-tree-backup.js';
import { EXPORT_MANIFEST_FILE, type Manifest, type ManifestContent, manifestTool, writeManifest } from '../manifest.js';
import type { SnapshotInfo } from '../ports.js';
import { createProgressReporter, type ProgressListener, type ProgressReporter } from '../progress.js';
import { mapConcurrently } from '../task-pool.js';
import type { BackupBackends } from './backends.js';
import { copyConfigFiles } from './backup-config-files.js';
import { defaultBackupName, validateBackupName } from './backup-name.js';
import { backupLocationKey, newBackupId, ownershipMetadata, writeBackupMarker } from './backup-ownership.js';
import { type BackupPaths, backupPaths, sha256File } from './backup-paths.js';
import { preflightBackup, refuseExistingBackup } from './backup-preflight.js';
import { installationLock } from './installation-lock.js';
import { findPreviousBackup } from './previous-backup.js';

export interface BackupOptions {
  config: A4cAdminConfig;
  backends: BackupBackends;
  /** A4C data version of the indices; read from the data-version marker when absent. */
  version?: string;
  /** Name of the backup and its snapshot; a sortable timestamp when absent. */
  name?: string;
  /** `snapshot` (fast, same ES major) or `export` (portable NDJSON). */
  format?: 'snapshot' | 'export';
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** The caller already holds backup.files_dir's lock (a migration takes its backup under its own hold). */
  locked?: boolean;
  /**
   * Copy and hash every data-folder file again. By default a file with the path, size and
   * modification time recorded by the previous complete backup of this data folder is
   * hard-linked from it (see docs/backup-and-restore.md).
   */
  fullFiles?: boolean;
}

export interface BackupResult {
  name: string;
  folder: string;
  version: string;
  format: 'snapshot' | 'export';
  snapshot?: SnapshotInfo;
  indices: Array<{ name: string; docCount: number }>;
  /** A4C indices of this version that the cluster does not hold. */
  missingIndices: string[];
  files: number;
  bytes: number;
  configFiles: number;
  skippedParts: string[];
  /** Data-folder files deleted (by A4C) between the walk and their copy: not in the backup, each reported as a warning. */
  vanishedFiles: string[];
  /** Data-folder files hard-linked from the previous backup `from` (unchanged since): counted in `files`/`bytes`, taking no new space. */
  linked: { from?: string; files: number; bytes: number };
  /** False when A4C wrote to the indices while the snapshot ran (counts are then approximate). */
  countsExact: boolean;
  manifest: Manifest;
  durationMs: number;
}

/** Takes a consistent backup of the A4C indices, data folder and config files. */
export async function backup(options: BackupOptions): Promise<BackupResult> {
  const { config, backends, signal } = options;
  const startedAt = new Date();
  const progress = createProgressReporter('backup', options.onProgress, startedAt.getTime());
  const format = options.format ?? 'snapshot';
  const name = validateBackupName(options.name ?? defaultBackupName(startedAt));
  const paths = backupPaths(config, name);
  const prefix = config.elasticsearch.index_prefix;
  // Ties this run's folder and snapshot together: nothing is ever deleted on a name alone.
  const backupId = newBackupId();

  // Preflight: everything that can refuse does so before anything is written.
  const { cluster, version, marker, sizes } = await preflightBackup(options, name, paths, format, progress);
  throwIfCancelled(signal, () => `Backup "${name}" was cancelled during its preflight; nothing was written.`, 'Run the backup again when ready.');

  const lock = options.locked ? undefined : await installationLock(config).acquire('backup');
  const location = await backupLocationKey(config.backup.files_dir, name);
  const run: BackupRun = { backends, name, backupId, filesDir: config.backup.files_dir, location, version, format, paths, progress, signal };
  let snapshotStarted = false;
  try {
    await claimPartialFolder(run);

    // The A4C indices in the cluster's own layout: toscaelement, application... on ES 1.x-5.x.
    const wanted = a4cIndexNamesIn(storageLayoutOf(cluster.version), version, prefix);
    const resolved = await backends.state.resolve(wanted);
    const present = wanted.filter((index) => (resolved[index] ?? []).length > 0);
    const missingIndices = wanted.filter((index) => !present.includes(index));
    if (present.length === 0) {
      throw new A4cAdminError('INDEX_NOT_FOUND', `The cluster holds none of the A4C ${version} indices${prefix ? ` with prefix "${prefix}"` : ''}.`, {
        hint: "Check elasticsearch.addresses and elasticsearch.index_prefix (A4C's elasticsearch.prefix).",
      });
    }
    const { snapshot, exported, countsExact, indices } = await captureIndices(run, present, () => {
      snapshotStarted = true;
    });

    const { tree, configFiles, linkedFrom } = await copyFiles(run, config, sizes, options.fullFiles === true);

    progress.emit({ phase: 'manifest', kind: 'start' });
    const manifest = await writeManifest(paths.partial, {
      formatVersion: 1,
      tool: manifestTool(),
      name,
      backupId,
      a4cDataVersion: version,
      dataVersionMarker: marker,
      elasticsearch: { version: cluster.version, clusterName: cluster.clusterName, clusterUuid: cluster.clusterUuid },
      ...(snapshot ? { snapshot: { repository: snapshot.repository, name: snapshot.name, uuid: snapshot.uuid, state: snapshot.state } } : { export: exported }),
      indices,
      countsExact,
      files: tree.files,
      folders: tree.folders,
      configFiles,
      // Only the parts that existed: restoring a skipped part would replace it with an empty folder.
      options: {
        format,
        parts: config.backup.parts.filter((part) => !tree.skippedParts.includes(part)),
        skippedParts: tree.skippedParts,
        ...(tree.vanished.length > 0 ? { vanishedFiles: tree.vanished } : {}),
        ...(options.fullFiles ? { fullFiles: true } : {}),
        ...(linkedFrom !== undefined ? { filesLinkedFrom: linkedFrom, linkedFiles: tree.linked.files } : {}),
        indexPrefix: prefix,
        dataFolder: config.alien4cloud.dir,
      },
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
    });
    // The last safe point: past the rename the backup is whole and is kept, cancel or not.
    signal?.throwIfAborted();
    await rename(paths.partial, paths.folder);
    snapshotStarted = false;
    progress.emit({ phase: 'manifest', kind: 'end', item: paths.folder });

    return {
      name,
      folder: paths.folder,
      version,
      format,
      snapshot,
      indices: indices.map(({ name: index, docCount }) => ({ name: index, docCount })),
      missingIndices,
      files: tree.files.length,
      bytes: tree.bytes,
      configFiles: configFiles.length,
      skippedParts: tree.skippedParts,
      vanishedFiles: tree.vanished,
      linked: { ...(linkedFrom !== undefined ? { from: linkedFrom } : {}), files: tree.linked.files, bytes: tree.linked.bytes },
      countsExact,
      manifest,
      durationMs: Date.now() - startedAt.getTime(),
    };
  } catch (error) {
    // Leave nothing that looks like a backup: no folder, no snapshot under the name. Both at
    // once: after a Ctrl-C the CLI gives the whole clean-up 1 s (a snapshot deletion alone
    // takes 0.5-0.9 s on a busy node).
    await Promise.all([
      rm(paths.partial, { recursive: true, force: true }).catch(() => {}),
      snapshotStarted ? removeOwnSnapshot(backends, name, backupId) : undefined,
    ]);
    if (signal?.aborted) {
      throw new A4cAdminError(
        'CANCELLED',
        `Backup "${name}" was cancelled; nothing was kept (its partial folder${snapshotStarted ? ` and snapshot ${name}` : ''} removed).`,
        {
          hint: 'Run the backup again when ready.',
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    await lock?.release();
  }
}

/** What the steps of one backup() run share. */
interface BackupRun {
  backends: BackupBackends;
  name: string;
  backupId: string;
  /** backup.files_dir */
  filesDir: string;
  /** This backup.files_dir's key in the snapshot's ownership metadata. */
  location: string;
  version: string;
  format: 'snapshot' | 'export';
  paths: BackupPaths;
  progress: ProgressReporter;
  signal: AbortSignal | undefined;
}

/**
 * Under the lock: the name is still free, no snapshot or restore runs, what an interrupted run
 * of this folder left is removed, and an empty `.partial-<name>` with this run's marker is made.
 */
async function claimPartialFolder(run: BackupRun): Promise<void> {
  const { backends, name, backupId, location, format, paths, progress, filesDir } = run;
  // Checked again under the lock: another backup of the same name may have finished meanwhile.
  await refuseExistingBackup(paths.folder, name, filesDir);
  const orphan = format === 'snapshot' ? await orphanSnapshot(backends, name, location) : undefined;
  const running = await backends.snapshots.running();
  if (running.length > 0) {
    throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Elasticsearch is already running a snapshot or restore (${running.join(', ')}).`, {
      hint: 'Wait for it to finish (GET _snapshot/_status), then run the backup again.',
    });
  }
  await rm(paths.partial, { recursive: true, force: true });
  if (orphan) {
    progress.emit({ phase: 'preflight', kind: 'warning', item: name, message: `removing snapshot ${name} left by an interrupted backup` });
    await backends.snapshots.remove(name);
  }
  await mkdir(paths.partial, { mode: 0o700 });
  await writeBackupMarker(paths.partial, { name, backupId });
}

/**
 * The indices' counts, their data (a snapshot, or an export into the partial folder), their
 * counts again (the same: exact, else approximate) and mapping hashes for the manifest.
 * `onSnapshotStart` is called just before the snapshot is asked for, so that a failure past it
 * removes the snapshot.
 */
async function captureIndices(
  run: BackupRun,
  present: string[],
  onSnapshotStart: () => void,
): Promise<{
  snapshot: SnapshotInfo | undefined;
  exported: ManifestContent['export'];
  countsExact: boolean;
  indices: ManifestContent['indices'];
}> {
  const { backends, name, backupId, location, version, format, paths, progress, signal } = run;
  signal?.throwIfAborted();
  const countsBefore = await countAll(backends, present, signal);
  let snapshot: SnapshotInfo | undefined;
  let exported: ManifestContent['export'];
  if (format === 'snapshot') {
    progress.emit({ phase: 'snapshot', kind: 'start', total: present.length, message: `snapshot ${name} of ${present.length} indices` });
    onSnapshotStart();
    snapshot = await backends.snapshots.create(
      { name, indices: present, metadata: { ...ownershipMetadata(name, backupId, location), a4cDataVersion: version } },
      progress.child('snapshot'),
    );
    progress.emit({ phase: 'snapshot', kind: 'end', item: name });
  } else {
    const folder = join(paths.partial, 'export');
    const indices = await backends.exporter!.exportIndices(present, folder, progress.child('export'));
    exported = {
      folder: 'export',
      manifestSha256: await sha256File(join(folder, EXPORT_MANIFEST_FILE)),
      chunks: indices.flatMap((index) => index.chunks.map((chunk) => ({ index: index.index, ...chunk }))),
    };
  }
  signal?.throwIfAborted();
  const countsAfter = await countAll(backends, present, signal);
  const countsExact = present.every((index) => countsBefore[index] === countsAfter[index]);
  if (!countsExact) {
    progress.emit({ phase: 'snapshot', kind: 'warning', message: 'A4C wrote to its indices during the backup: document counts are approximate' });
  }
  const mappings = await mappingsOf(backends, present);
  const indices = present.map((index) => ({ name: index, docCount: countsAfter[index] ?? 0, mappingHash: canonicalHash(mappings.get(index)!) }));
  return { snapshot, exported, countsExact, indices };
}

/**
 * The data folder's parts into `files/` (hashed; unchanged files linked from the previous
 * backup unless `fullFiles`), then the config files into `config/`.
 */
async function copyFiles(run: BackupRun, config: A4cAdminConfig, sizes: { files: number; bytes: number }, fullFiles: boolean) {
  const { paths, progress, signal } = run;
  progress.emit({ phase: 'files', kind: 'start', total: sizes.files, totalBytes: sizes.bytes });
  // Under the lock: no delete or prune removes it meanwhile (a link that fails anyway is a copy).
  const previous = fullFiles ? undefined : await findPreviousBackup(config.backup.files_dir, config.alien4cloud.dir, signal);
  const tree = await backupFileTree({
    previous: previous?.tree,
    sourceRoot: config.alien4cloud.dir,
    parts: config.backup.parts,
    destinationRoot: join(paths.partial, 'files'),
    concurrency: config.backup.concurrency,
    progress: progress.child('files'),
    expected: sizes,
    signal,
  });
  progress.emit({ phase: 'files', kind: 'end', done: tree.files.length, bytes: tree.bytes });
  signal?.throwIfAborted();
  const configFiles = await copyConfigFiles(config.backup.config_files, join(paths.partial, 'config'));
  signal?.throwIfAborted();
  return { tree, configFiles, linkedFrom: tree.linked.files > 0 ? previous?.name : undefined };
}

/**
 * A snapshot of this name without a backup folder is what a killed backup of THIS folder left
 * (its metadata names this location): ours to remove. Any other snapshot of the name (another
 * tool's, a backup of another backup.files_dir sharing the repository, one from before backup
 * ids existed) is refused, never deleted.
 */
async function orphanSnapshot(backends: BackupBackends, name: string, location: string): Promise<SnapshotInfo | undefined> {
  const existing = await backends.snapshots.get(name);
  if (!existing) return undefined;
  if (existing.metadata?.tool === 'a4c-admin' && existing.metadata.location === location) return existing;
  const whose =
    existing.metadata?.tool !== 'a4c-admin' ? 'that a4c-admin did not take' : 'that belongs to a backup of another folder (or of an older a4c-admin)';
  throw new A4cAdminError('BACKUP_EXISTS', `The repository already holds a snapshot named "${name}" ${whose}; it was left alone.`, {
    hint: 'Choose another backup name (or delete that snapshot yourself if you know it is not needed: DELETE _snapshot/<repository>/<name>).',
  });
}

/** A failed run removes only the snapshot it created itself (its id in the metadata), never one of the same name. */
async function removeOwnSnapshot(backends: BackupBackends, name: string, backupId: string): Promise<void> {
  const current = await backends.snapshots.get(name).catch(() => undefined);
  if (current?.metadata?.backupId === backupId) await backends.snapshots.remove(name).catch(() => {});
}

/** Counts running at once where the reader counts one index a request: their round trips overlap. */
const COUNT_CONCURRENCY = 8;

/**
 * The documents of each index: in one request where the reader batches counts (~35 round trips
 * at a remote cluster's latency otherwise, twice a backup), one by one for those it gave none.
 */
async function countAll(backends: BackupBackends, indices: string[], signal: AbortSignal | undefined): Promise<Record<string, number>> {
  const batched = indices.length > 1 && backends.reader.counts ? await backends.reader.counts(indices) : new Map<string, number>();
  const left = indices.filter((index) => !batched.has(index));
  // Dozens of requests: a cancel must not wait for them all (the limiter starts none once aborted).
  const alone = await mapConcurrently(left, COUNT_CONCURRENCY, async (index) => (await backends.reader.count(index)) ?? 0, { signal });
  for (const [position, index] of left.entries()) batched.set(index, alone[position]!);
  return Object.fromEntries(indices.map((index) => [index, batched.get(index)!]));
}

/** The mappings of each index, in one request where the reader batches definitions. */
async function mappingsOf(backends: BackupBackends, indices: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (indices.length > 1 && backends.reader.definitions) {
    const definitions = await backends.reader.definitions(indices);
    return new Map(indices.map((index) => [index, definitions.get(index)!.mappings]));
  }
  const mappings = await Promise.all(indices.map(async (index) => (await backends.reader.definition(index)).mappings));
  return new Map(indices.map((index, position) => [index, mappings[position]!]));
}
