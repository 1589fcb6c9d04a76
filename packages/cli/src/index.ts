// a4c-admin: the CLI and the ready-wired API.
export { runCli, CLI_VERSION } from './cli.js';
export { DEFAULT_CONFIG_FILE } from './command-runtime.js';
export type { CliIo, GlobalOptions } from './command-runtime.js';
export { EXIT_CODES, EXIT_CODE_MEANINGS, exitCodeFor } from './exit-codes.js';
export { notWired } from './operations.js';
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
export { chooseProgressMode, createProgressRenderer } from './progress-renderer.js';
export type { ProgressMode, ProgressRenderer, ProgressRendererOptions } from './progress-renderer.js';
export { normalizeSeedArguments } from './seed-arguments.js';
export { wiredOperations } from './wired-operations.js';
