// The built `a4c-admin` binary (packages/cli/dist: `pnpm build` first), for the migration tests
// that show a path through the command line too: run as a child process with pipes, optionally
// SIGKILLed after a delay (the crash trials).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BINARY = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

export interface BinaryRun {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Fails, saying what to do, when the binary was not built. */
export function assertBinaryBuilt(): void {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`pnpm build\` first.`);
}

/**
 * `a4c-admin <args>` in `cwd`, SIGKILLed unless it ended first: `kill` milliseconds after the
 * start, or as soon as `kill` says yes to its stderr so far (the progress events of --json).
 */
export function runBinary(args: string[], cwd: string, kill?: number | ((stderr: string) => boolean)): Promise<BinaryRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const killNow = () => {
      if (!killed && child.exitCode === null) killed = child.kill('SIGKILL');
    };
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (typeof kill === 'function' && kill(stderr)) killNow();
    });
    const timer = typeof kill === 'number' ? setTimeout(killNow, kill) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** The progress events a --json run wrote to stderr so far (one JSON line each). */
export function progressEvents(stderr: string): number {
  return stderr.split('\n').filter((line) => line.startsWith('{"type":"progress"')).length;
}

/** A run as a failed assertion shows it. */
export function describeRun(run: BinaryRun): string {
  return `exit ${run.code}${run.killed ? ' (killed)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}
