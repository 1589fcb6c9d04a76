// runCli in-process with stand-in operations: checks what the CLI itself owns (argument
// mapping, result and event rendering, Ctrl-C handling), not what an operation does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { A4cAdminError } from '@a4c-admin/core';
import { createProgressReporter } from '@a4c-admin/core/internal';
import { writeSampleConfigs } from '@a4c-admin/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import type { CliIo } from './command-runtime.js';
import { type BackupCommandOptions, notWired, type OperationContext, type Operations } from './operations.js';
import { wiredOperations } from './wired-operations.js';

let folder: string;
let configFile: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-admin-cli-inprocess-'));
  ({ configFile } = await writeSampleConfigs({ folder, node: 'http://127.0.0.1:9200' }));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function capture(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 100, text: () => chunks.join(''), write: (chunk: string) => chunks.push(chunk) };
}

function io(signal: AbortSignal = new AbortController().signal) {
  const stdout = capture();
  const stderr = capture();
  const value: CliIo = { stdout, stderr, env: {}, cwd: folder, signal };
  return { io: value, stdout, stderr };
}

function operationsWith(overrides: Partial<Operations>): Operations {
  return { ...wiredOperations, ...overrides };
}

describe('runCli', () => {
  it('passes the parsed options to the operation and prints JSON result and NDJSON events', async () => {
    let received: BackupCommandOptions | undefined;
    const operations = operationsWith({
      async backup(_config, options, context) {
        received = options;
        const progress = createProgressReporter('backup', context.onProgress);
        progress.emit({ phase: 'snapshot', kind: 'start', total: 2, done: 0 });
        progress.emit({ phase: 'snapshot', kind: 'end', total: 2, done: 2 });
        return { name: options.name, indices: 34 };
      },
    });
    const { io: cliIo, stdout, stderr } = io();
    const code = await runCli(['-c', configFile, '--json', '-backup', '1.1.0', '-n', 'backup110', '--parts', 'csar,images'], cliIo, operations);
    expect(code).toBe(0);
    expect(received).toEqual({ version: '1.1.0', name: 'backup110', format: 'snapshot', parts: ['csar', 'images'] });
    expect(JSON.parse(stdout.text())).toEqual({ ok: true, command: 'backup', result: { name: 'backup110', indices: 34 } });
    const events = stderr
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual([
      expect.objectContaining({ type: 'progress', operation: 'backup', phase: 'snapshot', kind: 'start' }),
      expect.objectContaining({ type: 'progress', operation: 'backup', phase: 'snapshot', kind: 'end', done: 2 }),
    ]);
  });

  it('renders results as text: doctor checks with their fix, list as a table', async () => {
    const operations = operationsWith({
      doctor: async () => ({
        checks: [
          { name: 'cluster reachable', status: 'ok', detail: 'green, 3 nodes' },
          { name: 'path.repo', status: 'fail', detail: 'not set on node es-2', fix: 'add path.repo to elasticsearch.yml of es-2 and restart it' },
        ],
      }),
      list: async () => ({
        backups: [
          { name: 'backup110', version: '1.1.0', state: 'complete', bytes: 3 * 1024 * 1024 },
          { name: 'half', state: 'broken', problem: 'no manifest' },
        ],
      }),
    });
    const doctor = io();
    expect(await runCli(['-c', configFile, 'doctor'], doctor.io, operations)).toBe(0);
    expect(doctor.stdout.text()).toMatch(/^ok +cluster reachable: green, 3 nodes$/m);
    expect(doctor.stdout.text()).toMatch(/^fail path\.repo: not set on node es-2\n +fix: add path\.repo/m);
    const list = io();
    expect(await runCli(['-c', configFile, 'list'], list.io, operations)).toBe(0);
    expect(list.stdout.text().split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^NAME +VERSION +STATE +BYTES +PROBLEM$/),
      expect.stringMatching(/^backup110 +1\.1\.0 +complete +3\.0 MiB +-$/),
      expect.stringMatching(/^half +- +broken +- +no manifest$/),
    ]);
  });

  it('maps each error category to its exit status', async () => {
    const cases: Array<[A4cAdminError, number]> = [
      [new A4cAdminError('CLUSTER_UNREACHABLE', 'no node answers'), 4],
      [new A4cAdminError('A4C_RUNNING', 'A4C answers at http://a4c:8088'), 5],
      [new A4cAdminError('CHECKSUM_MISMATCH', 'csar/x.csar changed'), 6],
      [new A4cAdminError('LOCKED', 'a backup runs (pid 42)'), 7],
      [new A4cAdminError('SNAPSHOT_FAILED', '2 shards failed'), 8],
    ];
    for (const [error, status] of cases) {
      const { io: cliIo, stderr } = io();
      const code = await runCli(['-c', configFile, 'verify', 'backup110'], cliIo, operationsWith({ verify: async () => Promise.reject(error) }));
      expect(code).toBe(status);
      expect(stderr.text()).toContain(`error: ${error.message}`);
    }
  });

  it('reports an unexpected exception as internal (exit 1) with a hint to report it', async () => {
    const { io: cliIo, stderr } = io();
    const code = await runCli(['-c', configFile, 'list'], cliIo, operationsWith({ list: async () => Promise.reject(new TypeError('x is undefined')) }));
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/^error: x is undefined\nhint: .*bug/m);
  });

  it('aborts the running operation on Ctrl-C and exits 130 with what was done', async () => {
    const controller = new AbortController();
    let sawSignal = false;
    const operations = operationsWith({
      backup: (_config, _options, context: OperationContext) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => {
            sawSignal = true;
            reject(new A4cAdminError('CANCELLED', 'backup stopped after 12 of 34 indices; snapshot deleted, lock released.'));
          });
          // Ctrl-C once the operation runs: a fixed delay came before it started on a loaded
          // machine (config loading took longer), which tests the other case.
          setTimeout(() => controller.abort(), 10);
        }),
    });
    const { io: cliIo, stderr } = io(controller.signal);
    const running = runCli(['-c', configFile, 'backup', '1.1.0', '-n', 'b'], cliIo, operations);
    expect(await running).toBe(130);
    expect(sawSignal).toBe(true);
    expect(stderr.text()).toContain('cancelled: backup stopped after 12 of 34 indices');
  });

  it('turns an operation that dies on the abort without saying so into a cancellation', async () => {
    const controller = new AbortController();
    const operations = operationsWith({
      restore: (_config, _options, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          // Ctrl-C once the operation runs (a fixed delay may come before it starts on a loaded machine).
          setTimeout(() => controller.abort(), 10);
        }),
    });
    const { io: cliIo, stderr } = io(controller.signal);
    const running = runCli(['-c', configFile, 'restore', '1.1.0', '-n', 'b', '--yes'], cliIo, operations);
    expect(await running).toBe(130);
    expect(stderr.text()).toMatch(/cancelled: restore was stopped by Ctrl-C/);
  });

  it('exits 130 when the stop came after the last safe point, saying that everything was done', async () => {
    for (const command of [
      ['verify', 'b'],
      ['delete', 'b', '--yes'],
    ]) {
      const controller = new AbortController();
      const operations = operationsWith({
        // The operation ignores the abort (it was past its last safe point) and returns normally.
        [command[0] === 'delete' ? 'remove' : 'verify']: async () => {
          controller.abort();
          return { name: 'b' };
        },
      });
      const { io: cliIo, stderr } = io(controller.signal);
      expect(await runCli(['-c', configFile, ...command], cliIo, operations)).toBe(130);
      expect(stderr.text()).toMatch(/had already finished everything when it was stopped/);
    }
  });

  it('fails plainly for an operation that is not wired', async () => {
    const { io: cliIo, stderr } = io();
    const operations = { ...wiredOperations, pluginsSwap: notWired('plugins swap') };
    expect(await runCli(['-c', configFile, 'plugins', 'swap', 'p', '--archive', 'x.zip'], cliIo, operations)).toBe(1);
    expect(stderr.text()).toContain('`a4c-admin plugins swap` is not available yet');
  });
});
