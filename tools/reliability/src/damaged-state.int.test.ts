// Damaged state met by an ordinary run: a snapshot file truncated or a repository folder gone
// or unreadable (said as such, never as "deleted"; list and prune go on with the others), a
// damaged or unknown data-version marker (a clear error, never a TypeError, and doctor says
// so), and the one lock that every change to the installation takes, which a live process on
// this host never loses. Everything through the built binary on the real node.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterState, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runToolPatiently } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const INDICES = ['application', 'csar', 'plugin', 'user'];

let installation: TestInstallation;

beforeAll(async () => {
  assertBinaryBuilt();
  const es = testElasticsearch();
  installation = await createTestInstallation({
    urls: [es.url],
    repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
    indices: INDICES,
    label: 'rel-damaged',
  });
  for (const name of ['intact-old', 'truncated', 'intact-new']) {
    const run = await tool(['backup', '1.1.0', '-n', name]);
    expect(run.status, describeRun(run)).toBe(0);
  }
});

afterAll(async () => {
  await installation?.cleanup();
});

const tool = (args: string[]) => runToolPatiently(['--json', '-c', installation.configFile, ...args]);

async function snapshotUuid(name: string): Promise<string> {
  return JSON.parse(await readFile(join(installation.backupDir, name, 'manifest.json'), 'utf8')).snapshot.uuid;
}

type Listed = Array<{ name: string; state: string; problem?: string }>;

describe('a damaged repository', () => {
  it('one truncated snap-*.dat: list shows that backup broken with the reason and the others whole; verify says unreadable, not deleted; prune goes on', async () => {
    const file = join(installation.repository.location, `snap-${await snapshotUuid('truncated')}.dat`);
    const original = await readFile(file);
    await truncate(file, 40);
    try {
      const listed = await tool(['list']);
      expect(listed.status, describeRun(listed)).toBe(0);
      const backups = (listed.json!.result as { backups: Listed }).backups;
      expect(backups.find((backup) => backup.name === 'truncated')).toMatchObject({ state: 'broken', problem: expect.stringMatching(/cannot be read/) });
      for (const name of ['intact-old', 'intact-new']) expect(backups.find((backup) => backup.name === name)).toMatchObject({ state: 'complete' });

      const verified = await tool(['verify', 'truncated']);
      expect(verified.status, describeRun(verified)).toBe(5);
      expect(verified.json?.error?.code).toBe('REPOSITORY_VERIFY_FAILED');
      expect(verified.json?.error?.message).toMatch(/cannot read snapshot truncated/);
      expect(verified.json?.error?.message).not.toMatch(/was deleted|is not in repository/);

      // prune keeps the newest, deletes intact-old, leaves the broken one alone and says so.
      const pruned = await tool(['prune', '--keep-last', '1', '--yes']);
      expect(pruned.status, describeRun(pruned)).toBe(0);
      expect(pruned.json?.result).toMatchObject({ deleted: ['intact-old'], skipped: ['truncated'] });
    } finally {
      await writeFile(file, original);
    }
  });

  it('a repository folder unreadable (mode 000), then gone: said as such, never as a deleted snapshot; nothing changed', async () => {
    const location = installation.repository.location;
    const backupsBefore = await treeState(installation.backupDir);
    for (const damage of ['unreadable', 'gone'] as const) {
      if (damage === 'unreadable') await chmod(location, 0o000);
      else await rename(location, `${location}.away`);
      try {
        const verified = await tool(['verify', 'intact-new']);
        expect(verified.status, describeRun(verified)).toBe(5);
        expect(verified.json?.error?.code, describeRun(verified)).toBe('REPOSITORY_VERIFY_FAILED');
        expect(verified.json?.error?.hint).toMatch(/repository folder/);
        const listed = await tool(['list']);
        expect(listed.status, describeRun(listed)).toBe(0);
        const entry = (listed.json!.result as { backups: Listed }).backups.find((backup) => backup.name === 'intact-new');
        expect(entry?.problem ?? '', describeRun(listed)).not.toMatch(/MISSING/);
      } finally {
        if (damage === 'unreadable') await chmod(location, 0o755);
        else await rename(`${location}.away`, location);
      }
    }
    expect(await treeState(installation.backupDir)).toEqual(backupsBefore);
    const verified = await tool(['verify', 'intact-new']);
    expect(verified.status, describeRun(verified)).toBe(0);
  });
});

