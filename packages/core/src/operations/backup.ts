// backup(): the seed's `-backup 1.1.0 -n backup110`, done so that a folder either is a
// complete, verifiable backup or does not look like one at all.
//
// What the disk and the cluster hold if the process dies:
// - before the snapshot: at most a `.partial-<name>` folder (never listed, removed by the next run);
// - during or after the snapshot, before the manifest: a snapshot tagged with our metadata and
//   no `<name>` folder; the next backup of that name finds it orphaned and deletes it;
// - the manifest is written inside `.partial-<name>`, then the folder is renamed to `<name>`:
//   the rename is the commit point.
import { chmod, copyFile, mkdir, open, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { A4cAdminConfig } from '../config-schema.js';
import { canonicalHash } from '../canonical-json.js';
import { throwIfCancelled } from '../cancellation.js';
import { A4cAdminError } from '../errors.js';
import { backupFileTree } from '../file-tree-backup.js';
import { createFileLock } from '../file-lock.js';
import { manifestTool, writeManifest, type Manifest, type ManifestContent } from '../manifest.js';
import { createProgressReporter, type ProgressListener, type ProgressReporter } from '../progress.js';
import type { SnapshotInfo } from '../ports.js';
import { a4cIndexNames } from './a4c-indices.js';
import type { BackupBackends } from './backends.js';
import { defaultBackupName, validateBackupName } from './backup-name.js';
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
  if (await stat(paths.folder).then(() => true, () => false)) {
    throw new A4cAdminError('BACKUP_EXISTS', `A backup named "${name}" already exists in ${config.backup.files_dir}.`, {
      hint: 'Choose another name, or delete the old backup first (`a4c-admin delete <name>`).',
    });
  }
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
  const sizes = await measureDataFolder(config.alien4cloud.dir, config.backup.parts);
  await checkFreeSpace(config.backup.files_dir, sizes.bytes);
  progress.emit({ phase: 'preflight', kind: 'end', message: `data folder: ${sizes.files} files, ${sizes.bytes} bytes to copy` });
  throwIfCancelled(signal, () => `Backup "${name}" was cancelled during its preflight; nothing was written.`, 'Run the backup again when ready.');

  const lock = await createFileLock(config.backup.files_dir).acquire('backup');
  let snapshotTaken: string | undefined;
  try {
    await rm(paths.partial, { recursive: true, force: true });
    if (format === 'snapshot') await removeOrphanSnapshot(backends, name, progress);
    const running = await backends.snapshots.running();
    if (running.length > 0) {
      throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Elasticsearch is already running a snapshot or restore (${running.join(', ')}).`, {
        hint: 'Wait for it to finish (GET _snapshot/_status), then run the backup again.',
      });
    }
    await mkdir(paths.partial, { mode: 0o700 });

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
      snapshotTaken = name;
      snapshot = await backends.snapshots.create(
        { name, indices: present, metadata: { tool: 'a4c-admin', backup: name, a4cDataVersion: version } },
        progress.child('snapshot'),
      );
      progress.emit({ phase: 'snapshot', kind: 'end', item: name });
    } else {
      const folder = join(paths.partial, 'export');
      const indices = await backends.exporter!.exportIndices(present, folder, progress.child('export'));
      exported = {
        folder: 'export',
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
      a4cDataVersion: version,
      dataVersionMarker: marker,
      elasticsearch: { version: cluster.version, clusterName: cluster.clusterName, clusterUuid: cluster.clusterUuid },
      ...(snapshot
        ? { snapshot: { repository: snapshot.repository, name: snapshot.name, uuid: snapshot.uuid, state: snapshot.state } }
        : { export: exported }),
      indices,
      countsExact,
      files: tree.files,
      configFiles,
      // Only the parts that existed: restoring a skipped part would replace it with an empty folder.
      options: {
        format,
        parts: config.backup.parts.filter((part) => !tree.skippedParts.includes(part)),
        skippedParts: tree.skippedParts,
        indexPrefix: prefix,
        dataFolder: config.alien4cloud.dir,
      },
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
    });
    // The last safe point: past the rename the backup is whole and is kept, cancel or not.
    signal?.throwIfAborted();
    await rename(paths.partial, paths.folder);
    snapshotTaken = undefined;
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
      countsExact,
      manifest,
      durationMs: Date.now() - startedAt.getTime(),
    };
  } catch (error) {
    // Leave nothing that looks like a backup: no folder, no snapshot under the name.
    await rm(paths.partial, { recursive: true, force: true }).catch(() => {});
    if (snapshotTaken) await backends.snapshots.remove(snapshotTaken).catch(() => {});
    if (signal?.aborted) {
      throw new A4cAdminError('CANCELLED', `Backup "${name}" was cancelled; nothing was kept (its partial folder${snapshotTaken ? ` and snapshot ${snapshotTaken}` : ''} removed).`, {
        hint: 'Run the backup again when ready.',
        cause: error,
      });
    }
    throw error;
  } finally {
    await lock.release();
  }
}

/** A snapshot of this name without a backup folder is what a killed backup left: ours to remove. */
async function removeOrphanSnapshot(backends: BackupBackends, name: string, progress: ProgressReporter): Promise<void> {
  const existing = await backends.snapshots.get(name);
  if (!existing) return;
  if (existing.metadata?.tool !== 'a4c-admin') {
    throw new A4cAdminError('BACKUP_EXISTS', `The repository already holds a snapshot named "${name}" that a4c-admin did not take.`, {
      hint: 'Choose another backup name.',
    });
  }
  progress.emit({ phase: 'preflight', kind: 'warning', item: name, message: `removing snapshot ${name} left by an interrupted backup` });
  await backends.snapshots.remove(name);
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

async function copyConfigFiles(files: string[], destination: string): Promise<ManifestContent['configFiles']> {
  if (files.length === 0) return [];
  await mkdir(destination, { recursive: true, mode: 0o700 });
  const entries: ManifestContent['configFiles'] = [];
  const taken = new Set<string>();
  for (const [position, path] of files.entries()) {
    const info = await stat(path).catch((error: unknown) => {
      throw new A4cAdminError('PRECONDITION_FAILED', `The config file ${path} listed in backup.config_files cannot be read.`, {
        hint: 'Fix the path in backup.config_files or remove it from the list.',
        cause: error,
      });
    });
    if (!info.isFile()) {
      throw new A4cAdminError('UNSAFE_PATH', `${path} (backup.config_files) is not a regular file.`, { hint: 'List only regular files.' });
    }
    // Two files may share a base name (two elasticsearch.yml): number them.
    const stored = taken.has(basename(path)) ? `${position}-${basename(path)}` : basename(path);
    taken.add(stored);
    await copyFile(path, join(destination, stored));
    // copyFile keeps the source's mode; the copy may hold passwords, the manifest keeps the mode for the restore.
    await chmod(join(destination, stored), 0o600);
    entries.push({ path, stored: `config/${stored}`, size: info.size, mode: info.mode & 0o7777, sha256: await sha256File(join(destination, stored)) });
  }
  return entries;
}

