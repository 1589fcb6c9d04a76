import { isA4cAdminError, type StoredDocument } from '@a4c-admin/core';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { documentPages } from './document-pages.js';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore, describeCluster } from './index.js';
import { hashDocuments, makeDocuments, pagesOf } from './test-documents.test-support.js';

const elasticsearch = testElasticsearch();
const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
const created: string[] = [];

function name(prefix: string): string {
  const index = uniqueName(prefix);
  created.push(index);
  return index;
}

afterAll(async () => {
  if (created.length > 0) await client.indices.delete({ index: created.join(','), ignore_unavailable: true }).catch(() => undefined);
  await client.close();
});

async function readAll(index: string, pageSize?: number): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  for await (const page of createIndexReader(client, { pageSize }).read(index)) documents.push(...page);
  return documents;
}

describe('document ports on the real node', () => {
  it('describes the cluster without GET /', async () => {
    const cluster = await describeCluster(client);
    expect(cluster.clusterName).toBeTruthy();
    expect(cluster.clusterUuid).toMatch(/^[\w-]{10,}$/);
    expect(cluster.version).toMatch(/^8\.\d+\.\d+/);
    expect(cluster.nodes.length).toBeGreaterThanOrEqual(1);
    expect(['green', 'yellow']).toContain(cluster.status);
  });

  it('a small write is searchable once it returns, on an index that never refreshes by itself', async () => {
    // The last bulk request carries the refresh. Documents larger than the smallest request
    // (64 KiB) each fill a request of their own: the write ends on a full one and is refreshed alone.
    const large = Array.from({ length: 3 }, (_, n) => ({ id: `large-${n}`, source: { text: 'x'.repeat(70_000) } }));
    for (const documents of [makeDocuments(25), large]) {
      const index = name('es-doc-visible');
      const writer = createIndexWriter(client, { bulkBytes: 1 });
      await writer.create(index, { mappings: {}, settings: { index: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: -1 } } });
      expect((await writer.write(index, pagesOf(documents, 10), { expected: documents.length })).written).toBe(documents.length);
      expect(await createIndexReader(client).count(index), documents[0]!.id).toBe(documents.length);
    }
  });

  it('writes 10k documents and reads every one back unchanged (id, routing, source)', async () => {
    const index = name('es-doc-roundtrip');
    const writer = createIndexWriter(client, { bulkBytes: 1024 * 1024, concurrency: 2 });
    await writer.create(index, {
      mappings: { properties: { id: { type: 'keyword' }, creationDate: { type: 'date' } } },
      settings: { index: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: '5s' } },
    });
    const documents = makeDocuments(10_000);
    const events: string[] = [];
    const result = await writer.write(index, pagesOf(documents, 999), {
      expected: documents.length,
      progress: {
        operation: 'test',
        emit: (event) => events.push(event.kind),
        child: () => {
          throw new Error('unused');
        },
      },
    });
    expect(result.written).toBe(10_000);
    expect(events[0]).toBe('start');
    expect(events.at(-1)).toBe('end');

    const reader = createIndexReader(client);
    expect(await reader.count(index)).toBe(10_000);
    const back = await readAll(index, 1500);
    expect(back).toHaveLength(10_000);
    expect(hashDocuments(back)).toBe(hashDocuments(documents));
    expect(back.filter((document) => document.routing).length).toBe(documents.filter((document) => document.routing).length);

    // The load settings were put back: the index's own refresh interval, no refresh off left behind.
    const settings = await client.indices.getSettings({ index, flat_settings: true });
    expect(settings[index]?.settings?.['index.refresh_interval']).toBe('5s');

    const definition = await reader.definition(index);
    expect(definition.mappings).toMatchObject({ properties: { id: { type: 'keyword' } } });
    const indexSettings = (definition.settings as { index: Record<string, unknown> }).index;
    expect(indexSettings.number_of_shards).toBe('2');
    for (const generated of ['uuid', 'creation_date', 'provided_name', 'version']) expect(indexSettings).not.toHaveProperty(generated);
    // What definition() returns can be given back to create(): that is its whole point.
    const copy = name('es-doc-definition-copy');
    await writer.create(copy, definition);
  });

  it('reads large documents back whole and once each, in pages held to a few MB', async () => {
    // 40 documents of ~300 KB: the first page asks for 10 documents (3 MB), the next ones for as
    // many as fit in ~2 MB (6); search_after must go on from the right place whatever the page size.
    const index = name('es-doc-large');
    const documents = Array.from({ length: 40 }, (_, n) => ({ id: `large-${n}`, source: { n, text: `${n}-${'é'.repeat(150_000)}` } }));
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: {}, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
    await writer.write(index, pagesOf(documents, 7));
    await client.indices.refresh({ index });
    const read = await readAll(index, 10);
    expect(read.map((document) => document.id).sort()).toEqual(documents.map((document) => document.id).sort());
    expect(hashDocuments(read)).toBe(hashDocuments(documents));
  });

  it('holds every answer to a few MB when documents are large, counted or not, whatever the page size asked', async () => {
    // 40 documents of ~300 KB: pages of 2000 documents (the reader's default) would be one answer
    // of 12 MB. With pages of about 2 MB, an answer past 8 MB is dropped unread and asked again
    // with fewer documents: in one search when the index was counted, from the first page when not.
    const index = name('es-doc-few-large');
    const documents = Array.from({ length: 40 }, (_, n) => ({ id: `big-${n}`, source: { n, text: `${n}-${'x'.repeat(300_000)}` } }));
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: {}, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
    await writer.write(index, pagesOf(documents, 5));
    await client.indices.refresh({ index });
    for (const count of [documents.length, undefined]) {
      const read: StoredDocument[] = [];
      let largest = 0;
      for await (const page of documentPages(client, index, { pageSize: 2000, keepAlive: '1m', count, pageBytes: 2 * 1024 * 1024 })) {
        largest = Math.max(largest, page.hits.bytes.length);
        for (const hit of page.hits) read.push({ id: JSON.parse(hit.idJson.toString('utf8')) as string, source: JSON.parse(hit.source.toString('utf8')) });
      }
      expect(largest, `counted: ${count}`).toBeLessThanOrEqual(8 * 1024 * 1024);
      expect(read.map((document) => document.id).sort()).toEqual(documents.map((document) => document.id).sort());
      expect(hashDocuments(read)).toBe(hashDocuments(documents));
    }
    // The reader a migration uses, with its defaults: every document, once, unchanged.
    expect(hashDocuments(await readAll(index))).toBe(hashDocuments(documents));
  });

  it('reads through an alias, and counts nothing for a missing index', async () => {
    const index = name('es-doc-aliased');
    const alias = `${index}-alias`;
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: {}, aliases: { [alias]: {} } });
    const documents = makeDocuments(50);
    await writer.write(index, pagesOf(documents, 20));
    const reader = createIndexReader(client);
    expect(await reader.count(alias)).toBe(50);
    expect(hashDocuments(await readAll(alias, 7))).toBe(hashDocuments(documents));
    expect(await reader.count(`${index}-missing`)).toBeUndefined();
    await expect(readAll(`${index}-missing`)).rejects.toMatchObject({ code: 'INDEX_NOT_FOUND' });
  });

  it('fails a write when Elasticsearch rejects a document, naming the reason', async () => {
    const index = name('es-doc-rejected');
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: { properties: { size: { type: 'integer' } } } });
    const documents: StoredDocument[] = [
      { id: 'good', source: { size: 1 } },
      { id: 'bad', source: { size: 'not a number' } },
    ];
    const failure = await writer.write(index, pagesOf(documents, 10)).catch((error: unknown) => error);
    expect(isA4cAdminError(failure) && failure.code).toBe('IMPORT_REJECTED');
    expect(String((failure as Error).message)).toMatch(/document_parsing_exception|mapper_parsing_exception/);
  });

  it('blocks and unblocks writes', async () => {
    const index = name('es-doc-block');
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: {} });
    await writer.setWriteBlock(index, true);
    await expect(writer.write(index, pagesOf([{ id: '1', source: { a: 1 } }], 1))).rejects.toThrow(/blocked/);
    await writer.setWriteBlock(index, false);
    expect((await writer.write(index, pagesOf([{ id: '1', source: { a: 1 } }], 1))).written).toBe(1);
  });

  it('lifts the blocks of every index at once and says which each one had', async () => {
    const writer = createIndexWriter(client);
    const [written, readOnly, free] = [name('es-doc-lift-w'), name('es-doc-lift-ro'), name('es-doc-lift-free')];
    await writer.createAll!([written, readOnly, free].map((index) => ({ index, definition: { mappings: {} } })));
    await writer.setWriteBlock(written, true);
    await client.indices.putSettings({ index: readOnly, settings: { 'index.blocks.read_only': true, 'index.blocks.write': true } });
    expect(await writer.liftAllBlocks!([written, readOnly, free])).toEqual({ [written]: ['write'], [readOnly]: ['write', 'read_only'] });
    for (const index of [written, readOnly, free]) expect((await writer.write(index, pagesOf([{ id: '1', source: { a: 1 } }], 1))).written).toBe(1);
    expect(await writer.liftAllBlocks!([written, readOnly, free])).toEqual({});
  });

  it('reports each created index as soon as it can be written and counted, before the others have all started', async () => {
    // What lets a migration fill its first targets while the node still starts the last ones
    // (4 new primaries at a time): an index reported started takes a write and answers a count.
    const writer = createIndexWriter(client);
    const indices = Array.from({ length: 12 }, (_, position) => name(`es-doc-starts-${position}`));
    const written: Promise<number | undefined>[] = [];
    const reported: string[] = [];
    await writer.createAll!(
      indices.map((index) => ({ index, definition: { mappings: {} } })),
      (index) => {
        reported.push(index);
        written.push(writer.write(index, pagesOf([{ id: index, source: { index } }], 1), { expected: 1 }).then(() => createIndexReader(client).count(index)));
      },
    );
    expect([...reported].sort()).toEqual([...indices].sort());
    expect(await Promise.all(written)).toEqual(indices.map(() => 1));
  });

  it('swaps aliases in one atomic request and resolves names', async () => {
    const oldIndex = name('es-doc-old');
    const newIndex = name('es-doc-new');
    const alias = `${oldIndex}-a4c`;
    const writer = createIndexWriter(client);
    await writer.create(oldIndex, { mappings: {}, aliases: { [alias]: {} } });
    await writer.create(newIndex, { mappings: {} });
    const store = createMigrationStateStore(client);

    expect(await store.resolve([alias, newIndex, `${newIndex}-absent`])).toEqual({ [alias]: [oldIndex], [newIndex]: [newIndex], [`${newIndex}-absent`]: [] });

    // One failing action (an index that does not exist) must leave every alias as it was.
    await expect(store.updateAliases([{ remove: { index: oldIndex, alias } }, { add: { index: `${newIndex}-absent`, alias } }])).rejects.toMatchObject({
      code: 'INDEX_NOT_FOUND',
    });
    expect((await store.resolve([alias]))[alias]).toEqual([oldIndex]);

    await store.updateAliases([{ remove: { index: oldIndex, alias } }, { add: { index: newIndex, alias } }]);
    expect((await store.resolve([alias]))[alias]).toEqual([newIndex]);
    expect(await store.listIndices(`${oldIndex.slice(0, -6)}*`)).toContain(oldIndex);

    await store.updateAliases([{ removeIndex: { index: oldIndex } }]);
    expect(await client.indices.exists({ index: oldIndex })).toBe(false);
  });

  it('keeps the data-version marker across store instances', async () => {
    const prefix = `${uniqueName('es-doc-marker')}-`;
    created.push(`${prefix}a4c-admin-data-version`);
    const store = createMigrationStateStore(client, { prefix });
    expect(await store.readMarker()).toBeUndefined();
    const marker = {
      version: '1.2.0',
      updatedAt: new Date().toISOString(),
      history: [
        {
          from: '1.1.0',
          to: '1.2.0',
          checksum: 'abc',
          startedAt: '2024-01-01T00:00:00.000Z',
          endedAt: '2024-01-01T00:01:00.000Z',
          counts: { 'a4c-topology': 3 },
        },
      ],
    };
    await store.writeMarker(marker);
    await store.writeMarker(marker);
    expect(await createMigrationStateStore(client, { prefix }).readMarker()).toEqual(marker);
  });

  it('says the cluster is unreachable, with the HTTP port hint, when nothing listens', async () => {
    const nowhere = createElasticsearchClient({ addresses: ['http://elastic:s3cr3t-pass@127.0.0.1:9'], max_retries: 0, request_timeout_ms: 5_000 });
    const failure = await describeCluster(nowhere).catch((error: unknown) => error);
    expect(isA4cAdminError(failure) && failure.code).toBe('CLUSTER_UNREACHABLE');
    expect((failure as { hint: string }).hint).toMatch(/9200/);
    expect(JSON.stringify((failure as { toJSON(): unknown }).toJSON())).not.toContain('s3cr3t-pass');
    await nowhere.close();
  });
});
