// The ready-wired API: `import { backup } from 'a4c-admin'`. Each function takes a config
// (file path, plain object or loaded config) and its options, opens the Elasticsearch
// side, runs one operation of the libraries, and closes what it opened.
import { join } from 'node:path';
import {
  assertA4cStopped,
  backup as backupOperation,
  createFileLock,
  doctor as doctorOperation,
  type DoctorResult,
  type StoredDocument,
  A4cAdminError,
  deleteBackup,
  listBackups,
  pruneBackups,
  restore as restoreOperation,
  verifyBackup,
  assertBackupValid,
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
  pluginContentFolder,
  swapPluginCode,
  verifyPlugins,
  type SwapPluginCodeResult,
  type VerifyPluginsResult,
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
  return withBackends(resolved, ({ backends }) => backupOperation({ ...options, config: resolved, backends }), { signal: options.signal });
}

export async function restore(config: ConfigSource, options: Omit<RestoreOptions, 'config' | 'backends'>): Promise<RestoreResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => restoreOperation({ ...options, config: resolved, backends }), { signal: options.signal });
}

export async function verify(config: ConfigSource, options: { name: string } & CallOptions): Promise<VerifyResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => verifyBackup({ ...options, config: resolved, snapshots: backends.snapshots }), { signal: options.signal });
}

export async function list(config: ConfigSource, options: CallOptions = {}): Promise<BackupSummary[]> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => listBackups({ config: resolved, snapshots: backends.snapshots }), { signal: options.signal });
}

export async function remove(config: ConfigSource, options: { name: string } & CallOptions): Promise<DeleteResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => deleteBackup({ config: resolved, snapshots: backends.snapshots, name: options.name, signal: options.signal }), { signal: options.signal });
}

export async function prune(config: ConfigSource, options: PrunePolicy & { dryRun?: boolean } & CallOptions): Promise<PruneResult> {
  const resolved = await resolveConfig(config);
  const { dryRun, onProgress, signal, ...policy } = options;
  return withBackends(resolved, ({ backends }) => pruneBackups({ config: resolved, snapshots: backends.snapshots, policy, dryRun, onProgress, signal }), { signal });
}

export async function doctor(config: ConfigSource, options: CallOptions = {}): Promise<DoctorResult> {
  const resolved = await resolveConfig(config);
  // Doctor reports a cluster of another name as one of its checks, beside the others.
  return withBackends(resolved, ({ backends }) => doctorOperation({ config: resolved, backends, onProgress: options.onProgress, signal: options.signal }), { checkIdentity: false, signal: options.signal });
}

export interface MigrateOptions extends CallOptions {
  /** The version the data is at; required when the cluster has no data-version marker (the seed's `-migrate 1.1.0`). */
  from?: string;
  /** Target version (default: the latest data version, `LATEST_DATA_VERSION`). */
  to?: string;
  /** Name of an existing backup to rely on instead of taking the pre-migration backup. */
  skipBackup?: string;
  /** Set documents that no rule can transform aside (in exporter.dir) instead of failing. */
  quarantine?: boolean;
  /** The operator states that A4C is stopped when that cannot be told; A4C found running is refused all the same. */
  a4cStopped?: boolean;
}

/** What rollback and finalize take: they change what A4C reads too. */
export interface MigrationStepOptions extends CallOptions {
  a4cStopped?: boolean;
}

/**
 * Migrates the A4C indices: pre-migration backup (unless `skipBackup` names one), then the
 * versioned steps through the migration runner. It holds the one lock of the installation (as
 * backup, restore, delete and prune do), and takes its backup under that hold.
 */
export async function migrate(config: ConfigSource, options: MigrateOptions = {}): Promise<MigrationResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, async ({ backends, writer }) => {
    // A migration rewrites what A4C reads: refused under a running (or maybe running) A4C.
    await assertA4cStopped(resolved, 'a migration', { a4cStopped: options.a4cStopped });
    const lock = await migrationLock(resolved);
    // The named backup replaces the safety net of the pre-migration backup: it must exist and be whole.
    if (options.skipBackup?.trim()) {
      assertBackupValid(await verifyBackup({ config: resolved, snapshots: backends.snapshots, name: options.skipBackup, onProgress: options.onProgress, signal: options.signal }));
    }
    return runMigration({
      from: options.from,
      to: options.to,
      reader: backends.reader,
      writer,
      state: backends.state,
      indexPrefix: resolved.elasticsearch.index_prefix,
      lock,
      skipBackup: options.skipBackup,
      backup: async () =>
        (await backupOperation({ config: resolved, backends, version: options.from, name: `pre-migrate-${Date.now()}`, onProgress: options.onProgress, signal: options.signal, locked: true })).name,
      quarantine: options.quarantine ? { folder: join(resolved.exporter.dir ?? resolved.backup.files_dir, 'quarantine') } : undefined,
      pageSize: resolved.poller.scroll.batch_size,
      progress: options.onProgress,
      signal: options.signal,
    });
  }, { signal: options.signal });
}

