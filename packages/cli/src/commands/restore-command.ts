// `a4c-admin restore <version> -n <name>`: put a backup back, or refuse before touching anything.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { commaList, dataVersion, examples } from './argument-parsers.js';

export function registerRestoreCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('restore')
    .summary('restore a backup (indices, data folder, config files)')
    .description(
      'Verifies the backup (manifest, checksums, snapshot), checks that A4C is stopped, then restores the A4C indices and swaps the data folder in atomically.',
    )
    .argument('<version>', 'A4C data version of the backup (must match its manifest)', dataVersion)
    .requiredOption('-n, --name <name>', 'name of the backup to restore')
    .option('--hot', 'restore while A4C is running (refused when orchestrator or plugin data would change)', false)
    .option('--dry-run', 'print the plan (indices closed/restored, folders replaced) and change nothing', false)
    .option('--indices <names>', 'restore only these A4C indices, comma-separated', commaList)
    .option('--parts <parts>', 'restore only these folders of the data folder, comma-separated', commaList)
    .addHelpText(
      'after',
      examples([
        'a4c-admin restore 1.1.0 -n backup110',
        'a4c-admin -restore 1.1.0 -n backup110         # the seed tool\'s spelling',
        'a4c-admin restore 1.1.0 -n backup110 --dry-run',
        'a4c-admin restore 1.1.0 -n backup110 --indices application,topology --parts images --hot',
      ]),
    )
    .action(async (version: string, options: { name: string; hot: boolean; dryRun: boolean; indices?: string[]; parts?: string[] }) => {
      await runtime.runOperation('restore', 'restore', {
        version,
        name: options.name,
        hot: options.hot,
        dryRun: options.dryRun,
        indices: options.indices,
        parts: options.parts,
      });
    });
}
