// `a4c-admin list`: the backups, newest first, broken ones marked.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';

export function registerListCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('list')
    .summary('list the backups, newest first, with version, size and state')
    .option('--remote', 'list the backups in the object store of `remote:` instead', false)
    .addHelpText('after', examples(['a4c-admin list', "a4c-admin list --json | jq -r '.result.backups[].name'", 'a4c-admin list --remote']))
    .action(async (options: { remote: boolean }) => {
      await runtime.runOperation('list', 'list', options.remote ? { remote: true } : {});
    });
}
