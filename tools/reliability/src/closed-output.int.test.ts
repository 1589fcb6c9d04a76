// A reader that goes away must not kill the run (issue 12: `a4c-admin list | head -1` ended a
// restore with exit 1 and no message between its index restore and its file swap). The built
// binary runs with its stdout and/or stderr closed by the reader, at the start or part-way;
// every operation goes on to its end, and the exit status is the operation's own.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints, treeState } from './installation-state.js';
import { assertBinaryBuilt, BINARY, describeRun, runToolPatiently, toolEnvironment } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const INDICES = ['topology', 'application', 'plugin', 'orchestrator'];

interface ClosedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** What the reader got before it went away. */
  seen: string;
}

/**
 * Runs the binary; the reader of each stream named in `close` goes away when `when` says so:
 * 'start' (before anything is written) or 'first-line' (after the first bytes on that stream).
 */
function runWithReaderGone(args: string[], close: Array<'stdout' | 'stderr'>, when: 'start' | 'first-line'): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { env: toolEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = child[name];
      if (!close.includes(name)) {
        stream.on('data', (chunk: Buffer) => (seen += chunk.toString()));
        continue;
      }
      if (when === 'start') stream.destroy();
      else
        stream.once('data', (chunk: Buffer) => {
          seen += chunk.toString();
          stream.destroy();
        });
    }
    const timeout = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('exit', (status, signal) => {
      clearTimeout(timeout);
      resolve({ status, signal, seen });
    });
  });
}

describe('a closed output pipe never kills a run', () => {
  let installation: TestInstallation;
  let names: string[];
  let documents: Record<string, string>;
  let files: Record<string, string>;
  const damage = async () => {
    await installation.client.indices.delete({ index: `${installation.prefix}topology` }, { ignore: [404] });
    await rm(join(installation.dataDir, 'images'), { recursive: true, force: true });
    await writeFile(join(installation.dataDir, 'csar', 'stray.txt'), 'not in the backup');
  };
  const explain = (run: ClosedRun) => `status ${run.status}${run.signal ? ` (${run.signal})` : ''}; the reader saw: ${run.seen.slice(-2000)}`;

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: INDICES,
      label: 'rel-pipe',
    });
    names = Object.keys(installation.indices);
    documents = await documentFingerprints(installation.client, names);
    files = await treeState(installation.dataDir);
    const base = await runToolPatiently(['-c', installation.configFile, 'backup', '1.1.0', '-n', 'base']);
    expect(base.status, describeRun(base)).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await installation?.cleanup();
  });

  it('a restore whose stdout and stderr readers leave after its first progress line completes its file swap (exit 0)', async () => {
    await damage();
    const run = await runWithReaderGone(['-c', installation.configFile, 'restore', '1.1.0', '-n', 'base', '--yes'], ['stdout', 'stderr'], 'first-line');
    expect(run.status, explain(run)).toBe(0);
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
    expect(await treeState(installation.dataDir)).toEqual(files);
  }, 120_000);

  it('a --json restore whose stderr (progress) reader is gone from the start completes too, its JSON result still on stdout', async () => {
    await damage();
    const run = await runWithReaderGone(['--json', '-c', installation.configFile, 'restore', '1.1.0', '-n', 'base', '--yes'], ['stderr'], 'start');
    expect(run.status, explain(run)).toBe(0);
    expect(JSON.parse(run.seen)).toMatchObject({ ok: true, command: 'restore' });
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
    expect(await treeState(installation.dataDir)).toEqual(files);
  }, 120_000);

  it('`list | head -1`, `--json list | head -c 10`: exit 0', async () => {
    for (const args of [['list'], ['--json', 'list']]) {
      for (const when of ['start', 'first-line'] as const) {
        const run = await runWithReaderGone(['-c', installation.configFile, ...args], ['stdout'], when);
        expect(run.status, `${args.join(' ')} (reader gone at ${when}): ${explain(run)}`).toBe(0);
      }
    }
  }, 60_000);

  it('a backup with both readers gone from the start is made whole (exit 0), and a failing command keeps its own status', async () => {
    const run = await runWithReaderGone(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', 'unread'], ['stdout', 'stderr'], 'start');
    expect(run.status, explain(run)).toBe(0);
    const verified = await runToolPatiently(['-c', installation.configFile, 'verify', 'unread']);
    expect(verified.status, describeRun(verified)).toBe(0);
    // The same name again is refused (BACKUP_EXISTS, exit 5), whether anyone reads or not.
    const refused = await runWithReaderGone(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', 'unread'], ['stdout', 'stderr'], 'start');
    expect(refused.status, explain(refused)).toBe(5);
  }, 120_000);
});
