// @a4c-admin/core/internal: the building blocks that es-snapshot, migrations, the CLI and the
// tools share (file-tree primitives, cancellation, redaction, the task pool, index ownership).
// Not a public API: names here may change in any release. Callers of the library use the
// package's main entry (src/index.ts).
export type { Es1TypeMappingOptions } from './a4c-model/es1-mappings.js';
export { es1IdPath, es1TypeMapping } from './a4c-model/es1-mappings.js';
export {
  dataVersionMarkerIndexName,
  isVersionedIndexOf,
  snapshotMetadataIndexName,
  toolOwnIndexNames,
  versionedIndexWildcard,
  withoutVersionSuffix,
} from './a4c-model/index.js';
export { writeFileAtomic } from './atomic-write.js';
export type { ByteBudget } from './byte-budget.js';
export { createByteBudget } from './byte-budget.js';
export { allowConcurrentListeners, cancelledError, pause, throwIfCancelled } from './cancellation.js';
export { canonicalHash, canonicalJson } from './canonical-json.js';
export { environmentVariableFor } from './config-environment.js';
export { checkFolderOverlaps } from './config-loader.js';
export {
  REDACTED,
  redactUrlCredentials,
  registerSecret,
  secretsInEnvironment,
  secretsInText,
} from './config-redact.js';
export { DEFAULT_DATA_PARTS, elasticsearchSchema, FORBIDDEN_DATA_PARTS } from './config-schema.js';
export { parseDataVersionMarker } from './data-version-marker.js';
export type { EncryptionConfig, OpenOptions, SealedHeader, SealOptions } from './encryption/index.js';
export {
  assertKeyMatches,
  assertManifestAuthentic,
  DEFAULT_CHUNK_BYTES,
  DEFAULT_ENCRYPTION_KEY_ENV,
  decrypting,
  ENCRYPTION_KEY_BYTES,
  EncryptionKey,
  encrypting,
  loadEncryptionKey,
  manifestTag,
  openBuffer,
  parseKeyText,
  parseSealedHeader,
  SEALED_FORMAT_VERSION,
  SEALED_HEADER_BYTES,
  sealBuffer,
} from './encryption/index.js';
export type { FileEntry } from './file-entry.js';
export { fileEntrySchema, isSafeRelativePath } from './file-entry.js';
export { isProcessAlive, LOCK_FILE } from './file-lock.js';
export type { BackupFileTreeOptions, BackupFileTreeResult } from './file-tree-backup.js';
export { backupFileTree } from './file-tree-backup.js';
export type { PreviousFileTree } from './file-tree-link.js';
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
export {
  hasOwnershipMark,
  isA4cConcreteIndexOf,
  isToolsVersionedIndex,
  OWNERSHIP_META_KEY,
  ownershipMarkOf,
  toolVersionedIndexNames,
  withOwnershipMark,
  withOwnershipMarkOnEachType,
} from './index-ownership.js';
export { computeManifestSha256, EXPORT_MANIFEST_FILE, MANIFEST_FORMAT_VERSION, manifestSchema, manifestTool, writeManifest } from './manifest.js';
export { A4C_DEFAULT_URL, a4cCandidates, probeA4c } from './operations/a4c-liveness.js';
export { defaultBackupName, validateBackupName } from './operations/backup-name.js';
export { BACKUP_MARKER_FILE } from './operations/backup-ownership.js';
export { resolveDataVersion } from './operations/data-version.js';
export type { RetentionDuration } from './operations/retention-duration.js';
export { parseRetentionDuration } from './operations/retention-duration.js';
export type { ProgressReporter } from './progress.js';
export { createProgressReporter } from './progress.js';
export type { RegularFileOptions } from './read-regular-file.js';
export { notRegularFileError, openRegularFile, readRegularFile, readRegularFileSync, readRegularTextFile } from './read-regular-file.js';
export { encryptedCodec } from './remote/encrypted-codec.js';
export type { SettledLater } from './settled-later.js';
export { settledLater } from './settled-later.js';
export { syncFolder } from './sync-folder.js';
export type { MapConcurrentlyOptions, TaskPool } from './task-pool.js';
export { createTaskPool, mapConcurrently } from './task-pool.js';
export { holdTightHeapGrowth } from './tight-heap-growth.js';
