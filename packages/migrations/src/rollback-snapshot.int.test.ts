// A first migration with a snapshot repository configured, on the real single node: the plain
// 1.1.0 indices are kept for the rollback in one snapshot instead of `-v1.1.0` copies. A run that
// dies around the snapshot or the swap leaves a whole version serving and a re-run finishes; the
// rollback restores the 1.1.0 documents exactly; the finalize deletes the snapshot.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationStateStore, SnapshotStore } from '@a4c-admin/core';
import {
  createElasticsearchClient,
  createIndexReader,
  createIndexWriter,
  createMigrationStateStore,
  createSnapshotStore,
  type RepositoryConfig,
} from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { finalizeMigration } from './finalize-migration.js';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { loadPlainIndices } from './load-indices.test-support.js';
import { rollbackMigration } from './rollback-migration.js';
import { rollbackSnapshotName } from './rollback-snapshot.js';
import { runMigration } from './run-migration.js';
import { expectedWithPluginRule, readView as readViewOf, sortedDocuments as sorted } from './views.test-support.js';

const elasticsearch = testElasticsearch();
const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
const reader = createIndexReader(client);
const writer = createIndexWriter(client);
const prefix = `${uniqueName('a4c-mig-snap')}-`;
/** A second installation, finalized right after its first migration. */
const otherPrefix = `${uniqueName('a4c-mig-snapfin')}-`;
/** A third, whose rollback snapshot's name is taken by a snapshot someone else made. */
const foreignPrefix = `${uniqueName('a4c-mig-snapforeign')}-`;
/** A fourth, whose rollback finds an index someone made under one of its -v1.1.0 names. */
const squatPrefix = `${uniqueName('a4c-mig-snapsquat')}-`;
const state: MigrationStateStore = createMigrationStateStore(client, { prefix });
const repositoryName = uniqueName('a4c-mig-rollback');
const repository: RepositoryConfig = {
  name: repositoryName,
  location: repositoryName,
  max_snapshot_bytes_per_sec: '1gb',
  max_restore_bytes_per_sec: '1gb',
};
const snapshots = createSnapshotStore(client, repository, { pollIntervalMs: 100 });
const ports = { reader, writer, state, indexPrefix: prefix, from: '1.1.0', to: '1.2.0', skipBackup: 'operator-backup', snapshots };
const snapshotName = rollbackSnapshotName({ from: '1.1.0', to: '1.2.0' }, prefix);

const samples = loadNdjsonFolder('samples-1.1.0');
const names = Object.keys(samples);
const expected = expectedWithPluginRule();
const readView = () => readViewOf(reader, prefix, names);
const versioned = async (version: string) => (await state.listIndices(`${prefix}*-v${version}`)).sort();

