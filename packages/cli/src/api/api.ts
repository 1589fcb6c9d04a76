// The ready-wired API: `import { backup } from 'a4c-admin'`. Each function takes a config
// (file path, plain object or loaded config) and its options, opens the Elasticsearch
// side, runs one operation of the libraries, and closes what it opened.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  backup as backupOperation,
  createFileLock,
  doctor as doctorOperation,
  type DoctorResult,
  deleteBackup,
  listBackups,
  pruneBackups,
  restore as restoreOperation,
  verifyBackup,
  type BackupOptions,
  type BackupResult,
  type BackupSummary,
  type DeleteResult,
  type PrunePolicy,
  type PruneResult,
  type ProgressListener,
  type RestoreOptions,
  type RestoreResult,
  type VerifyResult,
} from '@a4c-admin/core';
import {
  dryRunMigration,
  finalizeMigration,
  rollbackMigration,
  runMigration,
  type DryRunReport,
  type FinalizeResult,
  type MigrationResult,
  type RollbackResult,
} from '@a4c-admin/migrations';
import { withBackends } from './open-backends.js';
import { resolveConfig, type ConfigSource } from './resolve-config.js';

/** What every wired function accepts besides its own options. */
export interface CallOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export async function backup(
  config: ConfigSource,
  options: Omit<BackupOptions, 'config' | 'backends'> = {},
): Promise<BackupResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => backupOperation({ ...options, config: resolved, backends }));
}

export async function restore(config: ConfigSource, options: Omit<RestoreOptions, 'config' | 'backends'>): Promise<RestoreResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => restoreOperation({ ...options, config: resolved, backends }));
}

export async function verify(config: ConfigSource, options: { name: string } & CallOptions): Promise<VerifyResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => verifyBackup({ ...options, config: resolved, snapshots: backends.snapshots }));
}

export async function list(config: ConfigSource): Promise<BackupSummary[]> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => listBackups({ config: resolved, snapshots: backends.snapshots }));
}

export async function remove(config: ConfigSource, options: { name: string }): Promise<DeleteResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => deleteBackup({ config: resolved, snapshots: backends.snapshots, name: options.name }));
}

export async function prune(config: ConfigSource, options: PrunePolicy & { dryRun?: boolean } & CallOptions): Promise<PruneResult> {
  const resolved = await resolveConfig(config);
  const { dryRun, onProgress, ...policy } = options;
  return withBackends(resolved, ({ backends }) =>
    pruneBackups({ config: resolved, snapshots: backends.snapshots, policy, dryRun, onProgress }),
  );
}

export async function doctor(config: ConfigSource, options: CallOptions = {}): Promise<DoctorResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => doctorOperation({ config: resolved, backends, onProgress: options.onProgress }));
}

export interface MigrateOptions extends CallOptions {
  /** The version the data is at; required when the cluster has no data-version marker (the seed's `-migrate 1.1.0`). */
  from?: string;
  /** Target version (default 1.2.0). */
  to?: string;
  /** Name of an existing backup to rely on instead of taking the pre-migration backup. */
  skipBackup?: string;
  /** Set documents that no rule can transform aside (in exporter.dir) instead of failing. */
  quarantine?: boolean;
}

/**
 * Migrates the A4C indices: pre-migration backup (unless `skipBackup` names one), then the
 * versioned steps through the migration runner. The migration has its own lock, beside the
 * backups' one, because it takes a backup while it holds it.
 */
export async function migrate(config: ConfigSource, options: MigrateOptions = {}): Promise<MigrationResult> {
  const resolved = await resolveConfig(config);
  const lock = await migrationLock(resolved);
  return withBackends(resolved, ({ backends, writer }) =>
    runMigration({
      from: options.from,
      to: options.to ?? '1.2.0',
      reader: backends.reader,
      writer,
      state: backends.state,
      indexPrefix: resolved.elasticsearch.index_prefix,
      lock,
      skipBackup: options.skipBackup,
      backup: async () =>
        (await backupOperation({ config: resolved, backends, version: options.from, name: `pre-migrate-${Date.now()}`, onProgress: options.onProgress, signal: options.signal })).name,
      quarantine: options.quarantine ? { folder: join(resolved.exporter.dir ?? resolved.backup.files_dir, 'quarantine') } : undefined,
      pageSize: resolved.poller.scroll.batch_size,
      progress: options.onProgress,
      signal: options.signal,
    }),
  );
}

/** Reads and transforms everything into a report folder; changes nothing in the cluster. */
export async function migrateDryRun(config: ConfigSource, options: MigrateOptions & { reportFolder?: string } = {}): Promise<DryRunReport> {
  const resolved = await resolveConfig(config);
  const reportFolder = options.reportFolder ?? join(resolved.exporter.dir ?? resolved.backup.files_dir, `migration-dry-run-${Date.now()}`);
  return withBackends(resolved, ({ backends }) =>
    dryRunMigration({
      from: options.from,
      to: options.to ?? '1.2.0',
      reader: backends.reader,
      state: backends.state,
      indexPrefix: resolved.elasticsearch.index_prefix,
      reportFolder,
      quarantine: options.quarantine,
      pageSize: resolved.poller.scroll.batch_size,
      progress: options.onProgress,
      signal: options.signal,
    }),
  );
}

/** Points the A4C names back at the pre-migration indices (kept until finalize). */
export async function rollback(config: ConfigSource, options: CallOptions = {}): Promise<RollbackResult> {
  const resolved = await resolveConfig(config);
  const lock = await migrationLock(resolved);
  return withBackends(resolved, ({ backends, writer }) =>
    rollbackMigration({ writer, state: backends.state, indexPrefix: resolved.elasticsearch.index_prefix, lock, progress: options.onProgress }),
  );
}

/** Deletes the pre-migration indices once the migrated ones are trusted. */
export async function finalize(config: ConfigSource, options: CallOptions = {}): Promise<FinalizeResult> {
  const resolved = await resolveConfig(config);
  const lock = await migrationLock(resolved);
  return withBackends(resolved, ({ backends, writer }) =>
    finalizeMigration({ writer, state: backends.state, indexPrefix: resolved.elasticsearch.index_prefix, lock, progress: options.onProgress }),
  );
}

async function migrationLock(config: Awaited<ReturnType<typeof resolveConfig>>) {
  const folder = join(config.backup.files_dir, '.migration');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return createFileLock(folder);
}
