// `a4c-admin migrate <from> [--to 1.2.0]`: migrate the A4C indices to a newer data version.
import { type Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { dataVersion, examples } from './argument-parsers.js';

export function registerMigrateCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('migrate')
    .summary('migrate the A4C data to a newer version (1.1.0 -> 1.2.0)')
    .description(
      'Backs up first, transforms every document into new versioned indices with the target mappings, verifies the counts, then swaps the aliases atomically. The old indices stay until --finalize.',
    )
    .argument('<from>', 'current A4C data version', dataVersion)
    .option('--to <version>', 'target data version', dataVersion, '1.2.0')
    .option('--dry-run', 'plan and transform without writing: report what would change', false)
    .option('--rollback', 'point the A4C names back at the pre-migration indices', false)
    .option('--finalize', 'delete the pre-migration indices once the migrated data is trusted', false)
    .option('--skip-backup <name>', 'rely on this existing backup instead of taking the pre-migration backup')
    .option('--quarantine', 'set documents that no rule can transform aside (in exporter.dir) instead of failing', false)
    .addHelpText(
      'after',
      examples([
        'a4c-admin migrate 1.1.0',
        'a4c-admin -migrate 1.1.0                       # the seed tool\'s spelling',
        'a4c-admin migrate 1.1.0 --to 1.2.0 --dry-run',
        'a4c-admin migrate 1.1.0 --rollback',
        'a4c-admin migrate 1.1.0 --finalize',
        'a4c-admin migrate 1.1.0 --skip-backup backup110  # a backup taken just before',
      ]),
    )
    .action(async (from: string, options: { to: string; dryRun: boolean; rollback: boolean; finalize: boolean; skipBackup?: string; quarantine: boolean }, command: Command) => {
      if (options.rollback && options.finalize) command.error('error: --rollback and --finalize cannot be used together', { code: 'a4c.usage', exitCode: 2 });
      await runtime.runOperation('migrate', 'migrate', {
        from,
        to: options.to,
        dryRun: options.dryRun,
        rollback: options.rollback,
        finalize: options.finalize,
        skipBackup: options.skipBackup,
        quarantine: options.quarantine,
      });
    });
}