describe('a damaged data-version marker', () => {
  const markerIndex = () => `${installation.prefix}a4c-admin-data-version`;

  async function putMarker(document: Record<string, unknown>): Promise<void> {
    // A fresh index each time: a damaged document may have mapped a field with another type.
    await installation.client.indices.delete({ index: markerIndex() }, { ignore: [404] });
    await installation.client.index({ index: markerIndex(), id: 'data-version', document, refresh: true });
  }

  afterAll(async () => {
    await installation?.client.indices.delete({ index: markerIndex() }, { ignore: [404] });
  });

  it('a marker without its history, or not an object: every command that reads it stops with a clear error (exit 5), nothing changed', async () => {
    for (const document of [{ version: '1.1.0' }, { version: ['1.1.0'], history: 'x', updatedAt: 3 }]) {
      await putMarker(document);
      const before = await clusterState(installation.client, installation.prefix, installation.repository.name);
      for (const args of [['backup', '-n', 'never'], ['migrate', '1.1.0', '--dry-run'], ['doctor']]) {
        const run = await tool(args);
        expect(run.status, describeRun(run)).toBe(5);
        expect(run.json?.error?.code, describeRun(run)).toBe('PRECONDITION_FAILED');
        expect(run.json?.error?.message).toMatch(/data-version marker in .* is damaged/);
        expect(run.stdout + run.stderr).not.toMatch(/Cannot read properties/);
      }
      expect(await clusterState(installation.client, installation.prefix, installation.repository.name)).toEqual(before);
    }
  });

  it('a marker with a version the tool does not know (9.9.9): doctor reports it as a problem, backup refuses', async () => {
    await putMarker({ version: '9.9.9', updatedAt: new Date().toISOString(), history: [] });
    const doctor = await tool(['doctor']);
    expect(doctor.status, describeRun(doctor)).toBe(5);
    expect(doctor.json?.error?.message).toMatch(/data version.*9\.9\.9/);
    const backup = await tool(['backup', '-n', 'never']);
    expect(backup.status, describeRun(backup)).toBe(5);
    expect(backup.json?.error?.code).toBe('VERSION_MISMATCH');
    expect(backup.json?.error?.message).toMatch(/9\.9\.9.*does not know/);
  });
});

describe('one lock for every change to the installation', () => {
  let holder: ChildProcess;

  afterAll(() => {
    holder?.kill('SIGKILL');
  });

  it('a live process on this host holding the lock, however old its heartbeat, keeps it against restore, migrate (rollback, finalize), plugins swap, delete, prune and backup', async () => {
    holder = spawn('sleep', ['600'], { stdio: 'ignore' });
    const lockFile = join(installation.backupDir, '.a4c-admin.lock');
    const old = new Date(Date.now() - 3_600_000).toISOString();
    for (const operation of ['restore', 'migrate']) {
      await writeFile(
        lockFile,
        JSON.stringify({ owner: 'someone', operation, host: hostname(), pid: holder.pid, startedAt: old, heartbeatAt: old, token: 'held' }),
        { mode: 0o600 },
      );
      const before = await clusterState(installation.client, installation.prefix, installation.repository.name);
      for (const args of [
        ['restore', '1.1.0', '-n', 'intact-new', '--yes'],
        ['migrate', '1.1.0'],
        ['migrate', '1.1.0', '--rollback', '--yes'],
        ['migrate', '1.1.0', '--finalize', '--yes'],
        ['plugins', 'swap', 'alien-cloudify-3-orchestrator', '--archive', join(installation.root, 'plugin.zip')],
        ['delete', 'intact-new', '--yes'],
        ['prune', '--keep-last', '1', '--yes'],
        ['backup', '1.1.0', '-n', 'locked-out'],
      ]) {
        const run = await tool(args);
        expect(run.status, describeRun(run)).toBe(7);
        expect(run.json?.error?.code).toBe('LOCKED');
        expect(run.json?.error?.message).toContain(`pid ${holder.pid}`);
      }
      expect(JSON.parse(await readFile(lockFile, 'utf8')).token).toBe('held');
      expect(await clusterState(installation.client, installation.prefix, installation.repository.name)).toEqual(before);
    }
  });
});
