// `a4c-admin delete <name>`: remove a backup's snapshot and folder together.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';
import { backupNameFrom } from './backup-name-argument.js';
import { addYesOption } from './consent.js';

export function registerDeleteCommand(program: Command, runtime: CommandRuntime): void {
  const command = program
    .command('delete')
    .alias('remove')
    .summary('delete a backup (its snapshot and its folder)')
    .argument('[name]', 'backup name')
    .option('-n, --name <name>', "backup name (the seed's spelling)")
    .option('--remote', 'delete the backup in the object store of `remote:` (its manifest, then the objects no other remote backup names)', false);
  addYesOption(command)
    .addHelpText('after', examples(['a4c-admin delete backup110            # shows the backup and asks [y/N]', 'a4c-admin remove -n backup110 --yes']))
    .action(async (name: string | undefined, options: { name?: string; yes: boolean; remote: boolean }, command: Command) => {
      const backup = backupNameFrom(name, options.name, command);
      const remote = options.remote ? { remote: true } : {};
      runtime.requireConsent('delete', options.yes);
      if (!options.yes) {
        const listed = (await runtime.callOperation('list', 'delete', remote)).backups as Array<Record<string, unknown>>;
        const entry = listed.find((candidate) => candidate.name === backup);
        // An unknown name is refused by the delete itself, with its own words.
        if (entry) {
          const facts = ['state', 'version', 'format', 'started', 'documents', 'files']
            .filter((key) => entry[key] !== undefined && entry[key] !== null)
            .map((key) => `${key} ${String(entry[key])}`);
          const what = options.remote ? 'its objects in the store' : entry.format === 'export' ? 'its folder' : 'its folder and its snapshot';
          await runtime.confirm('delete', [`delete would remove backup "${backup}" (${facts.join(', ')}): ${what}, for good`], `Delete backup "${backup}"?`);
        }
      }
      await runtime.runOperation('remove', 'delete', { name: backup, ...remote });
    });
}
