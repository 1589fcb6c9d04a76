// The seam between the CLI and the library: each command calls exactly one method of an
// `Operations` object. The wired implementation lives in wired-operations.ts; commands
// never know how an operation is done, only what it takes and returns.
import { type A4cAdminConfig, A4cAdminError, type ProgressListener } from '@a4c-admin/core';

/** What every operation receives besides its options. */
export interface OperationContext {
  /** Progress events, rendered as bars, lines or NDJSON by the CLI. */
  onProgress: ProgressListener;
  /** Aborted on Ctrl-C: the operation stops, releases its lock and throws a CANCELLED error. */
  signal: AbortSignal;
}

/**
 * What an operation returns: a plain, JSON-serialisable object. `--json` prints it as is;
 * the text renderer prints `summary` lines, a `checks` list, a `backups` table, or the
 * fields one per line.
 */
export type OperationResult = Record<string, unknown>;

export interface BackupCommandOptions {
  /** A4C data version (1.1.0, 1.2.0); undefined: read from the data-version marker. */
  version?: string;
  /** Backup name; undefined: a sortable timestamp. */
  name?: string;
  format: 'snapshot' | 'export';
  /** Folders of alien4cloud.dir to copy; undefined: the configured parts. */
  parts?: string[];
  /** Copy every data-folder file again instead of linking the unchanged ones from the previous backup (--full-files). */
  fullFiles?: boolean;
}

export interface RestoreCommandOptions {
  version: string;
  name: string;
  /** Restore while A4C runs (refused when orchestrator or plugin data would change). */
  hot: boolean;
  /** Return the plan without changing anything. */
  dryRun: boolean;
  /** Only these A4C indices; undefined: all of the backup. */
  indices?: string[];
  /** Only these parts of the data folder; undefined: all of the backup. */
  parts?: string[];
  /** The operator states that A4C is stopped when that cannot be told (--a4c-stopped). */
  a4cStopped?: boolean;
  /** False: leave the config files as they are (--no-config-files). */
  configFiles?: boolean;
  /** Write the config files into this absolute folder instead of their backed-up paths (--config-files-to). */
  configFilesTo?: string;
  /** Fetch the backup from the object store of `remote:` first (--remote). */
  remote?: boolean;
}

export interface MigrateCommandOptions {
  from: string;
  to: string;
  dryRun: boolean;
  /** Point the aliases back at the pre-migration indices. */
  rollback: boolean;
  /** Delete the pre-migration indices once the new ones are trusted. */
  finalize: boolean;
  /** Name of an existing backup to rely on instead of taking the pre-migration backup. */
  skipBackup?: string;
  /** Set untransformable documents aside instead of failing. */
  quarantine?: boolean;
  /** The operator states that A4C is stopped when that cannot be told (--a4c-stopped). */
  a4cStopped?: boolean;
  /** Migrate into the cluster at this address instead of in place (--target); the config's `target:` applies to it. */
  target?: string;
  /** Migrate this export folder into `output` instead of a cluster (--from-export). */
  fromExport?: string;
  /** Where the migrated export goes (--output), with fromExport. */
  output?: string;
  /** Index prefix the export was made with (--export-prefix); elasticsearch.index_prefix when absent. */
  exportPrefix?: string;
}

export interface NameOptions {
  name: string;
  /** The backup in the object store of `remote:` instead of backup.files_dir (--remote). */
  remote?: boolean;
}

export interface ListCommandOptions {
  /** The backups in the object store of `remote:` (--remote). */
  remote?: boolean;
}

export interface PruneCommandOptions {
  keepLast?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  /** A duration such as `30d` or `1y2m3d4h` (restic's form). */
  keepWithin?: string;
  dryRun: boolean;
  /** Prune the object store of `remote:` instead of backup.files_dir (--remote). */
  remote?: boolean;
}

export interface PluginSwapOptions {
  /** Plugin id (`descriptor.id`), `id:version`, or the pluginPathId. */
  plugin: string;
  /** The new plugin archive (zip). */
  archive: string;
  dryRun: boolean;
}

export interface Operations {
  backup(config: A4cAdminConfig, options: BackupCommandOptions, context: OperationContext): Promise<OperationResult>;
  restore(config: A4cAdminConfig, options: RestoreCommandOptions, context: OperationContext): Promise<OperationResult>;
  migrate(config: A4cAdminConfig, options: MigrateCommandOptions, context: OperationContext): Promise<OperationResult>;
  verify(config: A4cAdminConfig, options: NameOptions, context: OperationContext): Promise<OperationResult>;
  list(config: A4cAdminConfig, options: ListCommandOptions, context: OperationContext): Promise<OperationResult>;
  push(config: A4cAdminConfig, options: NameOptions, context: OperationContext): Promise<OperationResult>;
  remove(config: A4cAdminConfig, options: NameOptions, context: OperationContext): Promise<OperationResult>;
  prune(config: A4cAdminConfig, options: PruneCommandOptions, context: OperationContext): Promise<OperationResult>;
  doctor(config: A4cAdminConfig, options: Record<string, never>, context: OperationContext): Promise<OperationResult>;
  pluginsVerify(config: A4cAdminConfig, options: Record<string, never>, context: OperationContext): Promise<OperationResult>;
  pluginsSwap(config: A4cAdminConfig, options: PluginSwapOptions, context: OperationContext): Promise<OperationResult>;
}

export type OperationName = keyof Operations;

/**
 * An operation whose implementation has not been wired into this build: it fails loudly
 * (INTERNAL, exit 1) rather than pretending to have done something.
 */
export function notWired(command: string): () => Promise<never> {
  return async () => {
    throw new A4cAdminError('INTERNAL', `\`a4c-admin ${command}\` is not available yet in this build: its operation is not wired.`, {
      hint: 'This build of a4c-admin ships the command line only for this command. Use a release that includes it.',
      details: { command },
    });
  };
}
