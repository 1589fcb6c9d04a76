#!/usr/bin/env node
// The a4c-admin binary: the only place that touches signals and calls process.exit.
// First Ctrl-C (or SIGTERM) aborts the running operation cleanly; a second one forces the
// exit. Either way the process is gone within CANCEL_GRACE_MS of the first signal: an
// operation stuck in a call that ignores the abort must not keep the operator waiting.
//
// Only tiny modules are imported statically: the handlers are installed before the CLI and
// its dependencies load (a few hundred ms), so that a signal in that window still ends in
// exit 130 rather than the default death by signal.
import { setMaxListeners } from 'node:events';
import { guardAgainstBrokenPipe } from './broken-pipe-guard.js';

/** EXIT_CODES.cancelled (exit-codes.ts loads core, which is not loaded yet when the first signal may come). */
const CANCELLED_EXIT_STATUS = 130;
/** How long a cancelled operation gets to stop at a safe point before the process leaves anyway. */
// 1 s: with the exit itself and a busy machine, the process is gone well within the 2 s promised.
const CANCEL_GRACE_MS = 1_000;

// Before anything is written: a closed stdout or stderr must never end the run.
guardAgainstBrokenPipe(process.stdout);
guardAgainstBrokenPipe(process.stderr);

// The AWS SDK (the off-host commands) warns on Node < 22 that its releases after January 2027
// will need Node 22: a notice to whoever upgrades the SDK, which this binary pins, not to the
// operator. It went to stderr among --json's NDJSON lines, and broke scripts that parse them.
// The SDK's own switch turns it off; an operator who sets the variable keeps their value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const controller = new AbortController();
// Many requests of one operation listen on this signal at once: Node's default of 10 printed a
// MaxListenersExceededWarning into the terminal (core's allowConcurrentListeners says more).
setMaxListeners(256, controller.signal);
let interrupted = false;
/** False while the CLI's modules load: nothing has been done yet, so a signal needs no clean-up. */
let started = false;
/** True once the operation has returned and its result is being written: a signal can no longer stop anything. */
let finished = false;

function forcedExit(reason: string): never {
  // The progress bars hide the cursor; give it back before leaving abruptly.
  if (process.stderr.isTTY) process.stderr.write('\u001b[?25h');
  process.stderr.write(
    `\n${reason}: exiting now. What the operation was doing may be half done, as after a crash: the next run of the same command detects it (a stale lock, a partial backup, a file-tree journal) and recovers.\n`,
  );
  process.exit(CANCELLED_EXIT_STATUS);
}

function interrupt(signal: NodeJS.Signals): void {
  if (finished) {
    // Saying "cancelled" now would be false: everything was done, and the exit status says how it went.
    process.stderr.write(`\n${signal} after a4c-admin had finished: the result stands; exiting.\n`);
    return;
  }
  if (interrupted) forcedExit(`second ${signal}`);
  if (!started) {
    process.stderr.write(`\n${signal} before a4c-admin had started: nothing was done.\n`);
    process.exit(CANCELLED_EXIT_STATUS);
  }
  interrupted = true;
  process.stderr.write(
    `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping cleanly (releasing locks, removing partial state); press Ctrl-C again to force.\n`,
  );
  // The operations turn any abort into their own CANCELLED error, which says what was done.
  controller.abort(new Error(`stopped by ${signal}`));
  // unref: a run that stops in time exits on its own, without waiting for this timer.
  setTimeout(() => forcedExit(`the operation did not stop within ${CANCEL_GRACE_MS / 1000} s of ${signal}`), CANCEL_GRACE_MS).unref();
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

// A function rather than top-level await: the standalone executable bundles this file as
// CommonJS (Node 20's single executable applications run CommonJS only), which has none.
async function main(): Promise<void> {
  const { runCli } = await import('./cli.js');
  started = true;
  const exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
  finished = true;
  process.exitCode = exitCode;
  // Waits for stdout to drain (a big --json result piped into jq) before leaving; a reader that
  // went away gets nothing more (the guard calls back at once).
  process.stdout.write('', () => process.exit(exitCode));
}
void main();
