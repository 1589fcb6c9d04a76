// The options of the ready-wired API, one named type per function, each option described:
// what a caller reads in the API reference and in their editor. They are the libraries'
// options minus what the wiring supplies (the config, the opened backends); call-options.test.ts
// checks at compile time that they stay in step with those.
import type { ProgressListener, PrunePolicy } from '@a4c-admin/core';

/** What every wired function accepts besides its own options. */
export interface CallOptions {
  /**
   * Called with each progress event (start, progress, end, info, warning) as the operation
   * goes; a listener that throws never stops the operation.
   */
  onProgress?: ProgressListener;
  /**
   * Aborting it stops the operation at its next safe point: the call rejects with an
   * `A4cAdminError` of code `CANCELLED` that says what was done and what was cleaned up.
   */
  signal?: AbortSignal;
}

/** Options of {@link backup}. */
export interface BackupOptions extends CallOptions {
  /** The A4C data version of the indices (`'1.1.0'`); read from the cluster's data-version marker when absent. */
  version?: string;
  /** Name of the backup (its folder and its snapshot); a sortable UTC timestamp when absent. */
  name?: string;
  /**
   * `'snapshot'` (default): an Elasticsearch snapshot, fast, restorable on the same major
   * version. `'export'`: the documents as NDJSON, portable to another Elasticsearch version.
   */
  format?: 'snapshot' | 'export';
  /**
   * Copy and hash every data-folder file again (a full copy). By default a file with the same
   * path, size and modification time as the previous complete backup of this data folder
   * recorded is hard-linked from that backup instead of copied; a file rewritten in place
   * keeping its size and modification time is only caught with this option.
   */
  fullFiles?: boolean;
}

/** Options of {@link restore}. */
export interface RestoreOptions extends CallOptions {
  /** Name of the backup to restore (as {@link list} shows it). */
  name: string;
  /** The A4C data version the caller expects the backup to hold; a backup of another version is refused. */
  version?: string;
  /** Restore with A4C running: refused when the restore touches orchestrator or plugin data. */
  hot?: boolean;
  /** Return the plan (`result.plan`) and change nothing. */
  dryRun?: boolean;
  /**
   * The caller states that A4C is stopped when that cannot be told (a port that accepts but
   * does not answer). A4C found running is refused all the same.
   */
  a4cStopped?: boolean;
  /** Restore only these A4C indices (default: every index of the backup). */
  indices?: string[];
  /** Restore only these parts of the data folder (default: every part of the backup); `[]` for none. */
  parts?: string[];
  /** Put the config files back where they were (default `true`); `false` on a host where those paths differ. */
  configFiles?: boolean;
  /**
   * Write the backup's config files into this folder (each under its own file name) instead of
   * their paths at the backup: a restore on another host, whose configuration lives elsewhere.
   * The folder must exist. Not with `configFiles: false`.
   */
  configFilesTo?: string;
}

/** Options of {@link verify} and {@link remove}: which backup. */
export interface BackupNameOptions extends CallOptions {
  /** Name of the backup (as {@link list} shows it). */
  name: string;
}

/** Options of {@link prune}: which backups to keep; every other one is deleted. */
export interface PruneOptions extends CallOptions, PrunePolicy {
  /** Return what would be deleted and delete nothing. */
  dryRun?: boolean;
}

/** Options of {@link migrate}. */
export interface MigrateOptions extends CallOptions {
  /** The version the data is at; required when the cluster has no data-version marker (the seed's `-migrate 1.1.0`). */
  from?: string;
  /** Target version (default: the latest data version, `LATEST_DATA_VERSION`). */
  to?: string;
  /** Name of an existing backup to rely on instead of taking the pre-migration backup. */
  skipBackup?: string;
  /** Set documents that no rule can transform aside (in exporter.dir) instead of failing. */
  quarantine?: boolean;
  /** The caller states that A4C is stopped when that cannot be told; A4C found running is refused all the same. */
  a4cStopped?: boolean;
  /**
   * Migrate into another cluster at this address (`--target`) instead of in place; the
   * config's `target:` section (credentials, TLS, prefix) applies to it. With a `target:`
   * section, the migration goes into that cluster without this option too.
   */
  target?: string;
}

/** Options of {@link migrateDryRun}. */
export interface MigrateDryRunOptions extends CallOptions {
  /** The version the data is at; required when the cluster has no data-version marker. */
  from?: string;
  /** Target version (default: the latest data version, `LATEST_DATA_VERSION`). */
  to?: string;
  /** Record the documents that no rule can transform in the report and go on instead of failing. */
  quarantine?: boolean;
  /** Check the migration into the cluster at this address, as {@link MigrateOptions.target} would run it. */
  target?: string;
  /** Where the report goes (default: `migration-dry-run-<time>` in the migration's work folder). */
  reportFolder?: string;
}

/** Options of {@link migrateExport}. */
export interface MigrateExportOptions extends CallOptions {
  /**
   * Folder holding `<index>.ndjson`, `.ndjson.gz`, `.json` or `.json.gz` files (an elasticdump),
   * an a4c-admin export folder, or a backup made with `format: 'export'`.
   */
  source: string;
  /** Folder to write the migrated `<index>.ndjson` files into; must not exist yet or be empty. */
  destination: string;
  /** The version the exported data is at (`'1.1.0'`). */
  from: string;
  /** Target version (default: the latest data version, `LATEST_DATA_VERSION`). */
  to?: string;
  /** Prefix carried by the index names of the export (default: the config's `elasticsearch.index_prefix`). */
  indexPrefix?: string;
  /** Set documents that no rule can transform aside into `<destination>/quarantine.ndjson` and go on. */
  quarantine?: boolean;
}

/** Options of {@link rollback} and {@link finalize}: they change what A4C reads too. */
export interface MigrationStepOptions extends CallOptions {
  /** The caller states that A4C is stopped when that cannot be told; A4C found running is refused all the same. */
  a4cStopped?: boolean;
}

/** Options of {@link pluginsSwap}. */
export interface PluginsSwapOptions {
  /** The plugin: its id, `id:version`, or its pluginPathId. */
  plugin: string;
  /** The plugin zip whose content becomes the plugin's code. */
  archive: string;
  /** Return what would be swapped ({@link PluginsSwapPlan}) and change nothing. */
  dryRun?: boolean;
}

/** What {@link pluginsSwap} returns with `dryRun: true`: the swap it would make. */
export interface PluginsSwapPlan {
  dryRun: true;
  /** The plugin's id. */
  plugin: string;
  /** The folder name of the plugin's code under the data folder's `plugins/content`. */
  pluginPathId: string;
  /** The folder whose content would be replaced. */
  folder: string;
  /** The plugin zip that would replace it. */
  archive: string;
}
