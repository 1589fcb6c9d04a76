// What every command shares: the global options, config loading (-c > A4C_ADMIN_CONFIG >
// config/admin-tool-config.yml), the progress renderer, calling one operation, printing
// its result. Command files only translate their flags and call `runOperation`.
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type A4cAdminConfig, A4cAdminError, isA4cAdminError, type LoadedConfig, loadConfig, secretsOfConfig } from '@a4c-admin/core';
import { readRegularTextFile, secretsInText } from '@a4c-admin/core/internal';
import { askYesNo, canAsk, type InputStream } from './confirm.js';
import type { OperationName, OperationResult, Operations } from './operations.js';
import { createOutputStyle, type OutputStream, type OutputStyle, wantsColor } from './output-style.js';
import { chooseProgressMode, createProgressRenderer } from './progress-renderer.js';
import type { SecretBook } from './redacting-output.js';
import { renderResult } from './render-result.js';

/** The seed's location of the config file, relative to the working folder. */
export const DEFAULT_CONFIG_FILE = 'config/admin-tool-config.yml';

/** The outside world of one CLI run: injected so that tests and the demo can run it in-process. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where answers to confirmations come from; without it (or when it is not a terminal) nothing is asked. */
  stdin?: InputStream;
  /** Aborted on Ctrl-C by bin.ts. */
  signal: AbortSignal;
}

export interface GlobalOptions {
  config?: string;
  json: boolean;
  color: boolean;
}

export interface CommandRuntime {
  readonly io: CliIo;
  globals(): GlobalOptions;
  /** The style for stdout (colour decided per stream). */
  style(stream?: OutputStream): OutputStyle;
  loadConfig(): Promise<LoadedConfig>;
  /** Loads the config, runs one operation with progress rendering and Ctrl-C, prints its result. */
  runOperation<Name extends OperationName>(name: Name, command: string, options: Parameters<Operations[Name]>[1]): Promise<void>;
  /** Loads the config and runs one operation with progress rendering, without printing its result (a dry run for a plan). */
  callOperation<Name extends OperationName>(name: Name, command: string, options: Parameters<Operations[Name]>[1]): Promise<OperationResult>;
  /** True when a person can answer a question on this run's terminal. */
  canAsk(): boolean;
  /**
   * Refuses a run that changes data without --yes when nobody can answer (no terminal, or
   * --json): called first, before anything is read or changed.
   */
  requireConsent(command: string, yes: boolean, hasDryRun?: boolean): void;
  /** Shows what will be removed or replaced and asks; "no" throws CANCELLED, nothing changed. */
  confirm(command: string, plan: readonly string[], question: string): Promise<void>;
  /** Asks a yes/no question on the terminal (false when nobody can answer). */
  ask(question: string): Promise<boolean>;
  /** Prints a result: JSON on stdout with --json, text otherwise. */
  printResult(command: string, result: OperationResult): void;
  warn(message: string): void;
}

