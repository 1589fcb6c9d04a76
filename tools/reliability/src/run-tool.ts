// Runs the real, built `a4c-admin` binary in a child process, as an operator would, and
// captures what it said. Optionally kills it with SIGKILL after a delay (fault trials).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The binary under test: what `pnpm build` produces, never the sources. */
export const BINARY = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

export interface ToolRun {
  args: string[];
  /** Exit status; null when killed by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is one JSON document (what --json prints). */
  json:
    | { ok: boolean; command?: string; result?: unknown; error?: { code: string; category: string; message: string; hint?: string; exitCode: number } }
    | undefined;
  killed: boolean;
  durationMs: number;
}

export interface RunToolOptions {
  cwd?: string;
  /** Added to a clean environment (no A4C_ADMIN_* of the test runner leaks in). */
  env?: Record<string, string>;
  /** Send SIGKILL after this many milliseconds, unless the tool has ended. */
  killAfterMs?: number;
  /** Send SIGKILL when this returns true for a chunk of stderr (e.g. a progress phase started). */
  killWhen?: (stderr: string) => boolean;
  /** Called with all of stderr so far on each chunk: a fault can be injected at a given phase. */
  onStderr?: (stderr: string) => void;
  timeoutMs?: number;
}

export function assertBinaryBuilt(): void {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`pnpm build\` before the reliability suites.`);
}

/** Environment of the tool: the runner's, minus any A4C_ADMIN_* / A4C_TEST_* that would leak in. */
export function toolEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('A4C_ADMIN_') && !key.startsWith('A4C_TEST_')) environment[key] = value;
  }
  return { ...environment, NO_COLOR: '1' };
}

/** stdout parsed as the one JSON document --json prints, or undefined. */
export function parseToolJson(stdout: string): ToolRun['json'] {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

export function runTool(args: string[], options: RunToolOptions = {}): Promise<ToolRun> {
  const environment = { ...toolEnvironment(), ...options.env };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { cwd: options.cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed && child.exitCode === null) killed = child.kill('SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
      if (options.killWhen?.(stderr)) kill();
    });
    const killTimer = options.killAfterMs === undefined ? undefined : setTimeout(kill, options.killAfterMs);
    const timeout = setTimeout(kill, options.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(killTimer);
      clearTimeout(timeout);
      resolve({ args, status, signal, stdout, stderr, json: parseToolJson(stdout), killed, durationMs: Date.now() - started });
    });
  });
}

/** One line to put in an assertion message: what ran and what it said. */
export function describeRun(run: ToolRun): string {
  return `a4c-admin ${run.args.join(' ')} -> status ${run.status}${run.signal ? ` (${run.signal})` : ''}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(-2000)}`;
}

/**
 * runTool, again while Elasticsearch runs someone else's snapshot (SNAPSHOT_IN_PROGRESS): the
 * test nodes are shared with other suites, and one snapshot at a time is the cluster's rule.
 */
export async function runToolPatiently(args: string[], options: RunToolOptions = {}, patienceMs = 120_000): Promise<ToolRun> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const run = await runTool(args, options);
    if (run.json?.error?.code !== 'SNAPSHOT_IN_PROGRESS' || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
