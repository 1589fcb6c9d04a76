// The end-to-end tests drive the built `a4c-admin` binary as an operator would: a child
// process with pipes (so not a terminal), against a sample A4C installation on the real node.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createElasticsearchClient } from '@a4c-admin/es-snapshot';
import { type SampleInstallation, setUpSampleInstallation } from '@a4c-admin/sample-data';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';

/** The built binary: the e2e tests test what ships, so `pnpm build` comes first. */
export const BINARY = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`pnpm build\` before the end-to-end tests.`);
}

export interface BinaryRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Called once the child is started (to signal or kill it). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs `node dist/bin.js <args>` with pipes and resolves when it exits, whatever the status. */
export function runBinary(args: readonly string[], options: RunOptions = {}): Promise<BinaryRun> {
  return runExecutable(process.execPath, [BINARY, ...args], options);
}

/** Runs `<executable> <args>` (the built binary through node, or the standalone executable) as runBinary does. */
export function runExecutable(executable: string, args: readonly string[], options: RunOptions = {}): Promise<BinaryRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      cwd: options.cwd ?? tmpdir(),
      // No FORCE_COLOR / NO_COLOR from the developer's shell: the tests decide.
      env: { ...withoutColorVariables(process.env), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started }));
    options.onSpawn?.(child);
  });
}

function withoutColorVariables(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, A4C_ADMIN_CONFIG: _config, ...rest } = env;
  return rest;
}

/** The one JSON document that `--json` promises on stdout. */
export function parseJsonResult<T = Record<string, unknown>>(run: BinaryRun): { ok: boolean; command: string; result: T; error?: JsonError } {
  const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected exactly one JSON line on stdout, got ${lines.length}:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return JSON.parse(lines[0]!) as { ok: boolean; command: string; result: T; error?: JsonError };
}

export interface JsonError {
  code: string;
  category: string;
  message: string;
  hint?: string;
  exitCode: number;
  details?: Record<string, unknown>;
}

/** Every stderr line of a `--json` run is one JSON event. */
export function parseEvents(run: BinaryRun): Array<Record<string, unknown>> {
  return run.stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`stderr line is not JSON: ${line}`);
      }
    });
}

/** For failure messages: what the binary said. */
export function describeRun(run: BinaryRun): string {
  return `exit ${run.code ?? run.signal} after ${run.durationMs} ms\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

export interface E2eInstallation extends SampleInstallation {
  prefix: string;
  /** The installation folder (config/, data/, backups/, export/). */
  folder: string;
  exportDir: string;
  repositoryName: string;
  url: string;
  /** `a4c-admin -c <configFile> <args>`. */
  run(args: readonly string[], options?: RunOptions): Promise<BinaryRun>;
  cleanup(): Promise<void>;
}

export interface E2eInstallationOptions {
  /** Size factor of the generated data folder. */
  scale?: number;
  /** Extra copies of the application documents. */
  multiply?: number;
  /** Only these A4C indices (base names); all 34 of the sample by default. */
  indices?: readonly string[];
}

/**
 * A sample A4C 1.1.0 installation under a unique index prefix, with its own snapshot
 * repository (so that parallel sessions never see each other's snapshots), and a config
 * file written as JSON, which YAML reads as it is.
 */
export async function createE2eInstallation(options: E2eInstallationOptions = {}): Promise<E2eInstallation> {
  assertBuilt();
  const elasticsearch = testElasticsearch();
  const prefix = `${uniqueName('e2e')}-`;
  const repositoryName = prefix.slice(0, -1);
  const folder = await mkdtemp(join(tmpdir(), 'a4c-e2e-'));
  const sample = await setUpSampleInstallation({
    node: elasticsearch.url,
    folder,
    prefix,
    seed: prefix,
    ...(options.scale === undefined ? {} : { scale: options.scale }),
    ...(options.multiply === undefined ? {} : { multiply: options.multiply }),
    ...(options.indices === undefined ? {} : { indices: options.indices }),
  });
  const exportDir = join(folder, 'export');
  await writeFile(
    sample.configFile,
    `${JSON.stringify(
      {
        elasticsearch: { addresses: [elasticsearch.url], index_prefix: prefix, repository: { name: repositoryName, location: repositoryName } },
        exporter: { dir: exportDir },
        backup: { files_dir: sample.backupDir, config_files: [sample.alien4cloudConfigFile, sample.elasticsearchConfigFile] },
        alien4cloud: { dir: sample.dataDir },
      },
      null,
      2,
    )}\n`,
  );
  return {
    ...sample,
    prefix,
    folder,
    exportDir,
    repositoryName,
    url: elasticsearch.url,
    run: (args, runOptions) => runBinary(['-c', sample.configFile, ...args], runOptions),
    async cleanup() {
      const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
      try {
        await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
        const snapshots = await client.snapshot.get({ repository: repositoryName, snapshot: '_all' }).catch(() => ({ snapshots: [] }));
        for (const snapshot of snapshots.snapshots ?? [])
          await client.snapshot.delete({ repository: repositoryName, snapshot: snapshot.snapshot }, { ignore: [404] });
        await client.snapshot.deleteRepository({ name: repositoryName }, { ignore: [404] });
      } finally {
        await client.close();
      }
      // The repository's files sit under the node's path.repo, when the tests know where it is.
      if (elasticsearch.repoPath) await rm(join(elasticsearch.repoPath, repositoryName), { recursive: true, force: true });
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * A 1.2.0 provider archive for `plugins swap`: the sample's cloudify 3 plugin (1.1.0) with a
 * new version and new code, zipped at `archive`.
 */
export async function buildProviderArchive(installation: E2eInstallation, archive: string): Promise<void> {
  const execFileAsync = promisify(execFile);
  const staging = await mkdtemp(join(installation.folder, 'provider-1.2.0-'));
  await execFileAsync('unzip', ['-q', join(installation.dataDir, 'plugins', 'alien-cloudify-3-orchestrator-1.1.0.zip'), '-d', staging]);
  const descriptor = join(staging, 'META-INF', 'plugin.yml');
  await writeFile(descriptor, (await readFile(descriptor, 'utf8')).replace(/^version: .*$/m, 'version: 1.2.0'));
  await writeFile(join(staging, 'ui', 'plugin.js'), '// cloudify 3 provider 1.2.0\n');
  await execFileAsync('zip', ['-qr', archive, '.'], { cwd: staging });
  await rm(staging, { recursive: true, force: true });
}

/** Terminal escape sequences (colours, cursor moves): none may reach a pipe. */
// eslint-disable-next-line no-control-regex
export const ESCAPE_SEQUENCE = /\u001b\[/;
