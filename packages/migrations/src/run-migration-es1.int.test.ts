// The migration in place on a real Elasticsearch 1.7.6, as the seed ran it: the shared 1.1.0
// samples in A4C's own multi-type layout (toscaelement holding indexednodetype, ...) migrate
// to exactly the expected 1.2.0 documents, type by type, id by id, in versioned ES 1.x indices
// behind the A4C index names; rollback gives the 1.1.0 documents back exactly; finalize keeps
// the 1.2.0 view; a process that dies inside the adoption (ES 1.x deletes the plain indices
// before it can add their aliases) is finished by the re-run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AliasAction,
  DATA_VERSION_1_1_0,
  DATA_VERSION_1_2_0,
  es1IndexNames,
  es1LocationOf,
  type MigrationStateStore,
  type StoredDocument,
} from '@a4c-admin/core';
import { ownershipMarkOf } from '@a4c-admin/core/internal';
import { connectElasticsearch, createIndexReader, createIndexWriter, createMigrationStateStore, type ElasticsearchConnection } from '@a4c-admin/es-snapshot';
import { loadEs1SampleIndices } from '@a4c-admin/sample-data';
import { testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunMigration } from './dry-run-migration.js';
import { finalizeMigration } from './finalize-migration.js';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { rollbackMigration } from './rollback-migration.js';
import { runMigration } from './run-migration.js';
import { expectedWithPluginRule, sortedDocuments as sorted } from './views.test-support.js';

const legacy = testLegacyElasticsearch();
const samples = loadNdjsonFolder('samples-1.1.0');
const expected = expectedWithPluginRule();

