// The access layer on a real Elasticsearch 1.7.6 node, the one A4C 1.x embedded: every port
// through connectElasticsearch, with the multi-type indices A4C kept there.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredDocument } from '@a4c-admin/core';
import { testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPages } from './document-pages.js';
import {
  connectElasticsearch,
  createA4cIndexReader,
  createClusterInspector,
  createIndexExporter,
  createIndexReader,
  createIndexWriter,
  createMigrationStateStore,
  createSnapshotStore,
  type ElasticsearchConnection,
  readExportManifest,
} from './index.js';
import { clearScroll } from './scroll-pages.js';
import { hashDocuments, makeDocuments, pagesOf } from './test-documents.test-support.js';

const legacy = testLegacyElasticsearch();

/** Documents of two types, as A4C keeps indexednodetype and indexedcapabilitytype in toscaelement. */
function typedDocuments(count: number): StoredDocument[] {
  return makeDocuments(count).map((document, position) => ({ ...document, type: position % 3 === 0 ? 'capability' : 'node' }));
}

const MAPPINGS = {
  node: { properties: { id: { type: 'string', index: 'not_analyzed' }, creationDate: { type: 'long' } } },
  capability: { properties: { id: { type: 'string', index: 'not_analyzed' } } },
  empty: { properties: {} },
};