export function createCommandRuntime(io: CliIo, operations: Operations, globals: () => GlobalOptions, secrets?: SecretBook): CommandRuntime {
  async function readConfig(): Promise<LoadedConfig> {
    const file = await configFile(io, globals().config);
    // Learnt from the raw text first: a config that fails to load is quoted by its errors.
    if (file !== undefined && secrets) secrets.add(await secretsInConfigFile(file));
    const loaded = await loadConfig({ ...(file === undefined ? {} : { file }), env: io.env });
    secrets?.add(secretsOfConfig(loaded.config));
    for (const warning of loaded.warnings) runtime.warn(warning);
    return loaded;
  }
  // Read once per run, even when a plan is computed before the work itself.
  let loading: Promise<LoadedConfig> | undefined;
  const runtime: CommandRuntime = {
    io,
    globals,
    style: (stream = io.stdout) => createOutputStyle(wantsColor(stream, io.env, globals().color)),
    loadConfig() {
      loading ??= readConfig();
      return loading;
    },
    async callOperation(name, command, options) {
      const { config } = await runtime.loadConfig();
      throwIfCancelled(io.signal, command);
      const renderer = createProgressRenderer({
        stream: io.stderr,
        mode: chooseProgressMode(io.stderr, globals().json),
        color: wantsColor(io.stderr, io.env, globals().color),
      });
      let result: OperationResult;
      try {
        const operation = operations[name] as (config: A4cAdminConfig, options: unknown, context: unknown) => Promise<OperationResult>;
        result = await operation.call(operations, config, options, { onProgress: renderer.onProgress, signal: io.signal });
      } catch (error) {
        if (io.signal.aborted && !(isA4cAdminError(error) && error.code === 'CANCELLED')) {
          // The operation stopped on the abort without saying so in its own words.
          throw new A4cAdminError('CANCELLED', `${command} was stopped by Ctrl-C before it finished.`, {
            hint: `Run \`a4c-admin list\` to see what exists, then run \`a4c-admin ${command}\` again.`,
            cause: error,
          });
        }
        throw error;
      } finally {
        renderer.stop();
      }
      if (io.signal.aborted) {
        // The stop request came after the last safe point: everything was done. Exit 130 all
        // the same (the operator asked to stop, and a script must see it), saying so.
        throw new A4cAdminError('CANCELLED', `${command} had already finished everything when it was stopped: nothing is left half done.`, {
          hint: `Nothing to re-run; \`a4c-admin list\` shows the backups.`,
        });
      }
      return result;
    },
    async runOperation(name, command, options) {
      runtime.printResult(command, await runtime.callOperation(name, command, options));
    },
    canAsk: () => canAsk(io.stdin, io.stderr, globals().json),
    requireConsent(command, yes, hasDryRun = false) {
      if (yes || runtime.canAsk()) return;
      const why = globals().json ? 'with --json nobody is asked' : 'standard input is not a terminal';
      throw new A4cAdminError('USAGE', `${command} removes or replaces data and asks for confirmation first, but ${why}; nothing was changed.`, {
        hint: `Add --yes (-y) to confirm in a script${hasDryRun ? ' (--dry-run shows first what it would do)' : ''}, or run it on a terminal to answer the question.`,
        details: { command },
      });
    },
    async confirm(command, plan, question) {
      const style = runtime.style(io.stderr);
      io.stderr.write(`${plan.map((line) => `  ${line}`).join('\n')}\n`);
      if (!(await runtime.ask(style.bold(question)))) {
        throw new A4cAdminError('CANCELLED', `${command} not confirmed: nothing was changed.`, {
          hint: `Answer y to go ahead, or pass --yes (-y) in a script.`,
        });
      }
    },
    async ask(question) {
      if (!runtime.canAsk() || !io.stdin) return false;
      return askYesNo(io.stdin, io.stderr, question, io.signal);
    },
    printResult(command, result) {
      if (globals().json) io.stdout.write(`${JSON.stringify({ ok: true, command, result })}\n`);
      else io.stdout.write(renderResult(result, runtime.style()));
    },
    warn(message) {
      if (globals().json) io.stderr.write(`${JSON.stringify({ type: 'warning', message })}\n`);
      else io.stderr.write(`${runtime.style(io.stderr).yellow('warning:')} ${message}\n`);
    },
  };
  return runtime;
}

/** -c wins; then A4C_ADMIN_CONFIG (read by core); then the seed's default path when it exists. */
async function configFile(io: CliIo, explicit: string | undefined): Promise<string | undefined> {
  if (explicit !== undefined) return resolve(io.cwd, explicit);
  if (io.env.A4C_ADMIN_CONFIG) return resolve(io.cwd, io.env.A4C_ADMIN_CONFIG);
  const fallback = resolve(io.cwd, DEFAULT_CONFIG_FILE);
  try {
    await access(fallback);
    return fallback;
  } catch {
    // A configuration made only of environment variables is fine when it names the folders.
    if (io.env.A4C_ADMIN_DATA_DIR !== undefined || io.env.A4C_ADMIN_BACKUP_DIR !== undefined) return undefined;
    throw new A4cAdminError('CONFIG_NOT_FOUND', `No configuration: ${fallback} does not exist.`, {
      hint: 'Pass -c <file>, set A4C_ADMIN_CONFIG, or create config/admin-tool-config.yml (see `a4c-admin config schema`).',
      details: { path: fallback },
    });
  }
}

/** The secrets written in a config file, read only when it is a regular file of a sane size (never a FIFO). */
async function secretsInConfigFile(file: string): Promise<string[]> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > 4 * 1024 * 1024) return [];
    return secretsInText(await readRegularTextFile(file));
  } catch {
    // Unreadable: the loader says why; nothing of it can be printed either.
    return [];
  }
}

function throwIfCancelled(signal: AbortSignal, command: string): void {
  if (signal.aborted) {
    throw new A4cAdminError('CANCELLED', `${command} was stopped by Ctrl-C before it started; nothing was changed.`);
  }
}
