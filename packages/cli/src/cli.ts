// The a4c-admin command line, runnable in-process: builds the commander program, runs
// one command and returns the exit status. bin.ts adds signals and process.exit.
import { A4cAdminError, TOOL_VERSION } from '@a4c-admin/core';
import { secretsInEnvironment } from '@a4c-admin/core/internal';
import { Command, CommanderError } from 'commander';
import { type CliIo, createCommandRuntime, DEFAULT_CONFIG_FILE, type GlobalOptions } from './command-runtime.js';
import { examples } from './commands/argument-parsers.js';
import { registerBackupCommand } from './commands/backup-command.js';
import { registerCompletionCommand } from './commands/completion-command.js';
import { registerConfigCommand } from './commands/config-command.js';
import { registerDeleteCommand } from './commands/delete-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerListCommand } from './commands/list-command.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerPluginsCommand } from './commands/plugins-command.js';
import { registerPruneCommand } from './commands/prune-command.js';
import { registerPushCommand } from './commands/push-command.js';
import { registerRestoreCommand } from './commands/restore-command.js';
import { registerVerifyCommand } from './commands/verify-command.js';
import { EXIT_CODE_MEANINGS, EXIT_CODES } from './exit-codes.js';
import type { Operations } from './operations.js';
import { createOutputStyle, wantsColor } from './output-style.js';
import { createSecretBook, redactingStream, type SecretBook } from './redacting-output.js';
import { describeError, renderErrorText } from './render-error.js';
import { normalizeSeedArguments } from './seed-arguments.js';
import { wiredOperations } from './wired-operations.js';

/**
 * The version of this package: core's, since the four packages are released together (one
 * fixed group in .changeset/config.json). A constant, not package.json read beside this
 * file, so that the standalone executable, which has no files beside it, knows it too.
 */
export const CLI_VERSION: string = TOOL_VERSION;

/** Commander's own outcomes that are not failures. */
const SUCCESSFUL_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help.displayed']);

/**
 * Runs `a4c-admin <argv>` and resolves to the exit status. Never exits the process and
 * never throws: every failure is printed (text or JSON) and mapped to its exit code.
 * @param argv the arguments after the program name (process.argv.slice(2)).
 */
export async function runCli(argv: readonly string[], rawIo: CliIo, operations: Operations = wiredOperations): Promise<number> {
  // Everything printed from here on goes through the redacting streams; the config's
  // secrets join the book when the config is read.
  const secrets = createSecretBook();
  secrets.add(secretsInEnvironment(rawIo.env));
  const io: CliIo = { ...rawIo, stdout: redactingStream(rawIo.stdout, secrets), stderr: redactingStream(rawIo.stderr, secrets) };
  const normalized = normalizeSeedArguments(argv);
  // Known before commander has parsed anything, so that even a usage error comes out as JSON.
  const json = normalized.includes('--json');
  const program = buildProgram(io, operations, json, secrets);
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  // The command being run, for the JSON envelope of an error ("plugins swap").
  let invoked: string | undefined;
  program.hook('preAction', (_program, action) => {
    const words: string[] = [];
    for (let command: Command | null = action; command && command !== program; command = command.parent) words.unshift(command.name());
    invoked = words.join(' ');
  });
  try {
    await program.parseAsync(normalized, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (SUCCESSFUL_EXITS.has(error.code)) return 0;
      // Commander has printed its own message in text mode; with --json, say it as JSON.
      // 'commander.help' is commander showing the help because no (sub)command was given.
      const message = error.code === 'commander.help' ? 'no command given' : error.message.replace(/^error: /, '');
      const usage = new A4cAdminError('USAGE', message, {
        hint: 'Run `a4c-admin --help`, or `a4c-admin <command> --help` for the options and examples of a command.',
      });
      if (json) writeJsonError(io, invoked ?? commandName(normalized), usage);
      return EXIT_CODES.usage;
    }
    const description = describeError(error);
    if (globals().json || json) writeJsonError(io, invoked ?? commandName(normalized), error);
    else io.stderr.write(renderErrorText(error, createOutputStyle(wantsColor(io.stderr, io.env, globals().color !== false)), Boolean(io.env.A4C_ADMIN_DEBUG)));
    return description.exitCode;
  }
}

function writeJsonError(io: CliIo, command: string, error: unknown): void {
  io.stdout.write(`${JSON.stringify({ ok: false, command, error: describeError(error) })}\n`);
}

/** Before commander knows the command (a usage error): the first words of the command line. */
function commandName(argv: readonly string[]): string {
  return (
    argv
      .filter((argument) => /^[a-z]+$/.test(argument))
      .slice(0, 2)
      .join(' ') || 'a4c-admin'
  );
}

function buildProgram(io: CliIo, operations: Operations, json: boolean, secrets: SecretBook): Command {
  const program = new Command('a4c-admin');
  program
    .description('Back up, restore and migrate an Alien4Cloud installation (Elasticsearch indices + data folder).')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .option('-c, --config <file>', `configuration file (default: $A4C_ADMIN_CONFIG, then ${DEFAULT_CONFIG_FILE})`)
    .option('--json', 'result as JSON on stdout, progress as NDJSON on stderr')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run `a4c-admin --help` or `a4c-admin <command> --help` for usage and examples)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // With --json stderr carries only NDJSON; the error itself goes to stdout as JSON (runCli).
      writeErr: (text) => {
        if (!json) io.stderr.write(text);
      },
      outputError: (text, write) => write(text),
    })
    .addHelpText(
      'after',
      `${examples([
        'a4c-admin backup 1.1.0 -n backup110',
        'a4c-admin restore 1.1.0 -n backup110 --dry-run',
        'a4c-admin migrate 1.1.0 --to 1.2.0',
        "a4c-admin -backup 1.1.0 -n backup110        # the seed tool's spelling works too",
        'a4c-admin -c /opt/a4c-admin/config/admin-tool-config.yml doctor',
        'a4c-admin list --json',
      ])}\nExit status:\n${Object.entries(EXIT_CODES)
        .sort(([, first], [, second]) => first - second)
        .map(([category, code]) => `  ${String(code).padStart(3)}  ${category}: ${EXIT_CODE_MEANINGS[category as keyof typeof EXIT_CODES]}`)
        .join('\n')}\n`,
    );
  const runtime = createCommandRuntime(io, operations, () => program.opts<GlobalOptions>(), secrets);
  registerBackupCommand(program, runtime);
  registerRestoreCommand(program, runtime);
  registerMigrateCommand(program, runtime);
  registerVerifyCommand(program, runtime);
  registerListCommand(program, runtime);
  registerDeleteCommand(program, runtime);
  registerPruneCommand(program, runtime);
  registerPushCommand(program, runtime);
  registerDoctorCommand(program, runtime);
  registerPluginsCommand(program, runtime);
  registerConfigCommand(program, runtime);
  registerCompletionCommand(program, runtime);
  return program;
}
