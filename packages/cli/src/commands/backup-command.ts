// `a4c-admin backup [version] -n <name>`: snapshot the A4C indices and copy the data folder.
import { type Command, Option } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { commaList, dataVersion, examples } from './argument-parsers.js';

export function registerBackupCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('backup')
    .summary('back up the A4C indices, data folder and config files')
    .description(
      'Takes a consistent backup: a snapshot of the A4C indices (by name, never _all), a copy of the data folder with a SHA-256 per file, and a manifest written last.',
    )
    .argument('[version]', 'A4C data version being backed up (1.1.0, 1.2.0); default: read from the data-version marker', dataVersion)
    .option('-n, --name <name>', 'backup name (default: a sortable timestamp)')
    .addOption(
      new Option('--format <format>', 'snapshot (fast, same ES major) or export (portable NDJSON)').choices(['snapshot', 'export']).default('snapshot'),
    )
    .option('--parts <parts>', 'folders of alien4cloud.dir to copy, comma-separated (default: backup.parts)', commaList)
    .option(
      '--full-files',
      'copy and hash every data-folder file again (default: files with the path, size and modification time of the previous backup are hard-linked from it)',
    )
    .addHelpText(
      'after',
      examples([
        'a4c-admin backup 1.1.0 -n backup110',
        "a4c-admin -backup 1.1.0 -n backup110          # the seed tool's spelling",
        'a4c-admin backup --format export -n before-upgrade',
        'a4c-admin backup 1.1.0 -n files-only --parts csar,artifacts --json',
        'a4c-admin backup --full-files -n weekly-full     # no file linked from the previous backup',
      ]),
    )
    .action(async (version: string | undefined, options: { name?: string; format: 'snapshot' | 'export'; parts?: string[]; fullFiles?: boolean }) => {
      await runtime.runOperation('backup', 'backup', {
        version,
        name: options.name,
        format: options.format,
        parts: options.parts,
        ...(options.fullFiles ? { fullFiles: true } : {}),
      });
    });
}
