// `a4c-admin push <name>`: copy a local backup to the object store of `remote:` (off-host).
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';
import { backupNameFrom } from './backup-name-argument.js';

export function registerPushCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('push')
    .summary('copy a local backup to the object store (S3) of `remote:`, sending only content it does not hold yet')
    .description(
      'Uploads the backup folder (manifest, data-folder files, config files, export chunks) and, for a snapshot backup, the snapshot repository files, each content once by its SHA-256; the remote backup is listed only once all of it is stored.',
    )
    .argument('[name]', 'backup name')
    .option('-n, --name <name>', "backup name (the seed's spelling)")
    .addHelpText('after', examples(['a4c-admin backup 1.2.0 -n nightly-1 && a4c-admin push nightly-1', 'a4c-admin push nightly-1 --json']))
    .action(async (name: string | undefined, options: { name?: string }, command: Command) => {
      await runtime.runOperation('push', 'push', { name: backupNameFrom(name, options.name, command) });
    });
}
