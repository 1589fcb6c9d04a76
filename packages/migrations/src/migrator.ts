// One migrator per cluster (as umzug has one per database): the setup that plan, dry run, run,
// rollback and finalize share (reader, writer, state, prefix, lock, listener, signal, where the
// files go) is given once, and the rules around the runner live here, so that a library user
// meets the same behaviour as the CLI: the quarantine folder, the dry-run report folder, the
// pre-migration backup's name, the backup named instead checked first, A4C stopped first.
import { join } from 'node:path';
import {
  type A4cAdminConfig,
  A4cAdminError,
  type IndexReader,
  type IndexWriter,
  LATEST_DATA_VERSION,
  type Lock,
  type MappingValidator,
  type MigrationStateStore,
  type ProgressListener,
  type SnapshotStore,
} from '@a4c-admin/core';
import { currentDataVersion } from './data-version.js';
import { type DryRunReport, dryRunMigration } from './dry-run-migration.js';
import { type FinalizeResult, finalizeMigration } from './finalize-migration.js';
import { planMigration } from './registry.js';
import { type RollbackResult, rollbackMigration } from './rollback-migration.js';
import { crossClusterStep, type MigrationSource, runCrossClusterMigration } from './run-cross-cluster-migration.js';
import { type MigrationResult, runMigration } from './run-migration.js';
import { stepChecksum } from './step-checksum.js';

/** The operations of a migrator that change what A4C reads, as assertA4cStopped names them. */
export type MigratorChange = 'a migration' | 'a rollback' | 'a finalize';

