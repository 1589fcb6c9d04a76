// Runs the built binary and sends it SIGINT or SIGTERM after a delay, measuring how long it
// takes to exit after the signal: the cancel trials' "exit 130 within 2 s" is measured here.
import { spawn } from 'node:child_process';
import { BINARY, parseToolJson, type ToolRun, toolEnvironment } from './run-tool.js';

export interface SignalledRun extends ToolRun {
  /**
   * The signal sent while the tool was working, or undefined when it ended first: before the
   * moment came, or while it was leaving with its work done (see `lateSignal`).
   */
  sent: NodeJS.Signals | undefined;
  /**
   * The signal was sent, but as the tool was leaving: it had printed a successful result and
   * did not take the signal for a stop (it says so, or the process was gone before its handler
   * could run). The result stands; nothing was cancelled.
   */
  lateSignal: NodeJS.Signals | undefined;
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
      const json = parseToolJson(stdout);
      const late =
        signalledAt !== undefined &&
        status === 0 &&
        json?.ok === true &&
        (/after a4c-admin had finished: the result stands/.test(stderr) || !/stopping cleanly/.test(stderr));
      resolve({
        args,
        status,
        signal: exitSignal,
        stdout,
        stderr,
        json,
        killed: exitSignal === 'SIGKILL',
        durationMs: Date.now() - started,
        sent: signalledAt === undefined || late ? undefined : signal,
        lateSignal: late ? signal : undefined,
        exitAfterSignalMs: signalledAt === undefined ? undefined : (exitedAt ?? Date.now()) - signalledAt,
        forced: /did not stop within/.test(stderr),
        beforeStart: /before a4c-admin had started: nothing was done/.test(stderr),
      });
    });
  });
}
