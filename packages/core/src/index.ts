// @a4c-admin/core: configuration, errors, progress events, manifests, the file-tree
// backup and the ports that the Elasticsearch and migration packages implement.

export type { DataVersion, Es1StorageLayout, Es1TypeLocation } from './a4c-model/index.js';
// The A4C data model: data versions, index names, hot-restore safety, storage layouts.
export {
  a4cIndexName,
  a4cIndexNames,
  allA4cIndexNames,
  baseIndexName,
  compareVersions,
  DATA_VERSION_1_1_0,
  DATA_VERSION_1_2_0,
  ES1_STORAGE_LAYOUT,
  HOT_RESTORE_UNSAFE_INDICES,
  HOT_RESTORE_UNSAFE_PARTS,
  isKnownDataVersion,
  isVersionedIndexOf,
  KNOWN_DATA_VERSIONS,
  LATEST_DATA_VERSION,
  OLDEST_DATA_VERSION,
  parseVersion,
  versionedIndexName,
  versionedIndexWildcard,
  withoutVersionSuffix,
} from './a4c-model/index.js';
export { writeFileAtomic } from './atomic-write.js';
export { cancelledError, pause, throwIfCancelled } from './cancellation.js';
export { canonicalHash, canonicalJson } from './canonical-json.js';
export type { ConfigEnvironmentVariable } from './config-environment.js';
export { CONFIG_ENVIRONMENT_VARIABLES, environmentVariableFor } from './config-environment.js';
export { configJsonSchema } from './config-json-schema.js';
export type { ConfigOverrides, ConfigProblem, LoadConfigOptions, LoadedConfig } from './config-loader.js';
export { checkFolderOverlaps, loadConfig, parseConfig } from './config-loader.js';
export {
  REDACTED,
  redactConfig,
  redactSecrets,
  redactUrlCredentials,
  registerSecret,
  secretsInEnvironment,
  secretsInText,
  secretsOfConfig,
} from './config-redact.js';
export type { A4cAdminConfig, A4cAdminConfigInput, ElasticsearchConfig } from './config-schema.js';
export { configSchema, DEFAULT_DATA_PARTS, elasticsearchSchema, FORBIDDEN_DATA_PARTS } from './config-schema.js';
export { parseDataVersionMarker } from './data-version-marker.js';
export type { A4cAdminErrorOptions, ErrorCategory, ErrorCode } from './errors.js';
export { A4cAdminError, ERROR_CODES, errorCategory, isA4cAdminError } from './errors.js';
export type { FileEntry } from './file-entry.js';
export { fileEntrySchema, isSafeRelativePath } from './file-entry.js';
export type { FileLockOptions } from './file-lock.js';
export { createFileLock, isProcessAlive, LOCK_FILE } from './file-lock.js';
export type { BackupFileTreeOptions, BackupFileTreeResult } from './file-tree-backup.js';
export { backupFileTree } from './file-tree-backup.js';
export { checkParts } from './file-tree-parts.js';
export type { RecoverFileTreeResult, RestoreFileTreeOptions, RestoreFileTreeResult } from './file-tree-restore.js';
export { RESTORE_JOURNAL_FILE, readRestoreJournal, recoverFileTree, restoreFileTree } from './file-tree-restore.js';
export type { FileTreeRestorePreflightOptions, FileTreeRestorePreflightResult } from './file-tree-restore-preflight.js';
export { preflightFileTreeRestore } from './file-tree-restore-preflight.js';
export type { VerifyFileTreeOptions, VerifyFileTreeResult } from './file-tree-verify.js';
export { verifyFileTree } from './file-tree-verify.js';
export type { ConfiguredFolder, FolderOverlap } from './folder-overlaps.js';
export { configuredFolders, findFolderOverlaps, findRealFolderOverlaps } from './folder-overlaps.js';
export type { OwnershipMark } from './index-ownership.js';
export { hasOwnershipMark, isA4cConcreteIndexOf, OWNERSHIP_META_KEY, toolVersionedIndexNames, withOwnershipMark } from './index-ownership.js';
export type { Manifest, ManifestContent } from './manifest.js';
export {
  computeManifestSha256,
  EXPORT_MANIFEST_FILE,
  MANIFEST_FILE,
  MANIFEST_FORMAT_VERSION,
  manifestSchema,
  manifestTool,
  readManifest,
  writeManifest,
} from './manifest.js';
export type { A4cCandidate, A4cLiveness, A4cProbe, A4cState, LivenessResult } from './operations/a4c-liveness.js';
export { A4C_DEFAULT_URL, a4cCandidates, assertA4cStopped, checkA4cRunning, detectA4c, probeA4c } from './operations/a4c-liveness.js';
export type { BackupBackends } from './operations/backends.js';
export type { BackupOptions, BackupResult } from './operations/backup.js';
// The backup operations (issue 5): orchestration over the ports above.
export { backup } from './operations/backup.js';
export { defaultBackupName, validateBackupName } from './operations/backup-name.js';
export { BACKUP_MARKER_FILE } from './operations/backup-ownership.js';
export { assertExpectedCluster } from './operations/cluster-identity.js';
export { resolveDataVersion } from './operations/data-version.js';
export type { DeleteResult } from './operations/delete-backup.js';
export { deleteBackup } from './operations/delete-backup.js';
export type { DoctorCheck, DoctorResult } from './operations/doctor.js';
export { doctor } from './operations/doctor.js';
export { assertDoctorPassed } from './operations/doctor-verdict.js';
export { installationLock } from './operations/installation-lock.js';
export type { LiftedBlocks } from './operations/lift-restored-blocks.js';
export type { BackupSummary } from './operations/list-backups.js';
export { listBackups } from './operations/list-backups.js';
export type { PruneResult } from './operations/prune-backups.js';
export { pruneBackups } from './operations/prune-backups.js';
export type { PruneCandidate, PruneDecision, PrunePolicy } from './operations/prune-policy.js';
export { decidePrune } from './operations/prune-policy.js';
export type { RestoreOptions, RestorePlan, RestoreResult } from './operations/restore.js';
export { restore } from './operations/restore.js';
export type { VerifyOptions, VerifyResult } from './operations/verify-backup.js';
export { assertBackupValid, verifyBackup } from './operations/verify-backup.js';
export type {
  AliasAction,
  AppliedStep,
  ClusterDescription,
  ClusterInspector,
  DataVersionMarker,
  ExportedChunk,
  ExportedIndex,
  IndexDefinition,
  IndexExporter,
  IndexReader,
  IndexWriter,
  Lock,
  LockHandle,
  LockInfo,
  MappingValidator,
  MigrationStateStore,
  ReadOptions,
  RejectedDocument,
  RepositoryInfo,
  SnapshotInfo,
  SnapshotRestoreRequest,
  SnapshotState,
  SnapshotStore,
  StoredDocument,
  WriteOptions,
} from './ports.js';
export type { ProgressEvent, ProgressKind, ProgressListener, ProgressReporter } from './progress.js';
export { createProgressReporter } from './progress.js';
export type { RegularFileOptions } from './read-regular-file.js';
export { notRegularFileError, openRegularFile, readRegularFile, readRegularFileSync, readRegularTextFile } from './read-regular-file.js';
export { syncFolder } from './sync-folder.js';
export type { MapConcurrentlyOptions, TaskPool } from './task-pool.js';
export { createTaskPool, mapConcurrently } from './task-pool.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';
