// @a4c-admin/core, the public surface: what a caller of the library uses. The A4C data model,
// configuration, errors, progress events, the ports that the Elasticsearch and migration
// packages implement, and the operations over them (backup, restore, verify, list, delete,
// prune, doctor). The building blocks that the sibling packages and the tools share are in
// `./internal` (src/internal.ts): no stability promise there. The exports are sorted by
// file (Biome keeps them so): the file names say which concept each line belongs to.

export type { A4cStorageLayout, DataVersion, Es1StorageLayout, Es1TypeLocation } from './a4c-model/index.js';
export {
  a4cIndexName,
  a4cIndexNames,
  a4cIndexNamesIn,
  allA4cIndexNames,
  baseIndexName,
  compareVersions,
  DATA_VERSION_1_1_0,
  DATA_VERSION_1_2_0,
  ES1_STORAGE_LAYOUT,
  es1IndexNames,
  es1LocationOf,
  HOT_RESTORE_UNSAFE_INDICES,
  HOT_RESTORE_UNSAFE_PARTS,
  isKnownDataVersion,
  KNOWN_DATA_VERSIONS,
  LATEST_DATA_VERSION,
  OLDEST_DATA_VERSION,
  PLUGIN_INDEX,
  parseVersion,
  storageLayoutOf,
  versionedIndexName,
} from './a4c-model/index.js';
export type { ConfigEnvironmentVariable } from './config-environment.js';
export { CONFIG_ENVIRONMENT_VARIABLES } from './config-environment.js';
export { configJsonSchema } from './config-json-schema.js';
export type { ConfigOverrides, ConfigProblem, LoadConfigOptions, LoadedConfig } from './config-loader.js';
export { loadConfig, parseConfig } from './config-loader.js';
export { redactConfig, redactSecrets, secretsOfConfig } from './config-redact.js';
export type { A4cAdminConfig, A4cAdminConfigInput, ElasticsearchConfig, RemoteConfig, TargetConfig } from './config-schema.js';
export { configSchema } from './config-schema.js';
export type { A4cAdminErrorOptions, ErrorCategory, ErrorCode } from './errors.js';
export { A4cAdminError, ERROR_CODES, errorCategory, isA4cAdminError } from './errors.js';
export type { FileLockOptions } from './file-lock.js';
export { createFileLock } from './file-lock.js';
export type { IndexOwnershipFacts, OwnershipMark } from './index-ownership.js';
export type { Manifest, ManifestContent } from './manifest.js';
export { MANIFEST_FILE, readManifest } from './manifest.js';
export type { ObjectCodec, ObjectStore, PutObjectOptions, StoredObject } from './object-store.js';
export { identityCodec } from './object-store.js';
export type { A4cCandidate, A4cLiveness, A4cProbe, A4cState, LivenessResult } from './operations/a4c-liveness.js';
export { assertA4cStopped, checkA4cRunning, detectA4c } from './operations/a4c-liveness.js';
export type { BackupBackends } from './operations/backends.js';
export type { BackupOptions, BackupResult } from './operations/backup.js';
export { backup } from './operations/backup.js';
export { assertExpectedCluster } from './operations/cluster-identity.js';
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
  CountOptions,
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
export type { ProgressEvent, ProgressKind, ProgressListener } from './progress.js';
export type { PullResult } from './remote/pull-backup.js';
export { pullBackup } from './remote/pull-backup.js';
export type { PushOptions, PushResult } from './remote/push-backup.js';
export { pushBackup } from './remote/push-backup.js';
export type { RemoteAccess, RemoteBackupSummary, RemoteDeleteResult, RemotePruneResult, RemoteVerifyResult } from './remote/remote-backups.js';
export { deleteRemoteBackups, listRemoteBackups, pruneRemoteBackups, verifyRemoteBackup } from './remote/remote-backups.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';
