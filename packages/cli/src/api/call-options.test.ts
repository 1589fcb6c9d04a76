// The wired API's options are written out (each with its description) rather than derived
// from the libraries' with Omit<...>; these checks, made by the typecheck (`pnpm run
// typecheck`), keep them in step: an option added to or removed from a library's operation
// fails here until the wired options say the same.
import type * as core from '@a4c-admin/core';
import type * as migrations from '@a4c-admin/migrations';
import { describe, expectTypeOf, it } from 'vitest';
import type { BackupNameOptions, BackupOptions, MigrateDryRunOptions, MigrateExportOptions, PruneOptions, RestoreOptions } from './call-options.js';

/** What the wiring supplies itself: the config, the opened Elasticsearch side, the lock held by a migration. */
type Wired = 'config' | 'backends' | 'snapshots' | 'locked';

describe('the options of the wired API', () => {
  it('are the options of the operations they wire, minus what the wiring supplies', () => {
    expectTypeOf<BackupOptions>().toEqualTypeOf<Omit<core.BackupOptions, Wired>>();
    expectTypeOf<RestoreOptions>().toEqualTypeOf<Omit<core.RestoreOptions, Wired>>();
    expectTypeOf<BackupNameOptions>().toEqualTypeOf<Omit<core.VerifyOptions, Wired>>();
    expectTypeOf<Omit<PruneOptions, 'dryRun' | 'onProgress' | 'signal'>>().toEqualTypeOf<core.PrunePolicy>();
    expectTypeOf<Omit<MigrateDryRunOptions, 'onProgress' | 'signal' | 'target'>>().toEqualTypeOf<Omit<migrations.MigratorDryRunOptions, 'samplesPerIndex'>>();
    expectTypeOf<Omit<MigrateExportOptions, 'signal' | 'to'>>().toEqualTypeOf<Omit<migrations.MigrateExportFolderOptions, 'to'>>();
  });
});
