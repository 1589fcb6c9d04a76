// a4c-admin: the CLI and the ready-wired API.

export type { A4cAdminConfig, A4cAdminConfigInput, ProgressEvent } from '@a4c-admin/core';
export { loadConfig } from '@a4c-admin/core';
export type { CallOptions, MigrateOptions, MigrationStepOptions } from './api/api.js';
// The ready-wired API: `import { backup } from 'a4c-admin'`.
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
export type { ConfigSource } from './api/resolve-config.js';
export { resolveConfig } from './api/resolve-config.js';
export { CLI_VERSION, runCli } from './cli.js';
export type { CliIo, GlobalOptions } from './command-runtime.js';
export { DEFAULT_CONFIG_FILE } from './command-runtime.js';
export { EXIT_CODE_MEANINGS, EXIT_CODES, exitCodeFor } from './exit-codes.js';
export type {
  BackupCommandOptions,
  MigrateCommandOptions,
  NameOptions,
  OperationContext,
  OperationName,
  OperationResult,
  Operations,
  PluginSwapOptions,
  PruneCommandOptions,
  RestoreCommandOptions,
} from './operations.js';
export { notWired } from './operations.js';
export type { ProgressMode, ProgressRenderer, ProgressRendererOptions } from './progress-renderer.js';
export { chooseProgressMode, createProgressRenderer } from './progress-renderer.js';
export { normalizeSeedArguments } from './seed-arguments.js';
export { wiredOperations } from './wired-operations.js';