afterAll(async () => {
  await client.indices.delete({ index: `${otherPrefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
  await client.indices.delete({ index: `${foreignPrefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
  await client.indices.delete({ index: `${squatPrefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
  await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
  await client.snapshot.delete({ repository: repositoryName, snapshot: '*' }).catch(() => undefined);
  await client.snapshot.deleteRepository({ name: repositoryName }).catch(() => undefined);
  if (elasticsearch.repoPath) await rm(join(elasticsearch.repoPath, repositoryName), { recursive: true, force: true });
  await client.close();
});

describe('a first migration that keeps the plain 1.1.0 indices in a rollback snapshot', () => {
  it('loads a plain 1.1.0 installation', async () => {
    await loadPlainIndices(writer, prefix, '1.1.0', samples);
    expect(await readView()).toEqual(sorted(samples));
  });

  it('dies once its snapshot is taken, before the swap: the plain indices serve every document, writable; nothing was copied', async () => {
    const dyingAfterSnapshot: SnapshotStore = {
      ...snapshots,
      create: async (request, progress) => {
        await snapshots.create(request, progress);
        throw new Error('process died here');
      },
    };
    await expect(runMigration({ ...ports, snapshots: dyingAfterSnapshot })).rejects.toThrow('process died here');
    expect(await readView()).toEqual(sorted(samples));
    const resolved = await state.resolve(names.map((name) => `${prefix}${name}`));
    for (const name of names) expect(resolved[`${prefix}${name}`]).toEqual([`${prefix}${name}`]);
    // Writable again: the failure path lifted the blocks.
    const settings = await client.indices.getSettings({ index: `${prefix}${names[0]}`, name: 'index.blocks.write' });
    expect(Object.values(settings)[0]?.settings?.index?.blocks?.write).not.toBe('true');
    expect(await versioned('1.1.0')).toEqual([]);
    expect(await state.readMarker()).toBeUndefined();
  });

  it('dies between the alias swap and the marker: 1.2.0 serves, the plain indices are gone into the snapshot; a re-run writes the marker', async () => {
    const failingMarker: MigrationStateStore = { ...state, writeMarker: () => Promise.reject(new Error('process died here')) };
    await expect(runMigration({ ...ports, state: failingMarker })).rejects.toThrow('process died here');
    expect(await readView()).toEqual(sorted(expected));
    expect(await versioned('1.1.0')).toEqual([]);
    const snapshot = await snapshots.get(snapshotName);
    expect(snapshot?.state).toBe('SUCCESS');
    expect(snapshot?.indices.sort()).toEqual(names.map((name) => `${prefix}${name}`).sort());

    const resumed = await runMigration(ports);
    expect(resumed.steps[0]).toMatchObject({ resumedAfterSwap: true });
    expect((await state.readMarker())?.version).toBe('1.2.0');
  });

  it('rolls back exactly: the snapshot restored under the -v1.1.0 names, writable, then deleted', async () => {
    const result = await rollbackMigration({ writer, state, indexPrefix: prefix, snapshots });
    expect(result.restored.sort()).toEqual(names.map((name) => `${prefix}${name}`).sort());
    expect(await readView()).toEqual(sorted(samples));
    expect(await versioned('1.1.0')).toEqual(names.map((name) => `${prefix}${name}-v1.1.0`).sort());
    const settings = await client.indices.getSettings({ index: `${prefix}${names[0]}-v1.1.0`, name: 'index.blocks.write' });
    expect(Object.values(settings)[0]?.settings?.index?.blocks?.write).not.toBe('true');
    expect(await snapshots.get(snapshotName)).toBeUndefined();
    expect((await state.readMarker())?.version).toBe('1.1.0');
  });

  it('finalizes a first migration by deleting its snapshot (no old index to delete)', async () => {
    const other = otherPrefix;
    const otherState = createMigrationStateStore(client, { prefix: other });
    await loadPlainIndices(writer, other, '1.1.0', samples);
    await runMigration({ ...ports, state: otherState, indexPrefix: other });
    const otherSnapshot = rollbackSnapshotName({ from: '1.1.0', to: '1.2.0' }, other);
    expect((await snapshots.get(otherSnapshot))?.state).toBe('SUCCESS');
    // An index someone made since under one of the -v1.1.0 names (none is the tool's on this path).
    const squatted = `${other}${names[0]}-v1.1.0`;
    await client.index({ index: squatted, id: 'theirs', document: { owner: 'someone else' }, refresh: true });
    const finalized = await finalizeMigration({ writer, state: otherState, indexPrefix: other, snapshots });
    expect(finalized).toMatchObject({ deleted: [], leftAlone: [squatted], deletedSnapshot: otherSnapshot });
    expect(await client.count({ index: squatted })).toMatchObject({ count: 1 });
    expect(await snapshots.get(otherSnapshot)).toBeUndefined();
    expect(await readViewOf(reader, other, names)).toEqual(sorted(expected));
  });

  it("leaves alone a snapshot of the rollback snapshot's name that it did not take: copies instead, and neither a rollback nor a finalize touches it", async () => {
    const foreignState = createMigrationStateStore(client, { prefix: foreignPrefix });
    await loadPlainIndices(writer, foreignPrefix, '1.1.0', samples);
    const name = rollbackSnapshotName({ from: '1.1.0', to: '1.2.0' }, foreignPrefix);
    // An operator's snapshot that happens to have that name (no metadata of ours).
    await snapshots.create({ name, indices: [`${foreignPrefix}${names[0]}`], metadata: { takenBy: 'operator' } });
    const before = await snapshots.get(name);
    const foreignPorts = { ...ports, state: foreignState, indexPrefix: foreignPrefix };
    const warnings: string[] = [];
    await runMigration({
      ...foreignPorts,
      onProgress: (event) => {
        if (event.kind === 'warning') warnings.push(event.message ?? '');
      },
    });
    expect(warnings.join('\n')).toMatch(/did not take .* copied for the rollback instead/);
    expect(await readViewOf(reader, foreignPrefix, names)).toEqual(sorted(expected));
    // Adopted by copies, as without a repository.
    expect((await foreignState.listIndices(`${foreignPrefix}*-v1.1.0`)).length).toBe(names.length);
    await rollbackMigration({ writer, state: foreignState, indexPrefix: foreignPrefix, snapshots });
    expect(await readViewOf(reader, foreignPrefix, names)).toEqual(sorted(samples));
    await runMigration(foreignPorts);
    const finalized = await finalizeMigration({ writer, state: foreignState, indexPrefix: foreignPrefix, snapshots });
    expect(finalized.deletedSnapshot).toBeUndefined();
    expect(await snapshots.get(name)).toMatchObject({ uuid: before!.uuid, state: 'SUCCESS' });
  });

  it('migrates again from the restored indices (behind aliases now: kept as they are), and finalizes', async () => {
    await runMigration(ports);
    expect(await readView()).toEqual(sorted(expected));
    const finalized = await finalizeMigration({ writer, state, indexPrefix: prefix, snapshots });
    expect(finalized.deleted.sort()).toEqual(names.map((name) => `${prefix}${name}-v1.1.0`).sort());
    expect(await readView()).toEqual(sorted(expected));
  });
});

describe('a rollback and a finalize act only on the indices a4c-admin made', () => {
  const squatState = createMigrationStateStore(client, { prefix: squatPrefix });
  const squatPorts = { ...ports, state: squatState, indexPrefix: squatPrefix };
  const squatSnapshot = rollbackSnapshotName({ from: '1.1.0', to: '1.2.0' }, squatPrefix);
  const view = () => readViewOf(reader, squatPrefix, names);

  it('refuses an index it did not restore under a -v1.1.0 name, changing nothing; once it is gone, re-runs over its own restores', async () => {
    await loadPlainIndices(writer, squatPrefix, '1.1.0', samples);
    await runMigration(squatPorts);
    // A rollback killed once its restore is done, before the alias swap.
    const dyingAtSwap: MigrationStateStore = { ...squatState, updateAliases: () => Promise.reject(new Error('process died here')) };
    await expect(rollbackMigration({ writer, state: dyingAtSwap, indexPrefix: squatPrefix, snapshots })).rejects.toThrow('process died here');
    expect((await squatState.listIndices(`${squatPrefix}*-v1.1.0`)).length).toBe(names.length);
    // Since then someone replaced one of those restored indices with an index of their own.
    const squatted = `${squatPrefix}${names[1]}-v1.1.0`;
    await client.indices.delete({ index: squatted });
    await client.index({ index: squatted, id: 'theirs', document: { owner: 'someone else' }, refresh: true });

    const refused = await rollbackMigration({ writer, state: squatState, indexPrefix: squatPrefix, snapshots }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((refused as Error).message).toContain(squatted);
    expect(await client.get({ index: squatted, id: 'theirs' })).toMatchObject({ _source: { owner: 'someone else' } });
    expect(await view()).toEqual(sorted(expected));
    expect((await squatState.readMarker())?.version).toBe('1.2.0');
    expect((await snapshots.get(squatSnapshot))?.state).toBe('SUCCESS');

    await client.indices.delete({ index: squatted });
    const result = await rollbackMigration({ writer, state: squatState, indexPrefix: squatPrefix, snapshots });
    expect(result.restored.length).toBe(names.length);
    expect(await view()).toEqual(sorted(samples));
    expect(await snapshots.get(squatSnapshot)).toBeUndefined();
  });

  it('after the next migration, neither points a name at nor deletes an index someone made under a kept -v1.1.0 name', async () => {
    await runMigration(squatPorts);
    const squatted = `${squatPrefix}${names[2]}-v1.1.0`;
    await client.indices.delete({ index: squatted });
    await client.index({ index: squatted, id: 'theirs', document: { owner: 'someone else' }, refresh: true });

    const refused = await rollbackMigration({ writer, state: squatState, indexPrefix: squatPrefix, snapshots }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((refused as Error).message).toContain(squatted);
    expect(await view()).toEqual(sorted(expected));
    expect((await squatState.readMarker())?.version).toBe('1.2.0');

    const warnings: string[] = [];
    const finalized = await finalizeMigration({
      writer,
      state: squatState,
      indexPrefix: squatPrefix,
      snapshots,
      onProgress: (event) => {
        if (event.kind === 'warning') warnings.push(event.message ?? '');
      },
    });
    expect(finalized.leftAlone).toEqual([squatted]);
    expect(finalized.deleted.sort()).toEqual(
      names
        .filter((name) => name !== names[2])
        .map((name) => `${squatPrefix}${name}-v1.1.0`)
        .sort(),
    );
    expect(warnings.join('\n')).toContain(squatted);
    expect(await client.get({ index: squatted, id: 'theirs' })).toMatchObject({ _source: { owner: 'someone else' } });
    expect(await view()).toEqual(sorted(expected));
  });
});
