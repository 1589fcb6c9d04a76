// The ready-wired API: `import { backup } from 'a4c-admin'`. Each function takes a config
// (file path, plain object or loaded config) and its options, opens the Elasticsearch
// side, runs one operation of the libraries, and closes what it opened.
import {
  type A4cAdminConfig,
  a4cIndexName,
  assertA4cStopped,
  assertBackupValid,
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
  type PruneResult,
  pruneBackups,
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
import type {
  BackupNameOptions,
  BackupOptions,
  CallOptions,
  MigrateDryRunOptions,
  MigrateExportOptions,
  MigrateOptions,
  MigrationStepOptions,
  PluginsSwapOptions,
  PluginsSwapPlan,
  PruneOptions,
  RestoreOptions,
} from './call-options.js';
import { describeAddresses, targetClusterConfig, withMigrationSource } from './migration-source.js';
import { withBackends } from './open-backends.js';
import { type ConfigSource, resolveConfig } from './resolve-config.js';

/**
 * Takes a consistent backup of the A4C indices (an Elasticsearch snapshot, or an NDJSON export
 * with `format: 'export'`), the A4C data folder and its config files, into
 * `backup.files_dir/<name>`, with a manifest that {@link verify} checks. It holds the
 * installation's lock: a second backup, restore, migration or prune waits its turn (`LOCKED`).
 *
 * @param config The config: the path of an `admin-tool-config.yml`, a plain object shaped like
 *   that file, or a config {@link loadConfig} loaded.
 * @returns What was saved: the indices with their document counts, the files, the manifest.
 * @throws {@link A4cAdminError} with a `code` (`CLUSTER_UNREACHABLE`, `BACKUP_EXISTS`, `CANCELLED`, ...) and a `hint`.
 * @example
 * ```ts
 * import { backup } from 'a4c-admin';
 *
 * const result = await backup('/opt/alien4cloud/config/admin-tool-config.yml', {
 *   name: 'nightly-1',
 *   onProgress: (event) => console.log(event.phase, event.done ?? ''),
 * });
 * console.log(`${result.indices.length} indices, ${result.files} files in ${result.folder}`);
 * ```
 */
export async function backup(config: ConfigSource, options: BackupOptions = {}): Promise<BackupResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => backupOperation({ ...options, config: resolved, backends }), { signal: options.signal });
}

/**
 * Restores a backup: the A4C indices, the data folder's parts and the config files are put back
 * as the backup holds them (indices the backup does not hold, added by a later migration, are
 * deleted). Refused while A4C runs, unless `hot` and the backup touches no orchestrator or
 * plugin data. `dryRun: true` returns the plan and changes nothing. Calling it is the consent:
 * the library never asks.
 *
 * @param config The config: a file path, a plain object or a loaded config (as for {@link backup}).
 * @returns The plan that ran (or would run), the restored document counts and files.
 * @throws {@link A4cAdminError}: `BACKUP_NOT_FOUND`, `A4C_RUNNING`, `A4C_STATE_UNKNOWN`,
 *   `RESTORE_INCOMPLETE` (its message says what was changed and how to finish), ...
 * @example
 * ```ts
 * import { restore } from 'a4c-admin';
 *
 * const config = '/opt/alien4cloud/config/admin-tool-config.yml';
 * const { plan } = await restore(config, { name: 'nightly-1', dryRun: true });
 * console.log(plan.indices.map((index) => `${index.name}: ${index.action}`));
 * const done = await restore(config, { name: 'nightly-1', version: '1.1.0' });
 * console.log(`restored in ${done.durationMs} ms`);
 * ```
 */
export async function restore(config: ConfigSource, options: RestoreOptions): Promise<RestoreResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => restoreOperation({ ...options, config: resolved, backends }), { signal: options.signal });
}

/**
 * Verifies a backup without changing anything: every file against the manifest's hashes, the
 * snapshot's state. Problems are returned (`ok: false`, `problems`), not thrown.
 *
 * @example
 * ```ts
 * import { verify } from 'a4c-admin';
 *
 * const result = await verify('admin-tool-config.yml', { name: 'nightly-1' });
 * if (!result.ok) console.error(result.problems.join('\n'));
 * ```
 */
