#!/usr/bin/env node
// The a4c-admin binary: the only place that touches signals and calls process.exit.
// First Ctrl-C aborts the running operation cleanly; a second one forces the exit.
import { A4cAdminError } from '@a4c-admin/core';
import { runCli } from './cli.js';
import { EXIT_CODES } from './exit-codes.js';

const controller = new AbortController();
let interrupted = false;

function interrupt(signal: NodeJS.Signals): void {
  if (interrupted) {
    // The progress bars hide the cursor; give it back before leaving abruptly.
    if (process.stderr.isTTY) process.stderr.write('\u001b[?25h');
    process.stderr.write('\nforced exit: the operation may have left a lock or a partial backup behind (the next run detects it).\n');
    process.exit(EXIT_CODES.cancelled);
  }
  interrupted = true;
  process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping cleanly (releasing locks, removing partial state); press Ctrl-C again to force.\n`);
  controller.abort(new A4cAdminError('CANCELLED', `stopped by ${signal}`));
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = exitCode;
// Waits for stdout to drain (a big --json result piped into jq) before leaving.
process.stdout.write('', () => process.exit(exitCode));
