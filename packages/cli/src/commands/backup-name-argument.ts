// verify and delete name their backup either as an argument or with the seed's -n.
import type { Command } from 'commander';

/** The backup name from `<name>` or `-n <name>`; a usage error when neither or two different ones are given. */
export function backupNameFrom(positional: string | undefined, option: string | undefined, command: Command): string {
  if (positional !== undefined && option !== undefined && positional !== option) {
    command.error(`error: two backup names given ("${positional}" and -n "${option}")`, { code: 'a4c.usage', exitCode: 2 });
  }
  const name = positional ?? option;
  if (name === undefined) command.error('error: missing backup name: give it as an argument or with -n <name>', { code: 'a4c.usage', exitCode: 2 });
  return name;
}