describe.skipIf(!legacy)('the access layer on Elasticsearch 1.7.6', () => {
  let connection: ElasticsearchConnection;
  const created: string[] = [];
  const repository = { name: uniqueName('es1-repo'), location: '', max_snapshot_bytes_per_sec: '1gb', max_restore_bytes_per_sec: '1gb' };
  repository.location = repository.name;

  function index(prefix: string): string {
    const name = uniqueName(prefix);
    created.push(name);
    return name;
  }

  async function readAll(name: string, pageSize = 50): Promise<StoredDocument[]> {
    const documents: StoredDocument[] = [];
    for await (const page of createIndexReader(connection.client, { dialect: connection.dialect, pageSize }).read(name)) {
      // A scan counts `size` per shard: the reader asks each shard for its part of the page.
      expect(page.length).toBeLessThanOrEqual(pageSize);
      documents.push(...page);
    }
    return documents;
  }

  async function makeTypedIndex(prefix: string, documents: StoredDocument[]): Promise<string> {
    const name = index(prefix);
    const writer = createIndexWriter(connection.client, { dialect: connection.dialect, bulkBytes: 64 * 1024 });
    await writer.create(name, { mappings: MAPPINGS, settings: { index: { number_of_shards: 3, number_of_replicas: 0 } } });
    expect((await writer.write(name, pagesOf(documents, 97))).written).toBe(documents.length);
    return name;
  }

  beforeAll(async () => {
    connection = await connectElasticsearch({ addresses: [legacy!.url] });
  });

  afterAll(async () => {
    if (!connection) return;
    const { client } = connection;
    // One by one: on 1.x a list naming one missing index deletes none of them.
    for (const name of created) await client.indices.delete({ index: name }, { ignore: [404] }).catch(() => undefined);
    await client.snapshot.deleteRepository({ name: repository.name }, { ignore: [404] }).catch(() => undefined);
    if (legacy?.repoPath) await rm(join(legacy.repoPath, repository.location), { recursive: true, force: true });
    await client.close();
  });

  it('knows the server from GET / and describes the cluster (no uuid on 1.x: known by its name)', async () => {
    expect(connection.dialect.version).toBe('1.7.6');
    expect(connection.dialect.multiType).toBe(true);
    const cluster = await createClusterInspector(connection.client).describe();
    expect(cluster.clusterName).toBe(legacy!.clusterName);
    expect(cluster.version).toBe('1.7.6');
    expect(cluster.clusterUuid).toBe('_na_');
    expect(['green', 'yellow']).toContain(cluster.status);
  });

  it('writes typed documents and reads every one back with its type, id, routing and source, page boundaries included', async () => {
    const documents = typedDocuments(1000);
    const name = await makeTypedIndex('es1-typed', documents);
    const reader = createIndexReader(connection.client, { dialect: connection.dialect });
    expect(await reader.count(name)).toBe(1000);
    // 3 shards: pages of 13, 50 and more than the index all give every document once, none larger than asked.
    for (const pageSize of [13, 50, 5000]) {
      const read = await readAll(name, pageSize);
      expect(read).toHaveLength(1000);
      expect(hashDocuments(read)).toBe(hashDocuments(documents));
    }
    const definition = await reader.definition(name);
    expect(Object.keys(definition.mappings).sort()).toEqual(['capability', 'empty', 'node']);
    expect(definition.settings).toMatchObject({ index: { number_of_shards: '3' } });
    expect((definition.settings as { index: Record<string, unknown> }).index.uuid).toBeUndefined();
  }, 60_000);

  it('reads an empty index and an empty type as no document, and reads one type through the A4C reader', async () => {
    const documents = typedDocuments(30);
    const name = await makeTypedIndex('es1-types', documents);
    const empty = index('es1-empty');
    await createIndexWriter(connection.client, { dialect: connection.dialect }).create(empty, { mappings: MAPPINGS });
    expect(await readAll(empty)).toEqual([]);
    expect(await createIndexReader(connection.client, { dialect: connection.dialect }).count(empty)).toBe(0);
    const byType = createIndexReader(connection.client, { dialect: connection.dialect, locate: (type) => ({ index: name, type }) });
    const read: StoredDocument[] = [];
    for await (const page of byType.read('capability')) read.push(...page);
    expect(hashDocuments(read)).toBe(hashDocuments(documents.filter((document) => document.type === 'capability')));
    expect(await byType.count('empty')).toBe(0);
    const none: StoredDocument[] = [];
    for await (const page of byType.read('empty')) none.push(...page);
    expect(none).toEqual([]);
    expect(Object.keys((await byType.definition('node')).mappings)).toEqual(['properties']);
  });

  it('clears a finished scan: the 404 {} of 1.x counts as cleared', async () => {
    const name = await makeTypedIndex('es1-scroll', typedDocuments(3));
    const opened = (await connection.client.transport.request({
      method: 'POST',
      path: `/${name}/_search`,
      querystring: { search_type: 'scan', scroll: '1m', size: 10 },
      body: { query: { match_all: {} } },
    })) as { _scroll_id: string };
    let scrollId = opened._scroll_id;
    for (;;) {
      const page = (await connection.client.transport.request({ method: 'POST', path: '/_search/scroll', querystring: { scroll: '1m' }, body: scrollId })) as {
        _scroll_id: string;
        hits: { hits: unknown[] };
      };
      scrollId = page._scroll_id;
      if (page.hits.hits.length === 0) break;
    }
    const raw = await connection.client.transport.request({ method: 'DELETE', path: '/_search/scroll', body: scrollId }, { meta: true, ignore: [404] });
    expect(raw.statusCode).toBe(404);
    expect(await clearScroll(connection.client, connection.dialect, scrollId)).toBe(true);
  });

  it('holds the first page of a scan to a few MB when documents are large, and leaves no scroll open', async () => {
    // 40 documents of ~300 KB: a scan of the reader's 2000 documents a page would send all 12 MB
    // at once. Past 8 MB (4 pages of 2 MB) the scan is cleared and opened again with fewer a shard.
    const name = index('es1-large');
    const writer = createIndexWriter(connection.client, { dialect: connection.dialect });
    await writer.create(name, { mappings: { node: { properties: {} } }, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
    const documents: StoredDocument[] = Array.from({ length: 40 }, (_, n) => ({
      id: `big-${n}`,
      type: 'node',
      source: { n, text: `${n}-${'x'.repeat(300_000)}` },
    }));
    await writer.write(name, pagesOf(documents, 5));
    await connection.client.indices.refresh({ index: name });
    const openContexts = async () => {
      const stats = (await connection.client.transport.request({ method: 'GET', path: '/_nodes/stats/indices/search' })) as {
        nodes: Record<string, { indices: { search: { open_contexts: number } } }>;
      };
      return Object.values(stats.nodes).reduce((sum, node) => sum + node.indices.search.open_contexts, 0);
    };
    const before = await openContexts();
    const read: StoredDocument[] = [];
    let largest = 0;
    for await (const page of documentPages(connection.client, name, { pageSize: 2000, keepAlive: '1m', pageBytes: 2 * 1024 * 1024 }, connection.dialect)) {
      largest = Math.max(largest, page.hits.bytes.length);
      for (const hit of page.hits) {
        read.push({
          id: JSON.parse(hit.idJson.toString('utf8')) as string,
          type: JSON.parse(hit.typeJson!.toString('utf8')) as string,
          source: JSON.parse(hit.source.toString('utf8')),
        });
      }
    }
    expect(largest).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(hashDocuments(read)).toBe(hashDocuments(documents));
    expect(await openContexts()).toBe(before);
  });

  it('reads the ES 8 names of A4C in their ES 1.x index and type', async () => {
    const prefix = `${uniqueName('es1-a4c')}-`;
    const toscaelement = `${prefix}toscaelement`;
    created.push(toscaelement);
    const writer = createIndexWriter(connection.client, { dialect: connection.dialect });
    await writer.create(toscaelement, { mappings: { indexednodetype: { properties: {} }, indexedcapabilitytype: { properties: {} } } });
    const nodes = makeDocuments(12).map((document) => ({ ...document, type: 'indexednodetype' }));
    const capabilities = makeDocuments(5, 100).map((document) => ({ ...document, type: 'indexedcapabilitytype' }));
    await writer.write(toscaelement, pagesOf([...nodes, ...capabilities], 4));
    const a4cReader = createA4cIndexReader(connection.client, { dialect: connection.dialect, prefix });
    expect(await a4cReader.count(`${prefix}indexednodetype`)).toBe(12);
    const read: StoredDocument[] = [];
    for await (const page of a4cReader.read(`${prefix}indexedcapabilitytype`)) read.push(...page);
    expect(hashDocuments(read)).toBe(hashDocuments(capabilities));
  });

  it('blocks writes with the index setting, lifts blocks, swaps aliases and keeps the marker (with its type)', async () => {
    const name = await makeTypedIndex('es1-state', typedDocuments(10));
    const other = await makeTypedIndex('es1-state-other', typedDocuments(2));
    const writer = createIndexWriter(connection.client, { dialect: connection.dialect });
    await writer.setWriteBlock(name, true);
    await expect(writer.write(name, pagesOf(typedDocuments(1), 1))).rejects.toMatchObject({ code: 'IMPORT_REJECTED' });
    expect(await writer.liftBlocks(name)).toEqual(['write']);
    expect(await writer.liftBlocks(name)).toEqual([]);

    const prefix = `${uniqueName('es1-marker')}-`;
    created.push(`${prefix}a4c-admin-data-version`);
    const state = createMigrationStateStore(connection.client, { prefix, dialect: connection.dialect });
    expect(await state.readMarker()).toBeUndefined();
    const marker = { version: '1.1.0', history: [], updatedAt: new Date().toISOString() };
    await state.writeMarker(marker);
    expect(await state.readMarker()).toEqual(marker);

    const alias = `${name}-alias`;
    await state.updateAliases([{ add: { index: name, alias } }]);
    expect(await state.resolve([alias, name, `${name}-none`])).toEqual({ [alias]: [name], [name]: [name], [`${name}-none`]: [] });
    // No remove_index on 1.x: the old index goes first (its aliases with it), then the alias is added.
    await state.updateAliases([{ remove: { index: name, alias } }, { add: { index: other, alias } }, { removeIndex: { index: name } }]);
    expect(await state.resolve([alias, name])).toEqual({ [alias]: [other], [name]: [] });
    expect(await state.listIndices(`${other.slice(0, -3)}*`)).toEqual([other]);
  });

  it('takes, lists, reads, restores and removes a snapshot (its metadata kept in the tool index)', async () => {
    const documents = typedDocuments(200);
    const name = await makeTypedIndex('es1-snap', documents);
    const metadataIndex = index('es1-snapshot-metadata');
    const store = createSnapshotStore(connection.client, repository, { dialect: connection.dialect, metadataIndex, pollIntervalMs: 100 });
    const verified = await store.ensureRepository();
    expect(verified.verifiedNodes).toHaveLength(1);
    const snapshotName = uniqueName('es1-snap');
    const taken = await store.create({ name: snapshotName, indices: [name], metadata: { tool: 'a4c-admin', backupId: 'b-1' } });
    expect(taken.state).toBe('SUCCESS');
    expect(taken.uuid).toMatch(new RegExp(`^${snapshotName}@\\d+$`));
    expect(taken.metadata).toMatchObject({ tool: 'a4c-admin', backupId: 'b-1' });
    // One shard, no replica on a single node: the tool's own index leaves the cluster green.
    const health = (await connection.client.transport.request({ method: 'GET', path: `/_cluster/health/${metadataIndex}` })) as { status: string };
    expect(health.status).toBe('green');
    expect((await store.get(snapshotName))?.uuid).toBe(taken.uuid);
    expect((await store.list()).map((snapshot) => snapshot.name)).toContain(snapshotName);
    expect(await store.get(`${snapshotName}-none`)).toBeUndefined();
    await expect(store.create({ name: snapshotName, indices: [name] })).rejects.toMatchObject({ code: 'BACKUP_EXISTS' });

    await createIndexWriter(connection.client, { dialect: connection.dialect }).remove(name);
    const restored = await store.restore({ name: snapshotName, indices: [name] });
    expect(restored.counts).toEqual({ [name]: 200 });
    expect(hashDocuments(await readAll(name))).toBe(hashDocuments(documents));
    expect(await store.running()).toEqual([]);
    await store.remove(snapshotName);
    expect(await store.get(snapshotName)).toBeUndefined();
  }, 60_000);

  it('exports a multi-type index with _type on every line and imports it back with its types', async () => {
    const documents = typedDocuments(300);
    const name = await makeTypedIndex('es1-export', documents);
    const folder = join(legacy!.repoPath || '/tmp', uniqueName('es1-export-folder'));
    const exporter = createIndexExporter(connection.client, { dialect: connection.dialect, pageSize: 40 });
    try {
      const [exported] = await exporter.exportIndices([name], folder);
      expect(exported!.documents).toBe(300);
      const manifest = await readExportManifest(folder);
      expect(Object.keys(manifest.indices[0]!.definition.mappings).sort()).toEqual(['capability', 'empty', 'node']);
      const { readFile } = await import('node:fs/promises');
      const { gunzipSync } = await import('node:zlib');
      const lines = gunzipSync(await readFile(join(folder, exported!.chunks[0]!.file)))
        .toString('utf8')
        .split('\n')
        .filter((line, position) => line && position % 2 === 0);
      expect(lines.every((line) => /"_type":"(node|capability)"/.test(line))).toBe(true);
      await createIndexWriter(connection.client, { dialect: connection.dialect }).remove(name);
      expect(await exporter.importIndices(folder, [name])).toEqual({ [name]: 300 });
      expect(hashDocuments(await readAll(name))).toBe(hashDocuments(documents));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
