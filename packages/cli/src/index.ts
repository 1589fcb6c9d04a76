// a4c-admin, the public surface: the ready-wired API (`import { backup } from 'a4c-admin'`)
// and every type a caller of it meets: its options, its results, its progress events, its
// error. The types that the libraries define are re-exported from here, because a caller of
// `a4c-admin` cannot import `@a4c-admin/*` under pnpm (not their direct dependency). The CLI's
// own modules (commands, rendering, exit statuses) are not part of it: bin.ts imports them.

export type {
  A4cAdminConfig,
  A4cAdminConfigInput,
  A4cAdminErrorOptions,
  BackupResult,
  BackupSummary,
  ConfigOverrides,
  DeleteResult,
  DoctorCheck,
  DoctorResult,
  ErrorCategory,
  ErrorCode,
  LoadConfigOptions,
  LoadedConfig,
  Manifest,
  ProgressEvent,
  ProgressKind,
  ProgressListener,
  PrunePolicy,
  PruneResult,
  PullResult,
  PushResult,
  RemoteBackupSummary,
  RemoteDeleteResult,
  RemotePruneResult,
  RemoteVerifyResult,
  RestorePlan,
  RestoreResult,
  VerifyResult,
} from '@a4c-admin/core';
export { A4cAdminError, ERROR_CODES, errorCategory, isA4cAdminError, KNOWN_DATA_VERSIONS, LATEST_DATA_VERSION, loadConfig } from '@a4c-admin/core';
export type {
  DryRunReport,
  FinalizeResult,
  MigrateExportFolderResult,
  MigrationResult,
  RollbackResult,
  SwapPluginCodeResult,
  VerifyPluginsResult,
} from '@a4c-admin/migrations';
export {
  backup,
  doctor,
  finalize,
  list,
  migrate,
  migrateDryRun,
  migrateExport,
  pluginsSwap,
  pluginsVerify,
  prune,
  remove,
  restore,
  rollback,
  verify,
} from './api/api.js';
export type {
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
} from './api/call-options.js';
export { listRemote, pruneRemote, pull, push, removeRemote, restoreRemote, verifyRemote } from './api/remote-api.js';
export type { ConfigSource } from './api/resolve-config.js';
export { resolveConfig } from './api/resolve-config.js';
