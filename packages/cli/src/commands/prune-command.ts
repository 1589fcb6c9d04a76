// `a4c-admin prune --keep-last N ...`: delete the backups that no keep rule retains.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import type { PruneCommandOptions } from '../operations.js';
import { examples, nonNegativeInteger, retentionDuration } from './argument-parsers.js';
import { addYesOption } from './consent.js';

export function registerPruneCommand(program: Command, runtime: CommandRuntime): void {
  const command = program
    .command('prune')
    .summary('delete old backups, keeping what the rules say')
    .description(
      "A backup is kept when any rule keeps it (restic's rules; days, weeks and months are UTC ones). Broken backups are never counted as kept. See docs/scheduling.md for unattended use.",
    )
    .option('--keep-last <n>', 'keep the n newest backups', nonNegativeInteger)
    .option('--keep-daily <n>', 'keep the newest backup of each of the last n days that have one', nonNegativeInteger)
    .option('--keep-weekly <n>', 'keep the newest backup of each of the last n weeks that have one', nonNegativeInteger)
    .option('--keep-monthly <n>', 'keep the newest backup of each of the last n months that have one', nonNegativeInteger)
    .option('--keep-within <duration>', 'keep every backup taken within this duration (1y2m3d4h, 30d) before the newest one', retentionDuration)
    .option('--dry-run', 'list what would be deleted and delete nothing', false)
    .option('--remote', 'prune the backups in the object store of `remote:` instead', false);
  addYesOption(command)
    .addHelpText(
      'after',
      examples([
        'a4c-admin prune --keep-last 3 --dry-run',
        'a4c-admin prune --keep-daily 7 --keep-weekly 4      # shows what goes and asks [y/N]',
        'a4c-admin prune --keep-last 3 --yes',
        'a4c-admin prune --keep-within 30d --keep-monthly 12 --yes   # nightly, from a timer',
      ]),
    )
    .action(async ({ yes, remote, ...policy }: PruneCommandOptions & { yes: boolean }, command: Command) => {
      const options: PruneCommandOptions = remote ? { ...policy, remote: true } : policy;
      const rules = [options.keepLast, options.keepDaily, options.keepWeekly, options.keepMonthly, options.keepWithin];
      if (rules.every((rule) => rule === undefined)) {
        // Without a rule every backup would go: refuse rather than guess.
        command.error('error: give at least one of --keep-last, --keep-daily, --keep-weekly, --keep-monthly, --keep-within', {
          code: 'a4c.usage',
          exitCode: 2,
        });
      }
      if (!options.dryRun) {
        runtime.requireConsent('prune', yes, true);
        if (!yes) {
          const plan = await runtime.callOperation('prune', 'prune', { ...options, dryRun: true });
          if ((plan.deleted as unknown[]).length > 0) await runtime.confirm('prune', ['prune would:', ...(plan.summary as string[])], 'Delete these backups?');
        }
      }
      await runtime.runOperation('prune', 'prune', options);
    });
}