export async function verify(config: ConfigSource, options: BackupNameOptions): Promise<VerifyResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => verifyBackup({ ...options, config: resolved, snapshots: backends.snapshots }), { signal: options.signal });
}

/**
 * Lists the backups of `backup.files_dir`, oldest first, each `complete` or `broken` (with the
 * reason in `problem`).
 *
 * @example
 * ```ts
 * import { list } from 'a4c-admin';
 *
 * for (const entry of await list('admin-tool-config.yml')) {
 *   console.log(entry.name, entry.state, entry.version ?? '', entry.problem ?? '');
 * }
 * ```
 */
export async function list(config: ConfigSource, options: CallOptions = {}): Promise<BackupSummary[]> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => listBackups({ config: resolved, snapshots: backends.snapshots, signal: options.signal }), {
    signal: options.signal,
  });
}

/**
 * Deletes one backup: its folder and its snapshot (a snapshot that belongs to another backup
 * folder is kept, and `snapshotKept` says why).
 *
 * @example
 * ```ts
 * import { remove } from 'a4c-admin';
 *
 * const result = await remove('admin-tool-config.yml', { name: 'nightly-1' });
 * console.log(result.folderDeleted, result.snapshotDeleted);
 * ```
 */
export async function remove(config: ConfigSource, options: BackupNameOptions): Promise<DeleteResult> {
  const resolved = await resolveConfig(config);
  return withBackends(
    resolved,
    ({ backends }) => deleteBackup({ config: resolved, snapshots: backends.snapshots, name: options.name, signal: options.signal }),
    { signal: options.signal },
  );
}

/**
 * Deletes the backups that the policy does not keep; broken backups are left alone (`skipped`).
 * A backup is kept when any rule keeps it.
 *
 * @example
 * ```ts
 * import { prune } from 'a4c-admin';
 *
 * const plan = await prune('admin-tool-config.yml', { keepLast: 3, keepDaily: 7, dryRun: true });
 * console.log('would delete', plan.deleted);
 * ```
 */
export async function prune(config: ConfigSource, options: PruneOptions): Promise<PruneResult> {
  const resolved = await resolveConfig(config);
  const { dryRun, onProgress, signal, ...policy } = options;
  return withBackends(resolved, ({ backends }) => pruneBackups({ config: resolved, snapshots: backends.snapshots, policy, dryRun, onProgress, signal }), {
    signal,
  });
}

/**
 * Checks the configuration and the cluster before a backup (addresses, credentials, TLS, the
 * snapshot repository's `path.repo`, folders, free space); failed checks are returned, not thrown.
 *
 * @example
 * ```ts
 * import { doctor } from 'a4c-admin';
 *
 * const result = await doctor('admin-tool-config.yml');
 * for (const check of result.checks) console.log(check.status, check.name, check.detail, check.fix ?? '');
 * ```
 */
export async function doctor(config: ConfigSource, options: CallOptions = {}): Promise<DoctorResult> {
  const resolved = await resolveConfig(config);
  // Doctor reports a cluster of another name as one of its checks, beside the others.
  return withBackends(resolved, ({ backends }) => doctorOperation({ config: resolved, backends, onProgress: options.onProgress, signal: options.signal }), {
    checkIdentity: false,
    signal: options.signal,
  });
}

/**
 * Migrates the A4C indices: pre-migration backup (unless `skipBackup` names one), then the
 * versioned steps through the migration runner. It holds the one lock of the installation (as
 * backup, restore, delete and prune do), and takes its backup under that hold. The
 * pre-migration indices are kept until {@link finalize}; {@link rollback} goes back to them.
 *
 * @example
 * ```ts
 * import { migrate } from 'a4c-admin';
 *
 * const result = await migrate('admin-tool-config.yml', { from: '1.1.0', to: '1.2.0' });
 * console.log(`${result.status}: ${result.from} -> ${result.to}, pre-migration backup ${result.backup}`);
 * ```
 */
