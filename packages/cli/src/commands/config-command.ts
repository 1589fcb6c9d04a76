// `a4c-admin config validate|schema|show|init`: check the configuration before a backup needs
// it; write a starter one.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { A4cAdminError, configJsonSchema, loadConfig, redactConfig } from '@a4c-admin/core';
import { readRegularTextFile, writeFileAtomic } from '@a4c-admin/core/internal';
import type { Command } from 'commander';
import { type CommandRuntime, DEFAULT_CONFIG_FILE } from '../command-runtime.js';
import { examples } from './argument-parsers.js';
import { convertSeedConfig, STARTER_CONFIG } from './starter-config.js';

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
  config
    .command('init')
    .summary("write a commented starter admin-tool-config.yml, or convert the seed tool's")
    .description(
      `Writes a starter configuration with every key an operator sets first, commented; with --from, the seed tool's admin-tool-config.yml with its transport-port addresses (9300) moved to the HTTP port (9200). Writes to -o, else -c, else ${DEFAULT_CONFIG_FILE}; never over an existing file without --force. The written file is loaded back to check it.`,
    )
    .option('--from <file>', "the seed tool's admin-tool-config.yml to convert")
    .option('-o, --output <file>', `where to write it (- for stdout; default: -c, else ${DEFAULT_CONFIG_FILE})`)
    .option('--force', 'replace an existing file', false)
    .addHelpText(
      'after',
      examples([
        'a4c-admin config init -o /opt/a4c-admin/config/admin-tool-config.yml',
        'a4c-admin config init --from /opt/admin-tool/config/admin-tool-config.yml -o admin-tool-config.yml',
        'a4c-admin config init -o -    # print it',
      ]),
    )
    .action(async (options: { from?: string; output?: string; force: boolean }) => {
      const { io } = runtime;
      const from = options.from === undefined ? undefined : resolve(io.cwd, options.from);
      const converted = from === undefined ? undefined : convertSeedConfig(await readRegularTextFile(from), from);
      const text = converted?.text ?? STARTER_CONFIG;
      if (options.output === '-') {
        io.stdout.write(text);
        return;
      }
      const file = resolve(io.cwd, options.output ?? runtime.globals().config ?? DEFAULT_CONFIG_FILE);
      await mkdir(dirname(file), { recursive: true });
      try {
        // 0600: the file may come to hold credentials. wx: an existing file is never replaced unasked.
        if (options.force) await writeFileAtomic(file, text, 0o600);
        else await writeFile(file, text, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        throw new A4cAdminError('PRECONDITION_FAILED', `${file} exists already: config init leaves it as it is.`, {
          hint: 'Write elsewhere with -o <file>, or replace it with --force.',
          details: { file },
        });
      }
      // Loaded back as every command loads it, so that what was written is known to work.
      const loaded = await loadConfig({ file, env: {} });
      runtime.printResult('config init', {
        file,
        from: from ?? null,
        addressesChanged: converted?.changed ?? 0,
        warnings: loaded.warnings,
        summary: [
          `wrote ${file}${from ? ` from ${from}${converted && converted.changed > 0 ? ` (${converted.changed} transport-port address${converted.changed === 1 ? '' : 'es'} moved to 9200)` : ''}` : ''}`,
          'next: edit it, then `a4c-admin config validate` and `a4c-admin doctor`',
        ],
      });
    });
}
