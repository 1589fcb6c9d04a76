// @a4c-admin/core: configuration, errors, progress events, manifests, the file-tree
// backup and the ports that the Elasticsearch and migration packages implement.
export { A4cAdminError, ERROR_CODES, errorCategory, isA4cAdminError } from './errors.js';
export type { A4cAdminErrorOptions, ErrorCategory, ErrorCode } from './errors.js';
export { createProgressReporter } from './progress.js';
export type { ProgressEvent, ProgressKind, ProgressListener, ProgressReporter } from './progress.js';
export { DEFAULT_DATA_PARTS, FORBIDDEN_DATA_PARTS, configSchema, elasticsearchSchema } from './config-schema.js';
export type { A4cAdminConfig, A4cAdminConfigInput, ElasticsearchConfig } from './config-schema.js';
export { loadConfig, parseConfig } from './config-loader.js';
export type { ConfigOverrides, ConfigProblem, LoadConfigOptions, LoadedConfig } from './config-loader.js';
export { CONFIG_ENVIRONMENT_VARIABLES, environmentVariableFor } from './config-environment.js';
export type { ConfigEnvironmentVariable } from './config-environment.js';
export { REDACTED, redactConfig, redactSecrets, redactUrlCredentials } from './config-redact.js';
export { configJsonSchema } from './config-json-schema.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';
export { canonicalHash, canonicalJson } from './canonical-json.js';
export { fileEntrySchema, isSafeRelativePath } from './file-entry.js';
export type { FileEntry } from './file-entry.js';
export {
  MANIFEST_FILE,
  MANIFEST_FORMAT_VERSION,
  computeManifestSha256,
  manifestSchema,
  manifestTool,
  readManifest,
  writeManifest,
} from './manifest.js';
export type { Manifest, ManifestContent } from './manifest.js';
export { syncFolder } from './sync-folder.js';
export { writeFileAtomic } from './atomic-write.js';
export { backupFileTree } from './file-tree-backup.js';
export type { BackupFileTreeOptions, BackupFileTreeResult } from './file-tree-backup.js';
export { verifyFileTree } from './file-tree-verify.js';
export type { VerifyFileTreeOptions, VerifyFileTreeResult } from './file-tree-verify.js';
export { RESTORE_JOURNAL_FILE, recoverFileTree, restoreFileTree } from './file-tree-restore.js';
export type { RecoverFileTreeResult, RestoreFileTreeOptions, RestoreFileTreeResult } from './file-tree-restore.js';
export type {
  AliasAction,
  AppliedStep,
  DataVersionMarker,
  IndexDefinition,
  IndexReader,
  IndexWriter,
  Lock,
  LockHandle,
  LockInfo,
  MigrationStateStore,
  ReadOptions,
  RepositoryInfo,
  SnapshotInfo,
  SnapshotRestoreRequest,
  SnapshotState,
  SnapshotStore,
  StoredDocument,
  WriteOptions,
} from './ports.js';
