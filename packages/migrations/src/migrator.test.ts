import { join } from 'node:path';
import type { DataVersionMarker, IndexReader, IndexWriter, Lock, LockInfo, MigrationStateStore, StoredDocument } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { createMigrator, dryRunReportFolder, migrationWorkFolder, migratorSettings, preMigrationBackupName, quarantineFolder } from './migrator.js';
import { selectPlugin } from './plugins/select-plugin.js';

// The migrator's own rules and order; what the runner does to indices is tested on real nodes.
const unreachable = () => Promise.reject(new Error('the migrator must not get this far'));
const reader = { count: unreachable, definition: unreachable, read: unreachable } as unknown as IndexReader;
const writer = { create: unreachable, write: unreachable, remove: unreachable, setWriteBlock: unreachable } as unknown as IndexWriter;
const stateWith = (marker: DataVersionMarker | undefined): MigrationStateStore => ({
  readMarker: async () => marker,
  writeMarker: unreachable,
  resolve: unreachable,
  updateAliases: unreachable,
  listIndices: unreachable,
  storageLayout: unreachable,
  ownership: unreachable,
});
const info: LockInfo = { owner: 'test', operation: 'migrate', host: 'here', pid: 1, startedAt: '', heartbeatAt: '' };
const recordingLock = (events: string[]): Lock => ({
  async acquire(operation) {
    events.push(`lock ${operation}`);
    return { info, release: async () => void events.push('release') };
  },
  inspect: async () => undefined,
});

describe('migrator rules', () => {
  it('puts its files in exporter.dir, else backup.files_dir, and names its backup pre-migrate-<ms>', () => {
    const config = { exporter: { dir: '/x' }, backup: { files_dir: '/b' }, elasticsearch: { index_prefix: 'p-' }, poller: { scroll: { batch_size: 50 } } };
    expect(migrationWorkFolder(config as never)).toBe('/x');
    expect(migrationWorkFolder({ ...config, exporter: {} } as never)).toBe('/b');
    expect(migratorSettings(config as never)).toEqual({ indexPrefix: 'p-', pageSize: 50, workFolder: '/x' });
    expect(quarantineFolder('/x')).toBe(join('/x', 'quarantine'));
    expect(dryRunReportFolder('/x', 12)).toBe(join('/x', 'migration-dry-run-12'));
    expect(preMigrationBackupName(34)).toBe('pre-migrate-34');
  });

  it('plans from the marker, and plans nothing at the target version', async () => {
    const migrator = createMigrator({ reader, writer, state: stateWith(undefined) });
    const plan = await migrator.plan({ from: '1.1.0', to: '1.2.0' });
    expect(plan).toMatchObject({ from: '1.1.0', to: '1.2.0', steps: [{ from: '1.1.0', to: '1.2.0' }] });
    expect(plan.steps[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    const done = createMigrator({ reader, writer, state: stateWith({ version: '1.2.0', history: [], updatedAt: '' }) });
    expect(await done.plan({ to: '1.2.0' })).toEqual({ from: '1.2.0', to: '1.2.0', steps: [] });
  });

  it('across clusters: takes no backup to skip, has no rollback or finalize, needs the source version, plans one step', async () => {
    const events: string[] = [];
    const migrator = createMigrator({
      reader,
      writer,
      state: stateWith(undefined),
      source: { reader },
      assertA4cStopped: async (change) => void events.push(`a4c ${change}`),
    });
    await expect(migrator.run({ from: '1.1.0', skipBackup: 'backup110' })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('no pre-migration backup'),
    });
    await expect(migrator.rollback()).rejects.toMatchObject({ code: 'USAGE', hint: expect.stringContaining('point A4C at the source cluster again') });
    await expect(migrator.finalize()).rejects.toMatchObject({ code: 'USAGE' });
    await expect(migrator.run({})).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('version of the source data') });
    expect((await migrator.plan({ from: '1.1.0', to: '1.2.0' })).steps).toHaveLength(1);
    // A4C is checked before anything else, as in place.
    expect(events).toEqual(['a4c a migration', 'a4c a migration']);
  });

  it('checks A4C first, then the named backup, then runs under the lock', async () => {
    const events: string[] = [];
    const migrator = createMigrator({
      reader,
      writer,
      state: stateWith(undefined),
      lock: recordingLock(events),
      assertA4cStopped: async (change) => void events.push(`stopped? ${change}`),
      checkBackup: async (name) => void events.push(`check ${name}`),
    });
    // No marker and no `from`: the runner refuses (USAGE) once it holds the lock.
    await expect(migrator.run({ to: '1.2.0', skipBackup: 'mine' })).rejects.toMatchObject({ code: 'USAGE' });
    expect(events).toEqual(['stopped? a migration', 'check mine', 'lock migrate', 'release']);
  });

  it('refuses a quarantine or a default report folder without a work folder', async () => {
    const migrator = createMigrator({ reader, writer, state: stateWith(undefined) });
    await expect(migrator.run({ from: '1.1.0', to: '1.2.0', skipBackup: 'b', quarantine: true })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(migrator.dryRun({ from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('stops rollback and finalize on an aborted signal before they change anything', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    controller.abort();
    const migrator = createMigrator({ reader, writer, state: stateWith(undefined), lock: recordingLock(events), signal: controller.signal });
    await expect(migrator.rollback()).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(migrator.finalize()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(events).toEqual(['lock rollback', 'release', 'lock finalize', 'release']);
  });
});

describe('selectPlugin', () => {
  const documents: StoredDocument[] = [
    { id: 'a:1.0', source: { pluginPathId: 'p-a', descriptor: { id: 'a' } } },
    { id: 'b:1.0', source: { pluginPathId: 'p-b1', descriptor: { id: 'b' } } },
    { id: 'b:2.0', source: { pluginPathId: 'p-b2', descriptor: { id: 'b' } } },
    { id: 'c:1.0', source: { descriptor: { id: 'c' } } },
  ];

  it('finds one plugin by id, id:version or pluginPathId', () => {
    expect(selectPlugin(documents, 'a')).toEqual({ plugin: 'a:1.0', pluginPathId: 'p-a', expectedId: 'a' });
    expect(selectPlugin(documents, 'b:2.0')).toMatchObject({ plugin: 'b:2.0', pluginPathId: 'p-b2' });
    expect(selectPlugin(documents, 'p-b1')).toMatchObject({ plugin: 'b:1.0' });
  });

  it('refuses none, several, and a plugin without pluginPathId', () => {
    expect(() => selectPlugin(documents, 'z')).toThrow(expect.objectContaining({ code: 'USAGE', message: 'No plugin "z" in the cluster.' }));
    expect(() => selectPlugin(documents, 'b')).toThrow(expect.objectContaining({ code: 'USAGE', message: '"b" names 2 plugins.' }));
    expect(() => selectPlugin(documents, 'c')).toThrow(expect.objectContaining({ code: 'PLUGIN_INVALID' }));
  });
});
