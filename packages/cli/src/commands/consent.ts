// The questions a command asks before it removes or replaces data, shared by restore,
// delete, prune and migrate: the plan and [y/N], or --yes; whether A4C is stopped when
// that cannot be told, or --a4c-stopped.
import { isA4cAdminError } from '@a4c-admin/core';
import { type Command, Option } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';

export function addYesOption(command: Command): Command {
  return command.option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal, and with --json)', false);
}

export function addA4cStoppedOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--a4c-stopped',
      'state that Alien4Cloud is stopped when a4c-admin cannot tell (a port that accepts but does not answer); A4C found running is still refused',
    ).default(false),
  );
}

/**
 * Runs `work`; when it is refused because A4C's state is unknown and a person is at the
 * terminal, asks whether A4C is stopped and runs it again with their word. The refusal comes
 * before any change, so running again is safe.
 */
export async function askingWhetherA4cStopped<T>(runtime: CommandRuntime, a4cStopped: boolean, work: (a4cStopped: boolean) => Promise<T>): Promise<T> {
  try {
    return await work(a4cStopped);
  } catch (error) {
    if (a4cStopped || !isA4cAdminError(error) || error.code !== 'A4C_STATE_UNKNOWN' || !runtime.canAsk()) throw error;
    runtime.io.stderr.write(`${error.message}\n`);
    if (!(await runtime.ask('Is Alien4Cloud stopped?'))) throw error;
    return work(true);
  }
}

/** The lines of a dry run's summary that say what would happen (without its "nothing was changed" title). */
export function planLines(result: Record<string, unknown>): string[] {
  const summary = result.summary;
  const lines = Array.isArray(summary) ? summary.map(String) : typeof summary === 'string' ? [summary] : [];
  return lines.length > 1 ? lines.slice(1) : lines;
}
