// `a4c-admin verify <name>`: check a backup without restoring it.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';
import { backupNameFrom } from './backup-name-argument.js';

export function registerVerifyCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('verify')
    .summary('check a backup: manifest, file checksums, snapshot state')
    .argument('[name]', 'backup name')
    .option('-n, --name <name>', "backup name (the seed's spelling)")
    .option('--remote', 'verify the backup in the object store of `remote:`: read every object back and check its SHA-256', false)
    .addHelpText('after', examples(['a4c-admin verify backup110', 'a4c-admin verify -n backup110 --json', 'a4c-admin verify backup110 --remote']))
    .action(async (name: string | undefined, options: { name?: string; remote: boolean }, command: Command) => {
      await runtime.runOperation('verify', 'verify', { name: backupNameFrom(name, options.name, command), ...(options.remote ? { remote: true } : {}) });
    });
}
