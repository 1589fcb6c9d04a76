// `a4c-admin restore <version> -n <name>`: put a backup back, or refuse before touching anything.
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { commaList, dataVersion, examples } from './argument-parsers.js';
import { addA4cStoppedOption, addYesOption, askingWhetherA4cStopped, planLines } from './consent.js';

export function registerRestoreCommand(program: Command, runtime: CommandRuntime): void {
  const command = program
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
    .option('--remote', 'fetch the backup from the object store of `remote:` first (a restore on a bare host; the fetch also runs for --dry-run)', false)
    .option('--no-config-files', 'leave the config files as they are (a restore on a new host, where their paths differ)')
    .addOption(
      new Option(
        '--config-files-to <folder>',
        "write the config files into this folder, each under its own name (a restore on a new host, where A4C's config lives elsewhere)",
      ).conflicts('configFiles'),
    );
  addYesOption(command);
  addA4cStoppedOption(command)
    .addHelpText(
      'after',
      examples([
        'a4c-admin restore 1.1.0 -n backup110          # shows the plan and asks [y/N]',
        'a4c-admin restore 1.1.0 -n backup110 --yes    # in a script: no question',
        "a4c-admin -restore 1.1.0 -n backup110         # the seed tool's spelling",
        'a4c-admin restore 1.1.0 -n backup110 --dry-run',
        'a4c-admin restore 1.1.0 -n backup110 --indices application,topology --parts images --hot',
        'a4c-admin restore 1.1.0 -n backup110 --no-config-files   # on a new host: indices and data folder only',
        'a4c-admin restore 1.1.0 -n backup110 --config-files-to /etc/alien4cloud   # on a new host: config files into its folder',
      ]),
    )
    .action(
      async (
        version: string,
        options: {
          name: string;
          hot: boolean;
          dryRun: boolean;
          indices?: string[];
          parts?: string[];
          configFiles: boolean;
          configFilesTo?: string;
          remote: boolean;
          yes: boolean;
          a4cStopped: boolean;
        },
      ) => {
        const restore = {
          version,
          name: options.name,
          hot: options.hot,
          dryRun: options.dryRun,
          indices: options.indices,
          parts: options.parts,
          configFiles: options.configFiles,
          ...(options.remote ? { remote: true } : {}),
          // Resolved here: the library wants an absolute folder, the operator may type a relative one.
          ...(options.configFilesTo === undefined ? {} : { configFilesTo: resolve(runtime.io.cwd, options.configFilesTo) }),
        };
        if (options.dryRun) return runtime.runOperation('restore', 'restore', { ...restore, a4cStopped: options.a4cStopped });
        runtime.requireConsent('restore', options.yes, true);
        let a4cStopped = options.a4cStopped;
        if (!options.yes) {
          // The plan shown is the dry run's; a "y" also answers for A4C when its state is unknown.
          const plan = await runtime.callOperation('restore', 'restore', { ...restore, dryRun: true, a4cStopped });
          const a4c = (plan.plan as { a4c?: { state: string; detail: string } }).a4c;
          const unknown = a4c?.state === 'unknown' && !a4cStopped;
          await runtime.confirm(
            'restore',
            // The plan's own lines say what A4C's state is when it is not plainly stopped.
            [`restore "${options.name}" would:`, ...planLines(plan)],
            unknown ? 'Alien4Cloud is stopped and the restore may replace all this?' : 'Replace all this with the backup?',
          );
          if (unknown) a4cStopped = true;
        }
        await askingWhetherA4cStopped(runtime, a4cStopped, (stopped) => runtime.runOperation('restore', 'restore', { ...restore, a4cStopped: stopped }));
      },
    );
}
