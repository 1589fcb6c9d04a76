// The runner on the real single node and the real 3-node cluster: a 1.1.0 data set (the spec
// samples in plain indices with the 1.1.0 mappings) migrates to exactly the expected 1.2.0
// documents, rolls back to exactly the samples, and a dry run changes nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isA4cAdminError, type MigrationStateStore, type StoredDocument } from '@a4c-admin/core';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { dryRunMigration } from './dry-run-migration.js';
import { finalizeMigration } from './finalize-migration.js';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { loadPlainIndices } from './load-indices.test-support.js';
import { rollbackMigration } from './rollback-migration.js';
import { runMigration } from './run-migration.js';
import { stepChecksum } from './step-checksum.js';
import { STEP_1_2_0 } from './steps/step-1.2.0.js';
import { expectedWithPluginRule, readView as readViewOf, sortedDocuments as sorted } from './views.test-support.js';

const elasticsearch = testElasticsearch();
const samples = loadNdjsonFolder('samples-1.1.0');
const expected = expectedWithPluginRule();

// The cluster is skipped when the launcher was told not to start it. The re-migration and
// finalize run on the single node only: a full migration costs about a minute on the cluster.
const clusters = [
  { title: 'single node', addresses: [elasticsearch.url], full: true },
  { title: '3-node cluster', addresses: elasticsearch.clusterUrls, full: false },
].filter((cluster) => cluster.addresses.length > 0);

