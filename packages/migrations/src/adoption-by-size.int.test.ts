// The adoption of plain 1.1.0 indices on the real single node, by size: an index of a few
// documents is copied into a copy created with its marked mappings (one creation, a bulk), a
// large one is cloned (segment files linked, none of its documents read). Either way the copy is
// the tool's own (ownership mark), the migration serves the expected 1.2.0 documents, and a
// rollback serves exactly the installation's documents again.
import type { StoredDocument } from '@a4c-admin/core';
import { ownershipMarkOf } from '@a4c-admin/core/internal';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { loadPlainIndices } from './load-indices.test-support.js';
import { rollbackMigration } from './rollback-migration.js';
import { runMigration } from './run-migration.js';
import { expectedWithPluginRule, readView as readViewOf, sortedDocuments as sorted } from './views.test-support.js';

/** More than the 1000 documents up to which an index is adopted by a copy. */
const LARGE_USERS = 1200;

describe('the adoption of plain indices, small ones copied and large ones cloned', () => {
  const elasticsearch = testElasticsearch();
  const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
  const reader = createIndexReader(client);
  const writer = createIndexWriter(client);
  const prefix = `${uniqueName('a4c-adopt')}-`;
  const state = createMigrationStateStore(client, { prefix });
  const ports = { reader, writer, state, indexPrefix: prefix };
  const samples = loadNdjsonFolder('samples-1.1.0');
  const admin = samples.user![0]!;
  // The users index grows large: the sample's admin and many more like it.
  const users: StoredDocument[] = [
    admin,
    ...Array.from({ length: LARGE_USERS }, (_, n) => ({ id: `user-${n}`, source: { ...admin.source, username: `user-${n}`, email: `user-${n}@example.org` } })),
  ];
  const installation = { ...samples, user: users };
  const readView = (names: string[]) => readViewOf(reader, prefix, names);

  afterAll(async () => {
    await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
    await client.close();
  });

  /** How the index's shards came to be: LOCAL_SHARDS for a clone (files of its source), EMPTY_STORE for an index created empty. */
  async function recoveredFrom(index: string): Promise<string[]> {
    const answer = (await client.indices.recovery({ index })) as Record<string, { shards: { type: string }[] }>;
    return answer[index]!.shards.map(({ type }) => type);
  }

  it('migrates the installation: the large index cloned, the small ones copied, every copy marked as the tool’s own', async () => {
    await loadPlainIndices(writer, prefix, '1.1.0', installation);
    const result = await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'operator-backup' });
    expect(result.steps[0]!.adopted).toHaveLength(Object.keys(installation).length);

    expect(await recoveredFrom(`${prefix}user-v1.1.0`)).toEqual(['LOCAL_SHARDS']);
    expect(await recoveredFrom(`${prefix}topology-v1.1.0`)).toEqual(['EMPTY_STORE']);
    for (const copy of [`${prefix}user-v1.1.0`, `${prefix}topology-v1.1.0`]) {
      expect(ownershipMarkOf((await reader.definition(copy)).mappings), copy).toMatchObject({ role: 'adoption', version: '1.1.0' });
    }

    const expected = expectedWithPluginRule();
    const view = await readView(Object.keys(expected));
    expect(view.user).toHaveLength(LARGE_USERS + 1);
    const { user: _users, ...smallIndices } = view;
    const { user: _expectedUsers, ...expectedSmall } = sorted(expected);
    expect(smallIndices).toEqual(expectedSmall);
  });

  it('rolls back to exactly the installation’s documents, in the copies and the clone', async () => {
    await rollbackMigration(ports);
    expect(await readView(Object.keys(installation))).toEqual(sorted(installation));
  });
});
