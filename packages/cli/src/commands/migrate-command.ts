// `a4c-admin migrate <from> [--to 1.2.0]`: migrate the A4C indices to a newer data version, in
// place, into another cluster (`--target <url>` or the config's `target:`), or an export folder
// into a new folder (`--from-export <folder> --output <folder>`).
import { LATEST_DATA_VERSION } from '@a4c-admin/core';
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { dataVersion, examples, httpUrl } from './argument-parsers.js';
import { addA4cStoppedOption, addYesOption, askingWhetherA4cStopped } from './consent.js';

export function registerMigrateCommand(program: Command, runtime: CommandRuntime): void {
  const command = program
    .command('migrate')
    .summary('migrate the A4C data to a newer version (1.1.0 -> 1.2.0)')
    .description(
      'Backs up first, transforms every document into new versioned indices with the target mappings, verifies the counts, then swaps the aliases atomically. The old indices stay until --finalize.',
    )
    .argument('<from>', 'current A4C data version', dataVersion)
    .option('--to <version>', 'target data version', dataVersion, LATEST_DATA_VERSION)
    .option('--dry-run', 'plan and transform without writing: report what would change', false)
    .option('--rollback', 'point the A4C names back at the pre-migration indices', false)
    .option('--finalize', 'delete the pre-migration indices once the migrated data is trusted', false)
    .option('--skip-backup <name>', 'rely on this existing backup instead of taking the pre-migration backup')
    .option('--quarantine', 'set documents that no rule can transform aside (in exporter.dir) instead of failing', false)
    .option(
      '--target <url>',
      "migrate into the cluster at this address (e.g. a new ES 8) instead of in place; the source is only read. The config's target: section gives its credentials and TLS",
      httpUrl,
    )
    .option(
      '--from-export <folder>',
      "migrate an export folder instead of a cluster: an elasticdump (ES 8, or A4C's ES 1.x with _type, plain or .gz), an a4c-admin export or a backup made with --format export",
    )
    .option('--output <folder>', 'with --from-export: the new (or empty) folder the migrated bulk NDJSON files go into')
    .option('--export-prefix <prefix>', 'with --from-export: the index prefix the export was made with (default: elasticsearch.index_prefix)');
  addYesOption(command);
  addA4cStoppedOption(command)
    .addHelpText(
      'after',
      examples([
        'a4c-admin migrate 1.1.0',
        "a4c-admin -migrate 1.1.0                       # the seed tool's spelling",
        'a4c-admin migrate 1.1.0 --to 1.2.0 --dry-run',
        'a4c-admin migrate 1.1.0 --rollback             # says what it would do and asks [y/N]',
        'a4c-admin migrate 1.1.0 --finalize --yes',
        'a4c-admin migrate 1.1.0 --skip-backup backup110  # a backup taken just before',
        'a4c-admin migrate 1.1.0 --target https://es8:9200  # into another cluster; the source is only read',
        'a4c-admin migrate 1.1.0 --target https://es8:9200 --dry-run',
        'a4c-admin migrate 1.1.0 --from-export ./a4c-dump --output ./a4c-dump-1.2.0',
      ]),
    )
    .action(
      async (
        from: string,
        options: {
          to: string;
          dryRun: boolean;
          rollback: boolean;
          finalize: boolean;
          skipBackup?: string;
          quarantine: boolean;
          yes: boolean;
          a4cStopped: boolean;
          target?: string;
          fromExport?: string;
          output?: string;
          exportPrefix?: string;
        },
        command: Command,
      ) => {
        const usage = (message: string) => command.error(`error: ${message}`, { code: 'a4c.usage', exitCode: 2 });
        if (options.fromExport !== undefined) {
          const others = [
            options.target !== undefined && '--target',
            options.dryRun && '--dry-run',
            options.rollback && '--rollback',
            options.finalize && '--finalize',
            options.skipBackup !== undefined && '--skip-backup',
          ].filter(Boolean);
          if (others.length > 0) usage(`--from-export migrates files, not a cluster: it cannot be used with ${others.join(', ')}`);
          if (options.output === undefined) usage('--from-export needs --output <folder>: the new folder the migrated files go into');
          return runtime.runOperation('migrate', 'migrate', {
            from,
            to: options.to,
            dryRun: false,
            rollback: false,
            finalize: false,
            quarantine: options.quarantine,
            fromExport: options.fromExport,
            output: options.output,
            exportPrefix: options.exportPrefix,
          });
        }
        if (options.output !== undefined || options.exportPrefix !== undefined) usage('--output and --export-prefix go with --from-export <folder>');
        if (options.target !== undefined && (options.rollback || options.finalize || options.skipBackup !== undefined))
          usage(
            '--target cannot be used with --rollback, --finalize or --skip-backup: the source cluster is never changed, so there is nothing to roll back, finalize or back up',
          );
        if (options.rollback && options.finalize) command.error('error: --rollback and --finalize cannot be used together', { code: 'a4c.usage', exitCode: 2 });
        // A dry run never acts: rollback and finalize have none, so the combination is refused rather than run.
        if (options.dryRun && (options.rollback || options.finalize))
          command.error('error: --dry-run cannot be used with --rollback or --finalize (they have no dry run)', { code: 'a4c.usage', exitCode: 2 });
        const step = options.rollback ? 'migrate --rollback' : options.finalize ? 'migrate --finalize' : undefined;
        if (step) {
          runtime.requireConsent(step, options.yes);
          if (!options.yes) {
            await runtime.confirm(
              step,
              [
                options.rollback
                  ? `${step} would point the A4C index names back at the pre-migration indices: A4C would see the data as it was before the migration (the migrated indices are kept)`
                  : `${step} would delete the pre-migration indices for good: no --rollback is possible afterwards (a backup still is)`,
              ],
              options.rollback ? 'Roll back?' : 'Delete the pre-migration indices?',
            );
          }
        }
        const migrate = {
          from,
          to: options.to,
          dryRun: options.dryRun,
          rollback: options.rollback,
          finalize: options.finalize,
          skipBackup: options.skipBackup,
          quarantine: options.quarantine,
          target: options.target,
        };
        if (options.dryRun) return runtime.runOperation('migrate', 'migrate', migrate);
        await askingWhetherA4cStopped(runtime, options.a4cStopped, (a4cStopped) => runtime.runOperation('migrate', 'migrate', { ...migrate, a4cStopped }));
      },
    );
}
