// backup()'s preflight: everything that can refuse a backup does so before anything is
// written (cluster health and name, data version, name free, data folder, backup folder
// writable, repository verified, config files readable, free space).

import { lstat, mkdir, open, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { A4cAdminError } from '../errors.js';
import { assertDestinationOutsideParts } from '../file-tree-backup.js';
import type { ClusterDescription, DataVersionMarker } from '../ports.js';
import type { ProgressReporter } from '../progress.js';
import type { BackupOptions } from './backup.js';
import { openConfigFile } from './backup-config-files.js';
import type { BackupPaths } from './backup-paths.js';
import { clusterIdentityError } from './cluster-identity.js';
import { resolveDataVersion } from './data-version.js';
import { measureDataFolder } from './measure-data-folder.js';

export interface BackupPreflight {
  cluster: ClusterDescription;
  version: string;
  marker: DataVersionMarker | undefined;
  /** What the data folder's parts hold now: the copy's expected size. */
  sizes: { files: number; bytes: number };
}

export async function preflightBackup(
  options: BackupOptions,
  name: string,
  paths: BackupPaths,
  format: 'snapshot' | 'export',
  progress: ProgressReporter,
): Promise<BackupPreflight> {
  const { config, backends } = options;
  progress.emit({ phase: 'preflight', kind: 'start' });
  const cluster = await backends.cluster.describe();
  if (cluster.status === 'red') {
    throw new A4cAdminError('CLUSTER_UNHEALTHY', `Cluster "${cluster.clusterName}" is red: some primary shards are unassigned.`, {
      hint: 'Fix the cluster first (GET _cluster/allocation/explain tells why); a snapshot of a red cluster would be partial.',
    });
  }
  // The same rule as every command's check before it (a library caller may come straight here).
  const otherCluster = clusterIdentityError(config, cluster.clusterName);
  if (otherCluster) throw otherCluster;
  const { version, marker } = await resolveDataVersion(backends.state, options.version);
  await refuseExistingBackup(paths.folder, name, config.backup.files_dir);
  // A missing part is skipped, but a missing data folder is a wrong alien4cloud.dir: a backup
  // without a single file would later restore empty folders over the real ones.
  const dataFolder = await stat(config.alien4cloud.dir).catch(() => undefined);
  if (!dataFolder?.isDirectory()) {
    throw new A4cAdminError(
      'PRECONDITION_FAILED',
      `The A4C data folder ${config.alien4cloud.dir} (alien4cloud.dir) ${dataFolder ? 'is not a folder' : 'does not exist'}.`,
      {
        hint: 'Set alien4cloud.dir (or A4C_ADMIN_DATA_DIR) to the folder that holds csar/, artifacts/, images/ and plugins/.',
      },
    );
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
  return { cluster, version, marker, sizes };
}

export async function refuseExistingBackup(folder: string, name: string, filesDir: string): Promise<void> {
  if (
    await lstat(folder).then(
      () => true,
      () => false,
    )
  ) {
    throw new A4cAdminError('BACKUP_EXISTS', `A backup named "${name}" already exists in ${filesDir}.`, {
      hint: 'Choose another name, or delete the old backup first (`a4c-admin delete <name>`).',
    });
  }
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
