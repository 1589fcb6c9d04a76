// `a4c-admin migrate <from> [--to 1.2.0]`: migrate the A4C indices to a newer data version.
import { LATEST_DATA_VERSION } from '@a4c-admin/core';
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { dataVersion, examples } from './argument-parsers.js';
import { addA4cStoppedOption, addYesOption, askingWhetherA4cStopped } from './consent.js';

export function registerMigrateCommand(program: Command, runtime: CommandRuntime): void {
  const command = program
    .command('migrate')
    .summary('migrate the A4C data to a newer version (1.1.0 -> 1.2.0)')
    .description(
      'Backs up first, transforms every document into new versioned indices with the target mappings, verifies the counts, then swaps the aliases atomically. The old indices stay until --finalize.',
    )
    .argument('<from>', 'current A4C data version', dataVersion)
    .option('--to <version>', 'target data version', dataVersion, LATEST_DATA_VERSION)
    .option('--dry-run', 'plan and transform without writing: report what would change', false)
    .option('--rollback', 'point the A4C names back at the pre-migration indices', false)
    .option('--finalize', 'delete the pre-migration indices once the migrated data is trusted', false)
    .option('--skip-backup <name>', 'rely on this existing backup instead of taking the pre-migration backup')
    .option('--quarantine', 'set documents that no rule can transform aside (in exporter.dir) instead of failing', false);
  addYesOption(command);
  addA4cStoppedOption(command)
    .addHelpText(
      'after',
      examples([
        'a4c-admin migrate 1.1.0',
        "a4c-admin -migrate 1.1.0                       # the seed tool's spelling",
        'a4c-admin migrate 1.1.0 --to 1.2.0 --dry-run',
        'a4c-admin migrate 1.1.0 --rollback             # says what it would do and asks [y/N]',
        'a4c-admin migrate 1.1.0 --finalize --yes',
        'a4c-admin migrate 1.1.0 --skip-backup backup110  # a backup taken just before',
      ]),
    )
    .action(
      async (
        from: string,
        options: {
          to: string;
          dryRun: boolean;
          rollback: boolean;
          finalize: boolean;
          skipBackup?: string;
          quarantine: boolean;
          yes: boolean;
          a4cStopped: boolean;
        },
        command: Command,
      ) => {
        if (options.rollback && options.finalize) command.error('error: --rollback and --finalize cannot be used together', { code: 'a4c.usage', exitCode: 2 });
        // A dry run never acts: rollback and finalize have none, so the combination is refused rather than run.
        if (options.dryRun && (options.rollback || options.finalize))
          command.error('error: --dry-run cannot be used with --rollback or --finalize (they have no dry run)', { code: 'a4c.usage', exitCode: 2 });
        const step = options.rollback ? 'migrate --rollback' : options.finalize ? 'migrate --finalize' : undefined;
        if (step) {
          runtime.requireConsent(step, options.yes);
          if (!options.yes) {
            await runtime.confirm(
              step,
              [
                options.rollback
                  ? `${step} would point the A4C index names back at the pre-migration indices: A4C would see the data as it was before the migration (the migrated indices are kept)`
                  : `${step} would delete the pre-migration indices for good: no --rollback is possible afterwards (a backup still is)`,
              ],
              options.rollback ? 'Roll back?' : 'Delete the pre-migration indices?',
            );
          }
        }
        const migrate = {
          from,
          to: options.to,
          dryRun: options.dryRun,
          rollback: options.rollback,
          finalize: options.finalize,
          skipBackup: options.skipBackup,
          quarantine: options.quarantine,
        };
        if (options.dryRun) return runtime.runOperation('migrate', 'migrate', migrate);
        await askingWhetherA4cStopped(runtime, options.a4cStopped, (a4cStopped) => runtime.runOperation('migrate', 'migrate', { ...migrate, a4cStopped }));
      },
    );
}
