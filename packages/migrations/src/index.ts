// @a4c-admin/migrations, the public surface: the migrator (plan, dry run, run, rollback,
// finalize), the versioned steps and their planner, the export-folder migration and the plugin
// code swap. The A4C data model itself (versions, index names) is core's. Building blocks that
// the tools and tests share are in `./internal` (src/internal.ts): no stability promise there.

export type { CurrentDataVersion } from './data-version.js';
export { currentDataVersion } from './data-version.js';
export type { DryRunIndexReport, DryRunMigrationOptions, DryRunReport, DryRunStepReport } from './dry-run-migration.js';
export { dryRunMigration } from './dry-run-migration.js';
export type { ExportIndexResult, MigrateExportFolderOptions, MigrateExportFolderResult } from './export-folder/migrate-export-folder.js';
export { migrateExportFolder } from './export-folder/migrate-export-folder.js';
export type { FailedDocument } from './failure-log.js';
export type { FinalizeMigrationOptions, FinalizeResult } from './finalize-migration.js';
export { finalizeMigration } from './finalize-migration.js';
export { mappingsForVersion } from './mappings/index.js';
export type { MigrationPlan, MigrationTarget, Migrator, MigratorChange, MigratorDryRunOptions, MigratorOptions, MigratorRunOptions } from './migrator.js';
export { createMigrator, dryRunReportFolder, migrationWorkFolder, migratorSettings, preMigrationBackupName, quarantineFolder } from './migrator.js';
export type { PluginDescriptor } from './plugins/plugin-descriptor.js';
export type { SelectedPlugin } from './plugins/select-plugin.js';
export { selectPlugin } from './plugins/select-plugin.js';
export type { SwapPluginCodeOptions, SwapPluginCodeResult } from './plugins/swap-plugin-code.js';
export { pluginContentFolder, swapPluginCode } from './plugins/swap-plugin-code.js';
export type { PluginFinding, PluginProblem, VerifyPluginsOptions, VerifyPluginsResult } from './plugins/verify-plugins.js';
export { assertPluginsValid, verifyPlugins } from './plugins/verify-plugins.js';
export { migrationSteps, planMigration, stepTo, supportedVersions } from './registry.js';
export type { RollbackMigrationOptions, RollbackResult } from './rollback-migration.js';
export { rollbackMigration } from './rollback-migration.js';
export type { CrossClusterMigrationOptions, MigrationSource } from './run-cross-cluster-migration.js';
export { runCrossClusterMigration } from './run-cross-cluster-migration.js';
export type { IndexMigrationResult, MigrationResult, RunMigrationOptions, StepResult } from './run-migration.js';
export { runMigration } from './run-migration.js';
export type { DocumentTransform, IndexMigration, MigrationStep, RuleDescription, StepFacts, TransformContext } from './step.js';
export { stepChecksum } from './step-checksum.js';
export { STEP_1_2_0 } from './steps/step-1.2.0.js';
export type { RuleCounts, TransformedDocument } from './transform-document.js';
export { transformDocument } from './transform-document.js';