export interface MigratorOptions {
  reader: IndexReader;
  writer: IndexWriter;
  state: MigrationStateStore;
  /**
   * A migration into another cluster: the data is read from `source` (never written to), and
   * reader, writer, state, validator and indexPrefix are those of the target. No pre-migration
   * backup is taken (the source stays a complete rollback); rollback and finalize do not apply.
   */
  source?: MigrationSource;
  /** Where the target is, for messages (its addresses), with `source`. */
  targetDescription?: string;
  /** Checks the dry run's documents against the target mappings; without it, only the rules are checked. */
  validator?: MappingValidator;
  /** Prefix of the A4C index names (elasticsearch.index_prefix). */
  indexPrefix?: string;
  /** Taken by run, rollback and finalize: the installation's lock (core's installationLock(config)). */
  lock?: Lock;
  /**
   * Where the migration writes its files: `quarantine/` and `migration-dry-run-<time>/`
   * (migrationWorkFolder(config): exporter.dir, else backup.files_dir).
   */
  workFolder?: string;
  /** Makes the pre-migration backup under `name` (preMigrationBackupName()) of data at `from`; returns its name. */
  backup?: (name: string, from: string | undefined) => Promise<string>;
  /** Checks that the backup the operator names instead (skipBackup) exists and is whole; throws otherwise. */
  checkBackup?: (name: string) => Promise<void>;
  /** Refuses a change under a running A4C (core's assertA4cStopped bound to the config); called before anything else. */
  assertA4cStopped?: (change: MigratorChange) => Promise<unknown>;
  /** Documents a page when reading (poller.scroll.batch_size). */
  pageSize?: number;
  /** Indices copied at the same time (4 by default). */
  concurrency?: number;
  /**
   * The configured fs repository (in place only): a first migration keeps the plain indices for
   * the rollback in a snapshot there instead of copies; rollback restores it, finalize deletes it.
   */
  snapshots?: SnapshotStore;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface MigrationTarget {
  /** The version the data is at; required when the cluster has no data-version marker. */
  from?: string;
  /** The version to reach (default: the model's latest, `LATEST_DATA_VERSION`). */
  to?: string;
}

export interface MigrationPlan {
  /** The version the data is at (the marker's, or `from`). */
  from: string;
  to: string;
  /** The steps a run would apply, in order ([] when the data is already at `to`). */
  steps: Array<{ from: string; to: string; checksum: string }>;
}

export interface MigratorRunOptions extends MigrationTarget {
  /** Name of an existing backup to rely on instead of taking the pre-migration backup. */
  skipBackup?: string;
  /** Set documents that no rule can transform (or the target mappings reject) aside in `<workFolder>/quarantine`. */
  quarantine?: boolean;
}

export interface MigratorDryRunOptions extends MigrationTarget {
  /** Record untransformable documents and go on instead of failing. */
  quarantine?: boolean;
  /** Where the report goes; `<workFolder>/migration-dry-run-<time>` by default. */
  reportFolder?: string;
  /** Before/after pairs kept per index (3 by default). */
  samplesPerIndex?: number;
}

export interface Migrator {
  /** The steps from the data's version to `to`; reads the marker, changes nothing. */
  plan(target: MigrationTarget): Promise<MigrationPlan>;
  /** Reads and transforms everything into a report folder; changes nothing in the cluster. */
  dryRun(options: MigratorDryRunOptions): Promise<DryRunReport>;
  /** Pre-migration backup (unless skipBackup names one), then the versioned steps. */
  run(options: MigratorRunOptions): Promise<MigrationResult>;
  /** Points the A4C names back at the pre-migration indices (kept until finalize). */
  rollback(): Promise<RollbackResult>;
  /** Deletes the pre-migration indices once the migrated ones are trusted. */
  finalize(): Promise<FinalizeResult>;
}

/** Where a migration writes its files for this configuration: exporter.dir, else backup.files_dir. */
export function migrationWorkFolder(config: A4cAdminConfig): string {
  return config.exporter.dir ?? config.backup.files_dir;
}

/** The folder documents are set aside in by a quarantined run: `<workFolder>/quarantine`. */
export function quarantineFolder(workFolder: string): string {
  return join(workFolder, 'quarantine');
}

/** A dry run's default report folder: `<workFolder>/migration-dry-run-<epoch ms>`. */
export function dryRunReportFolder(workFolder: string, now: number = Date.now()): string {
  return join(workFolder, `migration-dry-run-${now}`);
}

/** The name of the backup a migration takes before its first change: `pre-migrate-<epoch ms>`. */
export function preMigrationBackupName(now: number = Date.now()): string {
  return `pre-migrate-${now}`;
}

/** What a migrator takes from an a4c-admin configuration: index prefix, page size, work folder. */
export function migratorSettings(config: A4cAdminConfig): Pick<MigratorOptions, 'indexPrefix' | 'pageSize' | 'workFolder'> {
  return { indexPrefix: config.elasticsearch.index_prefix, pageSize: config.poller.scroll.batch_size, workFolder: migrationWorkFolder(config) };
}

export function createMigrator(options: MigratorOptions): Migrator {
  const { reader, writer, state, indexPrefix, lock, onProgress, signal, pageSize } = options;

  function folderFor(what: string): string {
    if (options.workFolder !== undefined) return options.workFolder;
    throw new A4cAdminError('USAGE', `${what} needs a folder for its files, and the migrator was given no workFolder.`, {
      hint: 'Give createMigrator a workFolder (migratorSettings(config) gives the configured one).',
    });
  }

  function refuseAcrossClusters(what: 'rollback' | 'finalize'): void {
    if (!options.source) return;
    throw new A4cAdminError('USAGE', `A migration into another cluster has no ${what}: the source cluster was never changed.`, {
      hint:
        what === 'rollback'
          ? 'To go back, point A4C at the source cluster again: it still holds the data as it was. Run --rollback without a target for a migration made in place.'
          : 'Nothing to delete: the target holds only the migrated indices. Run --finalize without a target for a migration made in place.',
    });
  }

  return {
    async plan({ from, to = LATEST_DATA_VERSION }) {
      if (options.source) {
        const step = crossClusterStep(from, to);
        return { from: step.from, to, steps: [{ from: step.from, to: step.to, checksum: stepChecksum(step) }] };
      }
      const current = await currentDataVersion(state, from);
      const steps = current.version === to ? [] : planMigration(current.version, to);
      return { from: current.version, to, steps: steps.map((step) => ({ from: step.from, to: step.to, checksum: stepChecksum(step) })) };
    },

    async dryRun({ from, to, quarantine, reportFolder, samplesPerIndex }) {
      return dryRunMigration({
        from,
        to,
        reader,
        state,
        validator: options.validator,
        indexPrefix,
        reportFolder: reportFolder ?? dryRunReportFolder(folderFor('A dry run without a reportFolder')),
        quarantine,
        samplesPerIndex,
        pageSize,
        onProgress,
        signal,
        source: options.source,
      });
    },

    async run({ from, to, skipBackup, quarantine }) {
      // A migration rewrites what A4C reads: refused under a running (or maybe running) A4C.
      await options.assertA4cStopped?.('a migration');
      if (options.source) {
        if (skipBackup !== undefined) {
          throw new A4cAdminError('USAGE', 'A migration into another cluster takes no pre-migration backup, so there is none to skip.', {
            hint: 'Leave out --skip-backup (skipBackup): the source cluster is only read and stays a complete rollback.',
          });
        }
        return runCrossClusterMigration({
          from,
          to,
          source: options.source,
          targetDescription: options.targetDescription,
          reader,
          writer,
          state,
          indexPrefix,
          lock,
          quarantine: quarantine ? { folder: quarantineFolder(folderFor('A quarantined migration')) } : undefined,
          pageSize,
          concurrency: options.concurrency,
          onProgress,
          signal,
        });
      }
      // The named backup replaces the safety net of the pre-migration backup: it must exist and be whole.
      if (skipBackup?.trim()) await options.checkBackup?.(skipBackup);
      const backup = options.backup;
      return runMigration({
        from,
        to,
        reader,
        writer,
        state,
        indexPrefix,
        lock,
        skipBackup,
        backup: backup ? () => backup(preMigrationBackupName(), from) : undefined,
        quarantine: quarantine ? { folder: quarantineFolder(folderFor('A quarantined migration')) } : undefined,
        pageSize,
        concurrency: options.concurrency,
        snapshots: options.snapshots,
        onProgress,
        signal,
      });
    },

    async rollback() {
      refuseAcrossClusters('rollback');
      await options.assertA4cStopped?.('a rollback');
      return rollbackMigration({ writer, state, indexPrefix, lock, snapshots: options.snapshots, onProgress, signal });
    },

    async finalize() {
      refuseAcrossClusters('finalize');
      await options.assertA4cStopped?.('a finalize');
      return finalizeMigration({ writer, state, indexPrefix, lock, snapshots: options.snapshots, onProgress, signal });
    },
  };
}
