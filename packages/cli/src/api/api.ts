// The ready-wired API: `import { backup } from 'a4c-admin'`. Each function takes a config
// (file path, plain object or loaded config) and its options, opens the Elasticsearch
// side, runs one operation of the libraries, and closes what it opened.
import {
  type A4cAdminConfig,
  a4cIndexName,
  assertA4cStopped,
  assertBackupValid,
  type BackupOptions,
  type BackupResult,
  type BackupSummary,
  backup as backupOperation,
  type DeleteResult,
  type DoctorResult,
  deleteBackup,
  doctor as doctorOperation,
  installationLock,
  LATEST_DATA_VERSION,
  listBackups,
  PLUGIN_INDEX,
  type ProgressListener,
  type PrunePolicy,
  type PruneResult,
  pruneBackups,
  type RestoreOptions,
  type RestoreResult,
  restore as restoreOperation,
  type StoredDocument,
  type VerifyResult,
  verifyBackup,
} from '@a4c-admin/core';
import {
  createMigrator,
  type DryRunReport,
  type FinalizeResult,
  type MigrateExportFolderResult,
  type MigrationResult,
  type Migrator,
  migrateExportFolder,
  migratorSettings,
  pluginContentFolder,
  type RollbackResult,
  type SwapPluginCodeResult,
  selectPlugin,
  swapPluginCode,
  type VerifyPluginsResult,
  verifyPlugins,
} from '@a4c-admin/migrations';
import { describeAddresses, targetClusterConfig, withMigrationSource } from './migration-source.js';
import { withBackends } from './open-backends.js';
import { type ConfigSource, resolveConfig } from './resolve-config.js';

/** What every wired function accepts besides its own options. */
export interface CallOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export async function backup(config: ConfigSource, options: Omit<BackupOptions, 'config' | 'backends'> = {}): Promise<BackupResult> {
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
  return withBackends(resolved, ({ backends }) => listBackups({ config: resolved, snapshots: backends.snapshots, signal: options.signal }), {
    signal: options.signal,
  });
}

export async function remove(config: ConfigSource, options: { name: string } & CallOptions): Promise<DeleteResult> {
  const resolved = await resolveConfig(config);
  return withBackends(
    resolved,
    ({ backends }) => deleteBackup({ config: resolved, snapshots: backends.snapshots, name: options.name, signal: options.signal }),
    { signal: options.signal },
  );
}

export async function prune(config: ConfigSource, options: PrunePolicy & { dryRun?: boolean } & CallOptions): Promise<PruneResult> {
  const resolved = await resolveConfig(config);
  const { dryRun, onProgress, signal, ...policy } = options;
  return withBackends(resolved, ({ backends }) => pruneBackups({ config: resolved, snapshots: backends.snapshots, policy, dryRun, onProgress, signal }), {
    signal,
  });
}

export async function doctor(config: ConfigSource, options: CallOptions = {}): Promise<DoctorResult> {
  const resolved = await resolveConfig(config);
  // Doctor reports a cluster of another name as one of its checks, beside the others.
  return withBackends(resolved, ({ backends }) => doctorOperation({ config: resolved, backends, onProgress: options.onProgress, signal: options.signal }), {
    checkIdentity: false,
    signal: options.signal,
  });
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
  /**
   * Migrate into another cluster at this address (`--target`) instead of in place; the
   * config's `target:` section (credentials, TLS, prefix) applies to it. With a `target:`
   * section, the migration goes into that cluster without this option too.
   */
  target?: string;
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
  return withMigrator(resolved, options, (migrator) =>
    migrator.run({ from: options.from, to: options.to, skipBackup: options.skipBackup, quarantine: options.quarantine }),
  );
}

/** Reads and transforms everything into a report folder; changes nothing in the cluster. */
export async function migrateDryRun(config: ConfigSource, options: MigrateOptions & { reportFolder?: string } = {}): Promise<DryRunReport> {
  const resolved = await resolveConfig(config);
  return withMigrator(resolved, options, (migrator) =>
    migrator.dryRun({ from: options.from, to: options.to, quarantine: options.quarantine, reportFolder: options.reportFolder }),
  );
}