export async function migrate(config: ConfigSource, options: MigrateOptions = {}): Promise<MigrationResult> {
  const resolved = await resolveConfig(config);
  return withMigrator(resolved, options, (migrator) =>
    migrator.run({ from: options.from, to: options.to, skipBackup: options.skipBackup, quarantine: options.quarantine }),
  );
}

/**
 * Reads and transforms everything into a report folder; changes nothing in the cluster.
 *
 * @example
 * ```ts
 * import { migrateDryRun } from 'a4c-admin';
 *
 * const report = await migrateDryRun('admin-tool-config.yml', { from: '1.1.0' });
 * console.log(`${report.failed} documents would fail; report in ${report.reportFolder}`);
 * ```
 */
export async function migrateDryRun(config: ConfigSource, options: MigrateDryRunOptions = {}): Promise<DryRunReport> {
  const resolved = await resolveConfig(config);
  return withMigrator(resolved, options, (migrator) =>
    migrator.dryRun({ from: options.from, to: options.to, quarantine: options.quarantine, reportFolder: options.reportFolder }),
  );
}

/**
 * Migrates an export folder into a new folder, file to file: an elasticdump (ES 8, or A4C's
 * ES 1.x with `_type`), a4c-admin's own export or a backup made with `format: 'export'`. No
 * cluster is touched; the index prefix of the export is the configured one unless given.
 *
 * @example
 * ```ts
 * import { migrateExport } from 'a4c-admin';
 *
 * const result = await migrateExport('admin-tool-config.yml', { source: '/var/tmp/dump-1.1.0', destination: '/var/tmp/dump-1.2.0', from: '1.1.0' });
 * console.log(`${result.files.length} files written`);
 * ```
 */
export async function migrateExport(config: ConfigSource, options: MigrateExportOptions): Promise<MigrateExportFolderResult> {
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

/**
 * Points the A4C names back at the pre-migration indices (kept until {@link finalize}).
 *
 * @example
 * ```ts
 * import { rollback } from 'a4c-admin';
 *
 * const result = await rollback('admin-tool-config.yml');
 * console.log(`the A4C names serve ${result.to} again`);
 * ```
 */
export async function rollback(config: ConfigSource, options: MigrationStepOptions = {}): Promise<RollbackResult> {
  return withMigrator(await resolveConfig(config), options, (migrator) => migrator.rollback());
}

/**
 * Deletes the pre-migration indices once the migrated ones are trusted; no {@link rollback} after it.
 *
 * @example
 * ```ts
 * import { finalize } from 'a4c-admin';
 *
 * const result = await finalize('admin-tool-config.yml');
 * console.log(`deleted ${result.deleted.join(', ')}`);
 * ```
 */
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
          // The configured repository keeps a first migration's plain indices for the rollback (no copies).
          snapshots: backends.snapshots,
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

/**
 * Checks that every plugin document has its code folder with a descriptor that agrees (the
 * seed's manual check); problems are returned, not thrown.
 *
 * @example
 * ```ts
 * import { pluginsVerify } from 'a4c-admin';
 *
 * const result = await pluginsVerify('admin-tool-config.yml');
 * console.log(`${result.checked} plugins checked`, result.ok ? 'ok' : result.findings);
 * ```
 */
export async function pluginsVerify(config: ConfigSource): Promise<VerifyPluginsResult> {
  const resolved = await resolveConfig(config);
  return verifyPlugins({ dataDir: resolved.alien4cloud.dir, plugins: await readPluginDocuments(resolved) });
}

/**
 * Replaces a plugin's code with the content of a plugin zip (the seed's manual rm / unzip / mv),
 * atomically, keeping the old code aside. With `dryRun: true` it returns the swap it would
 * make ({@link PluginsSwapPlan}) and changes nothing.
 *
 * @example
 * ```ts
 * import { pluginsSwap } from 'a4c-admin';
 *
 * const result = await pluginsSwap('admin-tool-config.yml', { plugin: 'alien4cloud-kubernetes-plugin', archive: '/var/tmp/plugin.zip' });
 * console.log(result);
 * ```
 */
export async function pluginsSwap(config: ConfigSource, options: PluginsSwapOptions): Promise<SwapPluginCodeResult | PluginsSwapPlan> {
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
