// What every command shares: the global options, config loading (-c > A4C_ADMIN_CONFIG >
// config/admin-tool-config.yml), the progress renderer, calling one operation, printing
// its result. Command files only translate their flags and call `runOperation`.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { A4cAdminError, isA4cAdminError, loadConfig, type A4cAdminConfig, type LoadedConfig } from '@a4c-admin/core';
import type { OperationName, OperationResult, Operations } from './operations.js';
import { createOutputStyle, wantsColor, type OutputStream, type OutputStyle } from './output-style.js';
import { chooseProgressMode, createProgressRenderer } from './progress-renderer.js';
import { renderResult } from './render-result.js';

/** The seed's location of the config file, relative to the working folder. */
export const DEFAULT_CONFIG_FILE = 'config/admin-tool-config.yml';

/** The outside world of one CLI run: injected so that tests and the demo can run it in-process. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
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
  /** Prints a result: JSON on stdout with --json, text otherwise. */
  printResult(command: string, result: OperationResult): void;
  warn(message: string): void;
}

export function createCommandRuntime(io: CliIo, operations: Operations, globals: () => GlobalOptions): CommandRuntime {
  const runtime: CommandRuntime = {
    io,
    globals,
    style: (stream = io.stdout) => createOutputStyle(wantsColor(stream, io.env, globals().color)),
    async loadConfig() {
      const file = await configFile(io, globals().config);
      const loaded = await loadConfig({ ...(file === undefined ? {} : { file }), env: io.env });
      for (const warning of loaded.warnings) runtime.warn(warning);
      return loaded;
    },
    async runOperation(name, command, options) {
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
      runtime.printResult(command, result);
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

function throwIfCancelled(signal: AbortSignal, command: string): void {
  if (signal.aborted) {
    throw new A4cAdminError('CANCELLED', `${command} was stopped by Ctrl-C before it started; nothing was changed.`);
  }
}