describe.skipIf(!legacy)('runMigration in place on Elasticsearch 1.7.6', () => {
  let connection: ElasticsearchConnection;
  const prefixes: string[] = [];

  beforeAll(async () => {
    connection = await connectElasticsearch({ addresses: [legacy!.url] });
  });

  afterAll(async () => {
    for (const prefix of prefixes) await connection?.client.indices.delete({ index: `${prefix}*` }, { ignore: [404] }).catch(() => undefined);
    await connection?.client.close();
  });

  /** A fresh 1.1.0 installation in the ES 1.x layout under its own prefix, and the ports over it. */
  async function installation() {
    const prefix = `${uniqueName('a4c-mig1')}-`;
    prefixes.push(prefix);
    await loadEs1SampleIndices({ url: legacy!.url, prefix });
    const { client, dialect } = connection;
    const reader = createIndexReader(client, { dialect, pageSize: 7 });
    const writer = createIndexWriter(client, { dialect });
    const state: MigrationStateStore = createMigrationStateStore(client, { prefix, dialect });
    return { prefix, reader, writer, state, ports: { reader, writer, state, indexPrefix: prefix } };
  }

  /** The documents the A4C index names serve now, by A4C name (ES 8 layout), each read from its ES 1.x index and type at `version`. */
  async function view(setup: Awaited<ReturnType<typeof installation>>, names: string[], version: string): Promise<Record<string, StoredDocument[]>> {
    const result: Record<string, StoredDocument[]> = {};
    for (const name of names) {
      const at = es1LocationOf(name, version)!;
      const documents: StoredDocument[] = [];
      for await (const page of setup.reader.read(`${setup.prefix}${at.es1Index}`, { type: at.es1Type })) documents.push(...page);
      // The type is where the document was read from: compared as the ES 8 documents are, without it.
      result[name] = documents.map(({ type, ...document }) => {
        expect(type).toBe(at.es1Type);
        return document;
      });
    }
    return sorted(result);
  }

  async function aliases(setup: Awaited<ReturnType<typeof installation>>, version: string): Promise<Record<string, string[]>> {
    return setup.state.resolve(es1IndexNames(version, setup.prefix));
  }

  it('migrates every type to its expected 1.2.0 documents in versioned ES 1.x indices, rolls back exactly, and finalizes', async () => {
    const setup = await installation();
    const { prefix, ports } = setup;
    expect(await view(setup, Object.keys(samples), DATA_VERSION_1_1_0)).toEqual(sorted(samples));

    // A dry run reads through the types and changes nothing.
    const before = await aliases(setup, DATA_VERSION_1_2_0);
    const reportFolder = await mkdtemp(join(tmpdir(), 'a4c-dry-run-es1-'));
    const report = await dryRunMigration({ ...ports, from: '1.1.0', to: '1.2.0', reportFolder }).finally(() =>
      rm(reportFolder, { recursive: true, force: true }),
    );
    expect(report.failed).toBe(0);
    expect(report.steps[0]!.indices.topology).toMatchObject({ read: 2, wouldWrite: 2, source: `${prefix}topology/topology` });
    expect(report.steps[0]!.indices.indexednodetype!.read).toBe(samples.indexednodetype!.length);
    expect(await aliases(setup, DATA_VERSION_1_2_0)).toEqual(before);

    const result = await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'operator-backup' });
    expect(result.status).toBe('migrated');
    expect(result.steps[0]!.adopted.sort()).toEqual(es1IndexNames(DATA_VERSION_1_1_0, prefix));
    expect(result.steps[0]!.indices.toscaelement).toMatchObject({ source: `${prefix}toscaelement-v1.1.0`, target: `${prefix}toscaelement-v1.2.0` });
    expect(await view(setup, Object.keys(expected), DATA_VERSION_1_2_0)).toEqual(sorted(expected));

    // Every ES 1.x index of 1.2.0 is an alias on its versioned index; the new ones too.
    for (const [name, indices] of Object.entries(await aliases(setup, DATA_VERSION_1_2_0))) expect(indices, name).toEqual([`${name}-v1.2.0`]);
    expect((await setup.state.readMarker())?.version).toBe('1.2.0');
    // Sized like the installation's indices (no replica on this single node), new ones too: green.
    const health = (await connection.client.transport.request({ method: 'GET', path: `/_cluster/health/${prefix}*` })) as { status: string };
    expect(health.status).toBe('green');

    // The 1.2.0 mappings in their ES 1.x form, with the tool's mark on every type and A4C's TTL carried.
    const mappings = (await connection.client.transport.request({ method: 'GET', path: `/${prefix}toscaelement-v1.2.0/_mapping` })) as Record<
      string,
      { mappings: Record<string, Record<string, unknown>> }
    >;
    const types = mappings[`${prefix}toscaelement-v1.2.0`]!.mappings;
    expect(Object.keys(types).sort()).toEqual(
      ['indexedartifacttype', 'indexedcapabilitytype', 'indexeddatatype', 'indexednodetype', 'indexedrelationshiptype', 'primitiveindexeddatatype'].sort(),
    );
    expect(ownershipMarkOf(types)).toEqual({ madeBy: 'a4c-admin', role: 'migration', version: '1.2.0' });
    const nodeType = types.indexednodetype!.properties as Record<string, unknown>;
    expect(nodeType.archiveName).toMatchObject({ type: 'string', index: 'not_analyzed' });
    expect(nodeType.elementId).toMatchObject({ type: 'string' });
    const audit = (await setup.reader.definition(`${prefix}alienaudit-v1.2.0`)).mappings as Record<string, { _ttl?: unknown }>;
    expect(audit.audittrace!._ttl).toMatchObject({ enabled: true });

    // Asked again: nothing to do.
    expect((await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'operator-backup' })).status).toBe('up-to-date');

    const rolledBack = await rollbackMigration(ports);
    expect(rolledBack.to).toBe('1.1.0');
    expect(await view(setup, Object.keys(samples), DATA_VERSION_1_1_0)).toEqual(sorted(samples));
    for (const [name, indices] of Object.entries(await aliases(setup, DATA_VERSION_1_1_0))) expect(indices, name).toEqual([`${name}-v1.1.0`]);
    expect((await setup.state.readMarker())?.version).toBe('1.1.0');

    // Migrated again from the kept 1.1.0 indices, then finalized: the 1.1.0 indices go, the 1.2.0 view stays.
    await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'operator-backup' });
    const finalized = await finalizeMigration(ports);
    expect(finalized.deleted.sort()).toEqual(es1IndexNames(DATA_VERSION_1_1_0, prefix).map((name) => `${name}-v1.1.0`));
    expect(await view(setup, Object.keys(expected), DATA_VERSION_1_2_0)).toEqual(sorted(expected));
    await expect(rollbackMigration(ports)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('finishes an adoption that died between deleting the plain indices and adding their aliases', async () => {
    const setup = await installation();
    const { client } = connection;
    // Exactly what ES 1.x leaves when the process dies there: the plain indices deleted, no alias yet.
    const dying: MigrationStateStore = {
      ...setup.state,
      async updateAliases(actions: AliasAction[]) {
        const plain = actions.flatMap((action) => ('removeIndex' in action ? [action.removeIndex.index] : []));
        if (plain.length === 0) return setup.state.updateAliases(actions);
        await client.indices.delete({ index: plain });
        throw new Error('process died here');
      },
    };
    await expect(runMigration({ ...setup.ports, state: dying, from: '1.1.0', to: '1.2.0', skipBackup: 'b' })).rejects.toThrow('process died here');
    const absent = await aliases(setup, DATA_VERSION_1_1_0);
    expect(Object.values(absent).every((indices) => indices.length === 0)).toBe(true);

    const result = await runMigration({ ...setup.ports, from: '1.1.0', to: '1.2.0', skipBackup: 'b' });
    expect(result.status).toBe('migrated');
    expect(await view(setup, Object.keys(expected), DATA_VERSION_1_2_0)).toEqual(sorted(expected));
    await rollbackMigration(setup.ports);
    expect(await view(setup, Object.keys(samples), DATA_VERSION_1_1_0)).toEqual(sorted(samples));
  });
});