/**
 * Migrates an export folder into a new folder, file to file: an elasticdump (ES 8, or A4C's
 * ES 1.x with `_type`), a4c-admin's own export or a backup made with `--format export`. No
 * cluster is touched; the index prefix of the export is the configured one unless given.
 */
export async function migrateExport(
  config: ConfigSource,
  options: { source: string; destination: string; from: string; to?: string; indexPrefix?: string; quarantine?: boolean } & CallOptions,
): Promise<MigrateExportFolderResult> {
  const resolved = await resolveConfig(config);
  return migrateExportFolder({
    source: options.source,
    destination: options.destination,
    from: options.from,
    to: options.to ?? LATEST_DATA_VERSION,
    indexPrefix: options.indexPrefix ?? resolved.elasticsearch.index_prefix,
    quarantine: options.quarantine,
    onProgress: options.onProgress,
  });
}

/** Points the A4C names back at the pre-migration indices (kept until finalize). */
export async function rollback(config: ConfigSource, options: MigrationStepOptions = {}): Promise<RollbackResult> {
  return withMigrator(await resolveConfig(config), options, (migrator) => migrator.rollback());
}

/** Deletes the pre-migration indices once the migrated ones are trusted. */
export async function finalize(config: ConfigSource, options: MigrationStepOptions = {}): Promise<FinalizeResult> {
  return withMigrator(await resolveConfig(config), options, (migrator) => migrator.finalize());
}

/**
 * The one setup of the migration entry points: a migrator on the cluster's ports, holding the
 * installation's lock, refusing a running A4C, taking its backup with core's backup under that
 * hold (or checking the one named instead).
 */
async function withMigrator<T>(
  config: A4cAdminConfig,
  options: MigrationStepOptions & { from?: string; target?: string },
  work: (migrator: Migrator) => Promise<T>,
): Promise<T> {
  const { onProgress, signal } = options;
  const target = await targetClusterConfig(config, options.target);
  if (target) {
    // Across clusters: the source is only read (no backup of it is needed), the target gets the new indices.
    const targetDescription = describeAddresses(target.elasticsearch.addresses);
    return withMigrationSource(
      config,
      (source) =>
        withBackends(
          target,
          ({ backends, validator }) =>
            work(
              createMigrator({
                ...migratorSettings(target),
                source,
                targetDescription,
                reader: backends.reader,
                writer: backends.writer,
                state: backends.state,
                validator,
                lock: installationLock(config),
                assertA4cStopped: (change) => assertA4cStopped(config, change, { a4cStopped: options.a4cStopped }),
                onProgress,
                signal,
              }),
            ),
          { signal },
        ),
      signal,
    );
  }
  return withBackends(
    config,
    ({ backends, validator }) =>
      work(
        createMigrator({
          ...migratorSettings(config),
          reader: backends.reader,
          writer: backends.writer,
          state: backends.state,
          validator,
          lock: installationLock(config),
          assertA4cStopped: (change) => assertA4cStopped(config, change, { a4cStopped: options.a4cStopped }),
          checkBackup: async (name) => assertBackupValid(await verifyBackup({ config, snapshots: backends.snapshots, name, onProgress, signal })),
          backup: async (name, from) => (await backupOperation({ config, backends, version: from, name, onProgress, signal, locked: true })).name,
          onProgress,
          signal,
        }),
      ),
    { signal },
  );
}

/** Every plugin document of the cluster (the model's PLUGIN_INDEX). */
async function readPluginDocuments(config: A4cAdminConfig): Promise<StoredDocument[]> {
  return withBackends(config, async ({ backends }) => {
    const index = a4cIndexName(PLUGIN_INDEX, config.elasticsearch.index_prefix);
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
  const { plugin, pluginPathId, expectedId } = selectPlugin(await readPluginDocuments(resolved), options.plugin);
  if (options.dryRun) {
    return { dryRun: true, plugin, pluginPathId, folder: pluginContentFolder(resolved.alien4cloud.dir, pluginPathId), archive: options.archive };
  }
  // The swap changes the data folder: never beside a restore or a backup copying it.
  const lock = await installationLock(resolved).acquire('plugins swap');
  try {
    return await swapPluginCode({ dataDir: resolved.alien4cloud.dir, pluginPathId, zipFile: options.archive, ...(expectedId ? { expectedId } : {}) });
  } finally {
    await lock.release();
  }
}
