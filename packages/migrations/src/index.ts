// @a4c-admin/migrations: versioned A4C document transforms (1.1.0 -> 1.2.0), the mappings of
// each version, the planner, runner, dry run and data-version marker, export-folder migration
// and plugin code swaps.
export { compareVersions, parseVersion } from '@a4c-admin/core';
export type { DocumentTransform, IndexMigration, MigrationStep, RuleDescription, StepFacts, TransformContext } from './step.js';
export { migrationSteps, planMigration, stepTo, supportedVersions } from './registry.js';
export { stepChecksum } from './step-checksum.js';
export { transformDocument } from './transform-document.js';
export type { RuleCounts, TransformedDocument } from './transform-document.js';
export { knownDataVersions, mappingsForVersion } from './mappings/index.js';
export { STEP_1_2_0 } from './steps/step-1.2.0.js';
export { CLOUDIFY3_DEFAULT_SETTINGS } from './rules/cloudify3-orchestrator.js';
export { currentDataVersion, markerAfterRollback, markerAfterStep } from './data-version.js';
export type { CurrentDataVersion } from './data-version.js';
export { a4cIndexName, versionedIndexName } from '@a4c-admin/core';
export { runMigration } from './run-migration.js';
export type { IndexMigrationResult, MigrationResult, RunMigrationOptions, StepResult } from './run-migration.js';
export { rollbackMigration } from './rollback-migration.js';
export type { RollbackMigrationOptions, RollbackResult } from './rollback-migration.js';
export { finalizeMigration } from './finalize-migration.js';
export type { FinalizeMigrationOptions, FinalizeResult } from './finalize-migration.js';
export { dryRunMigration } from './dry-run-migration.js';
export type { DryRunIndexReport, DryRunMigrationOptions, DryRunReport, DryRunStepReport } from './dry-run-migration.js';
export type { FailedDocument } from './failure-log.js';
export { migrateExportFolder } from './export-folder/migrate-export-folder.js';
export type { ExportIndexResult, MigrateExportFolderOptions, MigrateExportFolderResult } from './export-folder/migrate-export-folder.js';
export { pluginContentFolder, swapPluginCode } from './plugins/swap-plugin-code.js';
export type { SwapPluginCodeOptions, SwapPluginCodeResult } from './plugins/swap-plugin-code.js';
export { verifyPlugins } from './plugins/verify-plugins.js';
export type { PluginFinding, PluginProblem, VerifyPluginsOptions, VerifyPluginsResult } from './plugins/verify-plugins.js';
export type { PluginDescriptor } from './plugins/plugin-descriptor.js';
