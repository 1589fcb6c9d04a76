// `a4c-admin plugins verify|swap`: the plugin code checks and the swap the seed did by hand.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';

export function registerPluginsCommand(program: Command, runtime: CommandRuntime): void {
  const plugins = program
    .command('plugins')
    .summary("check plugin code folders, swap a plugin's code")
    .addHelpText(
      'after',
      examples(['a4c-admin plugins verify', 'a4c-admin plugins swap alien-cloudify-3-orchestrator --archive ./alien4cloud-cloudify3-provider-1.2.0.zip']),
    );
  plugins
    .command('verify')
    .summary('check that every plugin document has its code folder and matching plugin.yml')
    .addHelpText('after', examples(['a4c-admin plugins verify', 'a4c-admin plugins verify --json']))
    .action(async () => {
      await runtime.runOperation('pluginsVerify', 'plugins verify', {});
    });
  plugins
    .command('swap')
    .summary("replace a plugin's code with a new archive (the seed's manual rm/unzip/mv)")
    .argument('<plugin>', 'plugin id, id:version, or pluginPathId')
    .requiredOption('--archive <zip>', 'the new plugin archive')
    .option('--dry-run', 'show what would be replaced and change nothing', false)
    .addHelpText(
      'after',
      examples([
        'a4c-admin plugins swap alien-cloudify-3-orchestrator --archive ./alien4cloud-cloudify3-provider-1.2.0.zip',
        'a4c-admin plugins swap 112a6d4c-1744-496e-b837-76ac2199f7d1 --archive ./provider.zip --dry-run',
      ]),
    )
    .action(async (plugin: string, options: { archive: string; dryRun: boolean }) => {
      await runtime.runOperation('pluginsSwap', 'plugins swap', { plugin, archive: options.archive, dryRun: options.dryRun });
    });
}
