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
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, open, rename, rm, stat, statfs, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { A4cAdminConfig } from '../config-schema.js';
import { canonicalHash } from '../canonical-json.js';
import { throwIfCancelled } from '../cancellation.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import { assertDestinationOutsideParts, backupFileTree } from '../file-tree-backup.js';
import { installationLock } from './installation-lock.js';
import { EXPORT_MANIFEST_FILE, manifestTool, writeManifest, type Manifest, type ManifestContent } from '../manifest.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { openRegularFile } from '../read-regular-file.js';
import type { SnapshotInfo } from '../ports.js';
import { a4cIndexNames } from '../a4c-model/index.js';
import type { BackupBackends } from './backends.js';
import { defaultBackupName, validateBackupName } from './backup-name.js';
import { backupLocationKey, newBackupId, ownershipMetadata, writeBackupMarker } from './backup-ownership.js';
import { backupPaths, sha256File } from './backup-paths.js';
import { resolveDataVersion } from './data-version.js';
import { measureDataFolder } from './measure-data-folder.js';

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
  progress.emit({ phase: 'preflight', kind: 'start' });
  const cluster = await backends.cluster.describe();
  if (cluster.status === 'red') {
    throw new A4cAdminError('CLUSTER_UNHEALTHY', `Cluster "${cluster.clusterName}" is red: some primary shards are unassigned.`, {
      hint: 'Fix the cluster first (GET _cluster/allocation/explain tells why); a snapshot of a red cluster would be partial.',
    });
  }
  if (config.elasticsearch.cluster_name && config.elasticsearch.cluster_name !== cluster.clusterName) {
    throw new A4cAdminError('PRECONDITION_FAILED', `The cluster is named "${cluster.clusterName}", not "${config.elasticsearch.cluster_name}" as the configuration says.`, {
      hint: 'Check elasticsearch.addresses (it may point at another cluster) or fix elasticsearch.cluster_name.',
    });
  }
  const { version, marker } = await resolveDataVersion(backends.state, options.version);
  await refuseExistingBackup(paths.folder, name, config.backup.files_dir);
  // A missing part is skipped, but a missing data folder is a wrong alien4cloud.dir: a backup
  // without a single file would later restore empty folders over the real ones.
  const dataFolder = await stat(config.alien4cloud.dir).catch(() => undefined);
  if (!dataFolder?.isDirectory()) {
    throw new A4cAdminError('PRECONDITION_FAILED', `The A4C data folder ${config.alien4cloud.dir} (alien4cloud.dir) ${dataFolder ? 'is not a folder' : 'does not exist'}.`, {
      hint: 'Set alien4cloud.dir (or A4C_ADMIN_DATA_DIR) to the folder that holds csar/, artifacts/, images/ and plugins/.',
    });
  }
  await mkdir(config.backup.files_dir, { recursive: true, mode: 0o700 });
  await checkWritable(config.backup.files_dir);
  if (format === 'snapshot') {
    const repository = await backends.snapshots.ensureRepository();
    progress.emit({ phase: 'preflight', kind: 'info', message: `repository ${repository.name} verified on ${repository.verifiedNodes.length} node(s)` });
  } else if (!backends.exporter) {
    throw new A4cAdminError('INTERNAL', 'The export format needs an index exporter, and none was given.', { hint: 'Wire an IndexExporter into the backends.' });
  }
  await checkConfigFiles(config.backup.config_files);
  await assertDestinationOutsideParts(config.alien4cloud.dir, config.backup.parts, paths.partial);
  const sizes = await measureDataFolder(config.alien4cloud.dir, config.backup.parts);
  await checkFreeSpace(config.backup.files_dir, sizes.bytes);
  progress.emit({ phase: 'preflight', kind: 'end', message: `data folder: ${sizes.files} files, ${sizes.bytes} bytes to copy` });
  throwIfCancelled(signal, () => `Backup "${name}" was cancelled during its preflight; nothing was written.`, 'Run the backup again when ready.');

  const lock = options.locked ? undefined : await installationLock(config).acquire('backup');
  const location = await backupLocationKey(config.backup.files_dir, name);
  let snapshotStarted = false;
  try {
    // Checked again under the lock: another backup of the same name may have finished meanwhile.
    await refuseExistingBackup(paths.folder, name, config.backup.files_dir);
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

    const wanted = a4cIndexNames(version, prefix);
    const resolved = await backends.state.resolve(wanted);
    const present = wanted.filter((index) => (resolved[index] ?? []).length > 0);
    const missingIndices = wanted.filter((index) => !present.includes(index));
    if (present.length === 0) {
      throw new A4cAdminError('INDEX_NOT_FOUND', `The cluster holds none of the A4C ${version} indices${prefix ? ` with prefix "${prefix}"` : ''}.`, {
        hint: 'Check elasticsearch.addresses and elasticsearch.index_prefix (A4C\'s elasticsearch.prefix).',
      });
    }
    signal?.throwIfAborted();
    const countsBefore = await countAll(backends, present, signal);

    let snapshot: SnapshotInfo | undefined;
    let exported: ManifestContent['export'];
    if (format === 'snapshot') {
      progress.emit({ phase: 'snapshot', kind: 'start', total: present.length, message: `snapshot ${name} of ${present.length} indices` });
      snapshotStarted = true;
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
    const indices = await Promise.all(
      present.map(async (index) => ({
        name: index,
        docCount: countsAfter[index] ?? 0,
        mappingHash: canonicalHash((await backends.reader.definition(index)).mappings),
      })),
    );

    progress.emit({ phase: 'files', kind: 'start', total: sizes.files, totalBytes: sizes.bytes });
    const tree = await backupFileTree({
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

    progress.emit({ phase: 'manifest', kind: 'start' });
    const manifest = await writeManifest(paths.partial, {
      formatVersion: 1,
      tool: manifestTool(),
      name,
      backupId,
      a4cDataVersion: version,
      dataVersionMarker: marker,
      elasticsearch: { version: cluster.version, clusterName: cluster.clusterName, clusterUuid: cluster.clusterUuid },
      ...(snapshot
        ? { snapshot: { repository: snapshot.repository, name: snapshot.name, uuid: snapshot.uuid, state: snapshot.state } }
        : { export: exported }),
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
      countsExact,
      manifest,
      durationMs: Date.now() - startedAt.getTime(),
    };
  } catch (error) {
    // Leave nothing that looks like a backup: no folder, no snapshot under the name.
    await rm(paths.partial, { recursive: true, force: true }).catch(() => {});
    if (snapshotStarted) await removeOwnSnapshot(backends, name, backupId);
    if (signal?.aborted) {
      throw new A4cAdminError('CANCELLED', `Backup "${name}" was cancelled; nothing was kept (its partial folder${snapshotStarted ? ` and snapshot ${name}` : ''} removed).`, {
        hint: 'Run the backup again when ready.',
        cause: error,
      });
    }
    throw error;
  } finally {
    await lock?.release();
  }
}

async function refuseExistingBackup(folder: string, name: string, filesDir: string): Promise<void> {
  if (await lstat(folder).then(() => true, () => false)) {
    throw new A4cAdminError('BACKUP_EXISTS', `A backup named "${name}" already exists in ${filesDir}.`, {
      hint: 'Choose another name, or delete the old backup first (`a4c-admin delete <name>`).',
    });
  }
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
  const whose = existing.metadata?.tool !== 'a4c-admin' ? 'that a4c-admin did not take' : 'that belongs to a backup of another folder (or of an older a4c-admin)';
  throw new A4cAdminError('BACKUP_EXISTS', `The repository already holds a snapshot named "${name}" ${whose}; it was left alone.`, {
    hint: 'Choose another backup name (or delete that snapshot yourself if you know it is not needed: DELETE _snapshot/<repository>/<name>).',
  });
}

/** A failed run removes only the snapshot it created itself (its id in the metadata), never one of the same name. */
async function removeOwnSnapshot(backends: BackupBackends, name: string, backupId: string): Promise<void> {
  const current = await backends.snapshots.get(name).catch(() => undefined);
  if (current?.metadata?.backupId === backupId) await backends.snapshots.remove(name).catch(() => {});
}

async function countAll(backends: BackupBackends, indices: string[], signal: AbortSignal | undefined): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const index of indices) {
    // Dozens of requests: a cancel must not wait for them all.
    signal?.throwIfAborted();
    counts[index] = (await backends.reader.count(index)) ?? 0;
  }
  return counts;
}

async function checkWritable(folder: string): Promise<void> {
  const probe = join(folder, `.write-probe-${process.pid}`);
  try {
    await (await open(probe, 'w', 0o600)).close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Cannot write into the backup folder ${folder}: ${(error as NodeJS.ErrnoException).code}.`, {
      hint: 'Give the user running a4c-admin write access to backup.files_dir, or choose another folder.',
      cause: error,
    });
  }
}

async function checkFreeSpace(folder: string, needed: number): Promise<void> {
  const info = await statfs(folder);
  const free = info.bavail * info.bsize;
  // 5% and 16 MiB of slack for the manifest, the config files and the filesystem's own metadata.
  if (free < needed * 1.05 + 16 * 1024 * 1024) {
    throw new A4cAdminError('DISK_FULL', `The backup needs about ${needed} bytes but ${folder} has ${free} bytes free.`, {
      hint: 'Free some space (prune old backups: `a4c-admin prune --keep-last N`) or point backup.files_dir at a larger disk.',
      details: { needed, free },
    });
  }
}

/**
 * Every file of backup.config_files is a regular file we can read: checked in preflight, so
 * that a missing file or a fifo (which a plain open would wait on forever) refuses the backup
 * before the snapshot, not after it.
 */
async function checkConfigFiles(files: string[]): Promise<void> {
  for (const path of files) await (await openConfigFile(path)).close();
}

async function openConfigFile(path: string): Promise<FileHandle> {
  try {
    return await openRegularFile(path, { what: 'The config file (backup.config_files)', hint: 'List only regular files in backup.config_files.' });
  } catch (error) {
    if (isA4cAdminError(error)) throw error;
    throw new A4cAdminError('PRECONDITION_FAILED', `The config file ${path} listed in backup.config_files cannot be read.`, {
      hint: 'Fix the path in backup.config_files or remove it from the list.',
      cause: error,
    });
  }
}

async function copyConfigFiles(files: string[], destination: string): Promise<ManifestContent['configFiles']> {
  if (files.length === 0) return [];
  await mkdir(destination, { recursive: true, mode: 0o700 });
  const entries: ManifestContent['configFiles'] = [];
  const taken = new Set<string>();
  for (const [position, path] of files.entries()) {
    const handle = await openConfigFile(path);
    let content: Buffer;
    let mode: number;
    try {
      mode = (await handle.stat()).mode & 0o7777;
      content = await handle.readFile();
    } finally {
      await handle.close();
    }
    // Two files may share a base name (two elasticsearch.yml): number them.
    const stored = taken.has(basename(path)) ? `${position}-${basename(path)}` : basename(path);
    taken.add(stored);
    // The copy may hold passwords: 0600 whatever the source's mode; the manifest keeps that mode for the restore.
    await writeFile(join(destination, stored), content, { flag: 'wx', mode: 0o600 });
    await chmod(join(destination, stored), 0o600);
    entries.push({ path, stored: `config/${stored}`, size: content.length, mode, sha256: createHash('sha256').update(content).digest('hex') });
  }
  return entries;
}
