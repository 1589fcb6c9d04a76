// `a4c-admin config validate|schema|show`: check the configuration before a backup needs it.
import { configJsonSchema, redactConfig } from '@a4c-admin/core';
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';

export function registerConfigCommand(program: Command, runtime: CommandRuntime): void {
  const config = program
    .command('config')
    .summary('validate the configuration, print its JSON Schema')
    .addHelpText('after', examples(['a4c-admin config validate', 'a4c-admin config schema > admin-tool-config.schema.json']));
  config
    .command('validate')
    .summary('check the configuration file, environment and defaults')
    .description('Loads the configuration as every command does (-c file, A4C_ADMIN_* variables, defaults) and reports every problem with its fix.')
    .addHelpText('after', examples(['a4c-admin config validate', 'a4c-admin -c config/admin-tool-config.yml config validate --json']))
    .action(async () => {
      const loaded = await runtime.loadConfig();
      const where = loaded.file ?? 'the environment';
      runtime.printResult('config validate', {
        valid: true,
        file: loaded.file ?? null,
        warnings: loaded.warnings,
        summary: [
          `ok: ${where} is a valid configuration`,
          `  elasticsearch: ${loaded.config.elasticsearch.addresses.join(', ')}`,
          `  alien4cloud.dir: ${loaded.config.alien4cloud.dir}`,
          `  backup.files_dir: ${loaded.config.backup.files_dir}`,
        ],
        // Redacted: a --json result may end up in a CI log.
        config: redactConfig(loaded.config),
      });
    });
  config
    .command('schema')
    .summary('print the JSON Schema of admin-tool-config.yml (for editors)')
    .addHelpText('after', examples(['a4c-admin config schema > admin-tool-config.schema.json']))
    .action(() => {
      // The schema is the answer, with or without --json: it is JSON already.
      runtime.io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
  config
    .command('show')
    .summary('print the effective configuration, secrets redacted')
    .addHelpText('after', examples(['a4c-admin config show', 'A4C_ADMIN_ES_ADDRESSES=http://es:9200 a4c-admin config show']))
    .action(async () => {
      const loaded = await runtime.loadConfig();
      const shown = redactConfig(loaded.config);
      if (runtime.globals().json) runtime.printResult('config show', { file: loaded.file ?? null, config: shown });
      else runtime.io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    });
}
