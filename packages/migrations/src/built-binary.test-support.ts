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

/** `a4c-admin <args>` in `cwd`, SIGKILLed after `killAfterMs` unless it ended first. */
export function runBinary(args: string[], cwd: string, killAfterMs?: number): Promise<BinaryRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => (killed = child.exitCode === null && child.kill('SIGKILL')), killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** A run as a failed assertion shows it. */
export function describeRun(run: BinaryRun): string {
  return `exit ${run.code}${run.killed ? ' (killed)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}