/** Reads and transforms everything into a report folder; changes nothing in the cluster. */
export async function migrateDryRun(config: ConfigSource, options: MigrateOptions & { reportFolder?: string } = {}): Promise<DryRunReport> {
  const resolved = await resolveConfig(config);
  const reportFolder = options.reportFolder ?? join(resolved.exporter.dir ?? resolved.backup.files_dir, `migration-dry-run-${Date.now()}`);
  return withBackends(resolved, ({ backends, validator }) =>
    dryRunMigration({
      from: options.from,
      to: options.to,
      reader: backends.reader,
      validator,
      state: backends.state,
      indexPrefix: resolved.elasticsearch.index_prefix,
      reportFolder,
      quarantine: options.quarantine,
      pageSize: resolved.poller.scroll.batch_size,
      progress: options.onProgress,
      signal: options.signal,
    }),
    { signal: options.signal },
  );
}

/** Points the A4C names back at the pre-migration indices (kept until finalize). */
export async function rollback(config: ConfigSource, options: MigrationStepOptions = {}): Promise<RollbackResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, async ({ backends, writer }) => {
    await assertA4cStopped(resolved, 'a rollback', { a4cStopped: options.a4cStopped });
    return rollbackMigration({ writer, state: backends.state, indexPrefix: resolved.elasticsearch.index_prefix, lock: await migrationLock(resolved), progress: options.onProgress });
  });
}

/** Deletes the pre-migration indices once the migrated ones are trusted. */
export async function finalize(config: ConfigSource, options: MigrationStepOptions = {}): Promise<FinalizeResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, async ({ backends, writer }) => {
    await assertA4cStopped(resolved, 'a finalize', { a4cStopped: options.a4cStopped });
    return finalizeMigration({ writer, state: backends.state, indexPrefix: resolved.elasticsearch.index_prefix, lock: await migrationLock(resolved), progress: options.onProgress });
  });
}

/**
 * Every operation that changes the installation takes the same lock (backup.files_dir's), so a
 * migration never runs beside a restore, a backup or a plugin swap.
 */
async function migrationLock(config: Awaited<ReturnType<typeof resolveConfig>>) {
  return createFileLock(config.backup.files_dir);
}

/** Every plugin document of the cluster (the `plugin` index). */
async function readPluginDocuments(config: Awaited<ReturnType<typeof resolveConfig>>): Promise<StoredDocument[]> {
  return withBackends(config, async ({ backends }) => {
    const index = `${config.elasticsearch.index_prefix}plugin`;
    const documents: StoredDocument[] = [];
    if ((await backends.reader.count(index)) === undefined) return documents;
    for await (const page of backends.reader.read(index)) documents.push(...page);
    return documents;
  });
}

/** Checks that every plugin document has its code folder with a descriptor that agrees (the seed's manual check). */
export async function pluginsVerify(config: ConfigSource): Promise<VerifyPluginsResult> {
  const resolved = await resolveConfig(config);
  return verifyPlugins({ dataDir: resolved.alien4cloud.dir, plugins: await readPluginDocuments(resolved) });
}

/**
 * Replaces a plugin's code with the content of a plugin zip (the seed's manual rm / unzip / mv),
 * atomically, keeping the old code aside. `plugin` is the plugin id, `id:version` or the pluginPathId.
 */
export async function pluginsSwap(
  config: ConfigSource,
  options: { plugin: string; archive: string; dryRun?: boolean },
): Promise<SwapPluginCodeResult | { dryRun: true; plugin: string; pluginPathId: string; folder: string; archive: string }> {
  const resolved = await resolveConfig(config);
  const documents = await readPluginDocuments(resolved);
  const matches = documents.filter((document) => {
    const source = document.source as { pluginPathId?: string; descriptor?: { id?: string } };
    return document.id === options.plugin || source.pluginPathId === options.plugin || source.descriptor?.id === options.plugin;
  });
  if (matches.length !== 1) {
    throw new A4cAdminError('USAGE', matches.length === 0 ? `No plugin "${options.plugin}" in the cluster.` : `"${options.plugin}" names ${matches.length} plugins.`, {
      hint: `Name one plugin by its id:version or pluginPathId: ${documents.map((document) => `${document.id} (${(document.source as { pluginPathId?: string }).pluginPathId})`).join(', ') || 'none found'}.`,
    });
  }
  const pluginPathId = (matches[0]!.source as { pluginPathId?: string }).pluginPathId;
  if (!pluginPathId) throw new A4cAdminError('PLUGIN_INVALID', `Plugin ${matches[0]!.id} has no pluginPathId.`, { hint: 'Re-upload the plugin in A4C.' });
  if (options.dryRun) {
    return { dryRun: true, plugin: matches[0]!.id, pluginPathId, folder: pluginContentFolder(resolved.alien4cloud.dir, pluginPathId), archive: options.archive };
  }
  const expectedId = (matches[0]!.source as { descriptor?: { id?: string } }).descriptor?.id;
  // The swap changes the data folder: never beside a restore or a backup copying it.
  const lock = await createFileLock(resolved.backup.files_dir).acquire('plugins swap');
  try {
    return await swapPluginCode({ dataDir: resolved.alien4cloud.dir, pluginPathId, zipFile: options.archive, ...(expectedId ? { expectedId } : {}) });
  } finally {
    await lock.release();
  }
}
