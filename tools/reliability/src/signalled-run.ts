// Runs the built binary and sends it SIGINT or SIGTERM after a delay, measuring how long it
// takes to exit after the signal: the cancel trials' "exit 130 within 2 s" is measured here.
import { spawn } from 'node:child_process';
import { BINARY, parseToolJson, type ToolRun, toolEnvironment } from './run-tool.js';

export interface SignalledRun extends ToolRun {
  /** The signal sent, or undefined when the tool ended before the moment came. */
  sent: NodeJS.Signals | undefined;
  /** Milliseconds from the signal to the process's exit. */
  exitAfterSignalMs: number | undefined;
  /** The tool gave up waiting for the operation and left on its own grace timer. */
  forced: boolean;
  /** The signal came while the tool was still loading: it left at once, having done nothing. */
  beforeStart: boolean;
}

/**
 * `a4c-admin <args>`, sent `signal` unless it has ended: after `moment` milliseconds, or as
 * soon as its stderr (the --json progress events) matches `moment`. SIGKILLed after `timeoutMs`.
 */
export function runAndSignal(args: string[], signal: NodeJS.Signals, moment: number | RegExp, timeoutMs = 180_000): Promise<SignalledRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { env: toolEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | undefined;
    let exitedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const send = () => {
      if (signalledAt === undefined && child.exitCode === null && child.signalCode === null && child.kill(signal)) signalledAt = Date.now();
    };
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (moment instanceof RegExp && moment.test(stderr)) send();
    });
    const signalTimer = typeof moment === 'number' ? setTimeout(send, moment) : undefined;
    const timeout = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    // 'exit' is the moment the process is gone; 'close' waits for its pipes to be read.
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('close', (status, exitSignal) => {
      clearTimeout(signalTimer);
      clearTimeout(timeout);
      resolve({
        args,
        status,
        signal: exitSignal,
        stdout,
        stderr,
        json: parseToolJson(stdout),
        killed: exitSignal === 'SIGKILL',
        durationMs: Date.now() - started,
        sent: signalledAt === undefined ? undefined : signal,
        exitAfterSignalMs: signalledAt === undefined ? undefined : (exitedAt ?? Date.now()) - signalledAt,
        forced: /did not stop within/.test(stderr),
        beforeStart: /before a4c-admin had started: nothing was done/.test(stderr),
      });
    });
  });
}