describe.each(clusters)('runMigration on the $title', ({ addresses, full }) => {
  const client = createElasticsearchClient({ addresses });
  const reader = createIndexReader(client, { pageSize: 7 });
  const writer = createIndexWriter(client);
  const prefix = `${uniqueName('a4c-mig')}-`;
  const state: MigrationStateStore = createMigrationStateStore(client, { prefix });
  const ports = { reader, writer, state, indexPrefix: prefix };

  afterAll(async () => {
    await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
    await client.close();
  });

  const readView = (names: string[]) => readViewOf(reader, prefix, names);

  async function clusterState() {
    const indices = await state.listIndices(`${prefix}*`);
    const counts: Record<string, number | undefined> = {};
    for (const index of indices) counts[index] = await reader.count(index);
    const aliases = await state.resolve(Object.keys(STEP_1_2_0.indices).map((name) => `${prefix}${name}`));
    return { indices, counts, aliases, marker: await state.readMarker() };
  }

  it('loads the 1.1.0 samples into plain indices with the 1.1.0 mappings', async () => {
    await loadPlainIndices(writer, prefix, '1.1.0', samples);
    expect(await readView(Object.keys(samples))).toEqual(sorted(samples));
  });

  let dryRunCounts: Record<string, number> = {};

  it('dry-runs without changing anything in the cluster', async () => {
    const before = await clusterState();
    const folder = await mkdtemp(join(tmpdir(), 'a4c-dry-run-'));
    try {
      const report = await dryRunMigration({ ...ports, from: '1.1.0', to: '1.2.0', reportFolder: folder });
      expect(await clusterState()).toEqual(before);
      expect(report.status).toBe('ok');
      expect(report.failed).toBe(0);
      const step = report.steps[0]!;
      expect(step.checksum).toBe(stepChecksum(STEP_1_2_0));
      expect(step.indices.topology).toMatchObject({ read: 2, wouldWrite: 2, failed: 0 });
      expect(step.indices.auditconfiguration).toMatchObject({ read: 1, wouldWrite: 1 });
      expect(step.rules['R1-property-default']).toBeGreaterThan(0);
      expect(step.rules['P1-cloudify3-orchestrator-settings']).toBe(3);
      dryRunCounts = Object.fromEntries(Object.entries(step.indices).map(([name, index]) => [name, index.wouldWrite]));
      const written = JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as { steps: unknown[] };
      expect(written.steps).toHaveLength(1);
      const topologySamples = JSON.parse(await readFile(join(folder, 'samples', 'topology.json'), 'utf8')) as Array<{
        before: StoredDocument;
        after: StoredDocument;
      }>;
      expect(topologySamples[0]!.after).toEqual(expected.topology!.find((document) => document.id === topologySamples[0]!.before.id));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses to start without a backup or a from version, before touching anything', async () => {
    const before = await clusterState();
    await expect(runMigration({ ...ports, from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(runMigration({ ...ports, to: '1.2.0', skipBackup: 'b' })).rejects.toMatchObject({ code: 'USAGE' });
    expect(await clusterState()).toEqual(before);
  });

  it('migrates every document to its expected 1.2.0 form, behind aliases, and records the marker', async () => {
    const backups: string[] = [];
    const result = await runMigration({
      ...ports,
      from: '1.1.0',
      to: '1.2.0',
      backup: async () => {
        backups.push('pre-migration');
        return 'pre-migration';
      },
    });
    expect(backups).toEqual(['pre-migration']);
    expect(result.status).toBe('migrated');
    expect(result.backup).toBe('pre-migration');
    const step = result.steps[0]!;
    expect(step.adopted).toHaveLength(Object.keys(samples).length);
    expect(await readView(Object.keys(expected))).toEqual(sorted(expected));

    const names = Object.keys(STEP_1_2_0.indices);
    const aliases = await state.resolve(names.map((name) => `${prefix}${name}`));
    for (const name of names) expect(aliases[`${prefix}${name}`], name).toEqual([`${prefix}${name}-v1.2.0`]);
    // Indices new in 1.2.0 (and those the installation never had) exist, empty, with the 1.2.0 mappings.
    expect(await reader.count(`${prefix}suggestionentry`)).toBe(0);
    expect(await reader.count(`${prefix}csargitrepository`)).toBe(0);
    const definition = await reader.definition(`${prefix}orchestratorconfiguration`);
    expect(definition.mappings).toMatchObject({ properties: { configuration: { type: 'object', enabled: false } } });

    const marker = await state.readMarker();
    expect(marker?.version).toBe('1.2.0');
    expect(marker?.history).toHaveLength(1);
    expect(marker?.history[0]).toMatchObject({ from: '1.1.0', to: '1.2.0', checksum: stepChecksum(STEP_1_2_0) });
    expect(marker?.history[0]?.counts).toMatchObject({ topology: 2, auditconfiguration: 1, user: 1, suggestionentry: 0 });
    // The dry run announced exactly what the real run wrote.
    expect(Object.fromEntries(Object.entries(marker!.history[0]!.counts).filter(([name]) => name in dryRunCounts))).toEqual(dryRunCounts);
  });

  it('treats a second migration to the current version as a no-op', async () => {
    const before = await clusterState();
    const result = await runMigration({ ...ports, to: '1.2.0' });
    expect(result.status).toBe('up-to-date');
    expect(await clusterState()).toEqual(before);
    // The same command again (the seed's `-migrate 1.1.0`) is a no-op too: the marker's history holds 1.1.0 -> 1.2.0.
    expect((await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'x' })).status).toBe('up-to-date');
    expect(await clusterState()).toEqual(before);
    // A `from` the history does not know contradicts the marker.
    await expect(runMigration({ ...ports, from: '1.0.0', to: '1.2.0', skipBackup: 'x' })).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
  });

  it('rolls back to exactly the 1.1.0 view, writable again', async () => {
    const result = await rollbackMigration(ports);
    expect(result).toMatchObject({ from: '1.2.0', to: '1.1.0' });
    expect(await readView(Object.keys(samples))).toEqual(sorted(samples));
    expect((await state.readMarker())?.version).toBe('1.1.0');
    // The A4C names of indices new in 1.2.0 are gone again.
    expect((await state.resolve([`${prefix}suggestionentry`]))[`${prefix}suggestionentry`]).toEqual([]);
    await writer.write(
      `${prefix}user`,
      (async function* () {
        yield [{ id: 'probe', source: { username: 'probe' } }];
      })(),
    );
    await client.delete({ index: `${prefix}user`, id: 'probe', refresh: true });
  });

  it.runIf(full)('migrates again after a rollback, then finalize deletes the old indices', async () => {
    const result = await runMigration({ ...ports, to: '1.2.0', skipBackup: 'operator-backup' });
    expect(result.status).toBe('migrated');
    expect(result.steps[0]!.adopted).toEqual([]);
    expect(await readView(Object.keys(expected))).toEqual(sorted(expected));
    const finalized = await finalizeMigration(ports);
    expect(finalized.deleted).toHaveLength(Object.keys(samples).length);
    expect(await state.listIndices(`${prefix}*-v1.1.0`)).toEqual([]);
    expect(await readView(Object.keys(expected))).toEqual(sorted(expected));
    await expect(rollbackMigration(ports)).rejects.toSatisfy(isA4cAdminError);
  });
});
