// `a4c-admin delete <name>`: remove a backup's snapshot and folder together.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';
import { backupNameFrom } from './backup-name-argument.js';

export function registerDeleteCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('delete')
    .alias('remove')
    .summary('delete a backup (its snapshot and its folder)')
    .argument('[name]', 'backup name')
    .option('-n, --name <name>', 'backup name (the seed\'s spelling)')
    .addHelpText('after', examples(['a4c-admin delete backup110', 'a4c-admin remove -n backup110']))
    .action(async (name: string | undefined, options: { name?: string }, command: Command) => {
      await runtime.runOperation('remove', 'delete', { name: backupNameFrom(name, options.name, command) });
    });
}
