// The public surface of each library is deliberate: a name enters or leaves a package's main
// entry only with a change to this list (and a changeset). Building blocks shared between the
// packages live in their `./internal` entry, which never repeats a public name.
import * as core from '@a4c-admin/core';
import * as coreInternal from '@a4c-admin/core/internal';
import * as esSnapshot from '@a4c-admin/es-snapshot';
import * as esSnapshotInternal from '@a4c-admin/es-snapshot/internal';
import * as migrations from '@a4c-admin/migrations';
import * as migrationsInternal from '@a4c-admin/migrations/internal';
import { describe, expect, it } from 'vitest';

const PUBLIC_VALUES = {
  '@a4c-admin/core': [
    // errors, configuration, the tool
    'A4cAdminError',
    'ERROR_CODES',
    'errorCategory',
    'isA4cAdminError',
    'CONFIG_ENVIRONMENT_VARIABLES',
    'configJsonSchema',
    'configSchema',
    'loadConfig',
    'parseConfig',
    'redactConfig',
    'redactSecrets',
    'secretsOfConfig',
    'TOOL_NAME',
    'TOOL_VERSION',
    // the A4C data model
    'DATA_VERSION_1_1_0',
    'DATA_VERSION_1_2_0',
    'ES1_STORAGE_LAYOUT',
    'HOT_RESTORE_UNSAFE_INDICES',
    'HOT_RESTORE_UNSAFE_PARTS',
    'KNOWN_DATA_VERSIONS',
    'LATEST_DATA_VERSION',
    'OLDEST_DATA_VERSION',
    'a4cIndexName',
    'a4cIndexNames',
    'allA4cIndexNames',
    'baseIndexName',
    'compareVersions',
    'isKnownDataVersion',
    'parseVersion',
    'PLUGIN_INDEX',
    'versionedIndexName',
    // where each Elasticsearch generation keeps A4C's documents
    'a4cIndexNamesIn',
    'es1IndexNames',
    'es1LocationOf',
    'storageLayoutOf',
    // locks, manifest
    'createFileLock',
    'installationLock',
    'MANIFEST_FILE',
    'readManifest',
    // the operations and their verdicts
    'backup',
    'restore',
    'verifyBackup',
    'assertBackupValid',
    'listBackups',
    'deleteBackup',
    'pruneBackups',
    'decidePrune',
    // Off-host copies: the object store port's identity codec and the remote operations.
    'identityCodec',
    'pushBackup',
    'pullBackup',
    'listRemoteBackups',
    'verifyRemoteBackup',
    'deleteRemoteBackups',
    'pruneRemoteBackups',
    'doctor',
    'assertDoctorPassed',
    'assertA4cStopped',
    'checkA4cRunning',
    'detectA4c',
    'assertExpectedCluster',
  ],
  '@a4c-admin/es-snapshot': [
    'createElasticsearchClient',
    'connectElasticsearch',
    'dialectFor',
    'openBackends',
    'openObjectStore',
    'remoteCredentials',
    'createA4cIndexReader',
    'createClusterInspector',
    'describeCluster',
    'createIndexReader',
    'createIndexWriter',
    'createMappingValidator',
    'createMigrationStateStore',
    'createSnapshotStore',
    'createIndexExporter',
    'exportIndex',
    'exportIndices',
    'importIndex',
    'importIndices',
    'readExportManifest',
  ],
  '@a4c-admin/migrations': [
    'createMigrator',
    'migratorSettings',
    'migrationWorkFolder',
    'dryRunReportFolder',
    'quarantineFolder',
    'preMigrationBackupName',
    'runMigration',
    'runCrossClusterMigration',
    'dryRunMigration',
    'rollbackMigration',
    'finalizeMigration',
    'migrationSteps',
    'planMigration',
    'stepTo',
    'supportedVersions',
    'STEP_1_2_0',
    'currentDataVersion',
    'mappingsForVersion',
    'stepChecksum',
    'transformDocument',
    'migrateExportFolder',
    'selectPlugin',
    'pluginContentFolder',
    'swapPluginCode',
    'verifyPlugins',
    'assertPluginsValid',
  ],
};

const ENTRIES = {
  '@a4c-admin/core': [core, coreInternal],
  '@a4c-admin/es-snapshot': [esSnapshot, esSnapshotInternal],
  '@a4c-admin/migrations': [migrations, migrationsInternal],
} as const;

describe('the public surface of each library', () => {
  for (const [name, [main, internal]] of Object.entries(ENTRIES)) {
    it(`${name} exports exactly the listed values`, () => {
      expect(Object.keys(main).sort()).toEqual([...PUBLIC_VALUES[name as keyof typeof PUBLIC_VALUES]].sort());
    });
    it(`${name}/internal repeats no public name`, () => {
      const publicNames = new Set(Object.keys(main));
      expect(Object.keys(internal).filter((key) => publicNames.has(key))).toEqual([]);
    });
  }
});
