import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isA4cAdminError, type StoredDocument } from '@a4c-admin/core';
import { createProgressReporter } from '@a4c-admin/core/internal';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createElasticsearchClient,
  createIndexReader,
  createIndexWriter,
  exportIndex,
  exportIndices,
  importIndex,
  importIndices,
  readExportManifest,
} from './index.js';
import { hashDocuments, makeDocuments, pagesOf } from './test-documents.test-support.js';

const elasticsearch = testElasticsearch();
const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
const created: string[] = [];
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-es-export-'));
});

afterAll(async () => {
  if (created.length > 0) await client.indices.delete({ index: created.join(','), ignore_unavailable: true }).catch(() => undefined);
  await client.close();
  await rm(folder, { recursive: true, force: true });
});

function name(prefix: string): string {
  const index = uniqueName(prefix);
  created.push(index);
  return index;
}

async function readAll(index: string): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  for await (const page of createIndexReader(client).read(index)) documents.push(...page);
  return documents;
}

const mappings = {
  properties: {
    id: { type: 'keyword' },
    creationDate: { type: 'date' },
    description: { type: 'text', analyzer: 'standard' },
    nodeTemplates: { type: 'object', enabled: false },
  },
};

async function makeIndex(prefix: string, count: number): Promise<{ index: string; documents: StoredDocument[] }> {
  const index = name(prefix);
  const writer = createIndexWriter(client);
  await writer.create(index, { mappings, settings: { index: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: '2s' } } });
  const documents = makeDocuments(count);
  await writer.write(index, pagesOf(documents, 1000));
  return { index, documents };
}

describe('export and import on the real node', () => {
  it('exports a write-blocked index (as a migration leaves it) and imports it elsewhere', async () => {
    const { index, documents } = await makeIndex('es-export-blocked', 50);
    await createIndexWriter(client).setWriteBlock(index, true);
    const exportFolder = join(folder, 'blocked');
    await exportIndices(client, { indices: [index], folder: exportFolder });
    const target = name('es-import-unblocked');
    // ES adds the private setting index.verified_read_only with a write block: it must not travel.
    await importIndices(client, { folder: exportFolder, targetIndex: () => target });
    expect(hashDocuments(await readAll(target))).toBe(hashDocuments(documents));
    await client.index({ index: target, id: 'writable', document: { id: 'writable' }, refresh: true });
  });

  it('round-trips every document byte for byte, with mappings and settings', async () => {
    const { index, documents } = await makeIndex('es-export-roundtrip', 5000);
    // A document sent pretty-printed keeps its line breaks in _source: the export must still be one line a document.
    const pretty = { id: 'pretty', source: { id: 'pretty', description: 'indented', nested: { list: [1, 2] } } };
    await client.transport.request(
      { method: 'PUT', path: `/${index}/_doc/pretty`, querystring: { refresh: 'true' }, body: JSON.stringify(pretty.source, null, 2) },
      { headers: { 'content-type': 'application/json' } },
    );
    const all = [...documents, pretty];

    const target = join(folder, 'roundtrip');
    const exported = await exportIndex(client, { index, folder: target, chunkBytes: 512 * 1024, pageSize: 700 });
    expect(exported.count).toBe(5001);
    expect(exported.chunks.length).toBeGreaterThan(2);
    expect(exported.chunks.reduce((sum, chunk) => sum + chunk.documents, 0)).toBe(5001);
    expect((await readdir(target)).sort()).toEqual([...exported.chunks.map((chunk) => chunk.file), 'export-manifest.json'].sort());
    expect(exported.chunks[0]!.file).toBe(`${index}-00001.ndjson.gz`);

    const copy = name('es-export-copy');
    const imported = await importIndex(client, { folder: target, targetIndex: copy });
    expect(imported).toMatchObject({ index: copy, written: 5001, rejected: 0 });
    expect(hashDocuments(await readAll(copy))).toBe(hashDocuments(all));

    const [original, restored] = await Promise.all([client.indices.get({ index }), client.indices.get({ index: copy })]);
    expect(restored[copy]?.mappings).toEqual(original[index]?.mappings);
    const keep = (settings: Record<string, unknown> | undefined) => {
      const { uuid, creation_date, provided_name, version, ...rest } = (settings ?? {}) as Record<string, unknown>;
      return rest;
    };
    expect(keep(restored[copy]?.settings?.index as never)).toEqual(keep(original[index]?.settings?.index as never));
  });

  it('exports few, large documents (36 of 1 MB) in pages of a few MB, not one answer of 36 MB, whole', async () => {
    // One search of the 36 would be a 36 MB answer, past 4 times the export's ~8 MB pages: it is
    // dropped unread and the index read in pages of as many documents as fit (a progress step a page).
    const index = name('es-export-large');
    const documents = Array.from({ length: 36 }, (_, n) => ({ id: `large-${n}`, source: { n, text: `${n}:${'y'.repeat(1_000_000)}` } }));
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: {}, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
    await writer.write(index, pagesOf(documents, 4));
    await writer.setWriteBlock(index, true);
    const exportFolder = join(folder, 'large');
    const done: number[] = [0];
    const progress = createProgressReporter('test', (event) => {
      if (event.kind === 'progress') done.push(event.done ?? 0);
    });
    const [exported] = (await exportIndices(client, { indices: [index], folder: exportFolder, progress })).indices;
    expect(exported!.count).toBe(documents.length);
    const pages = done.slice(1).map((total, position) => total - done[position]!);
    expect(pages.length).toBeGreaterThan(1);
    // At most 32 MB an answer: fewer than 32 of these documents a page.
    expect(Math.max(...pages)).toBeLessThan(32);
    const target = name('es-import-large');
    await importIndices(client, { folder: exportFolder, targetIndex: () => target });
    expect(hashDocuments(await readAll(target))).toBe(hashDocuments(documents));
  });

  it('detects a damaged chunk before loading anything', async () => {
    const { index } = await makeIndex('es-export-damaged', 2000);
    const target = join(folder, 'damaged');
    const exported = await exportIndex(client, { index, folder: target, chunkBytes: 256 * 1024, pageSize: 200, compression: 'none' });
    const victim = exported.chunks[1]!;
    const path = join(target, victim.file);
    const bytes = await readFile(path);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x01, middle);
    await writeFile(path, bytes);

    const copy = name('es-export-damaged-copy');
    const failure = await importIndex(client, { folder: target, targetIndex: copy }).catch((error: unknown) => error);
    expect(isA4cAdminError(failure) && failure.code).toBe('CHECKSUM_MISMATCH');
    expect((failure as Error).message).toContain(victim.file);
    expect(await client.indices.exists({ index: copy })).toBe(false);
  });

  it('fails clearly, leaving no export behind, when the index is deleted mid-export', async () => {
    const { index } = await makeIndex('es-export-deleted', 3000);
    const target = join(folder, 'deleted');
    let deletion: Promise<unknown> | undefined;
    // The deletion starts at the first page; every request the export sends after that waits for
    // it to be done, so that the next page meets a deleted index whatever the machine's load (on a
    // busy node the export used to finish its 15 pages before the deletion took effect).
    const afterDeletion = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'transport') return Reflect.get(target, property, receiver);
        const transport = target.transport;
        return new Proxy(transport, {
          get(inner, key) {
            if (key !== 'request') return Reflect.get(inner, key);
            return async (...args: Parameters<typeof transport.request>) => {
              await deletion;
              return inner.request(...args);
            };
          },
        });
      },
    });
    const failure = await exportIndex(afterDeletion, {
      index,
      folder: target,
      pageSize: 200,
      progress: {
        operation: 'test',
        emit(event) {
          if (event.kind === 'progress' && !deletion) deletion = client.indices.delete({ index });
        },
        child() {
          return this;
        },
      },
    }).catch((error: unknown) => error);
    await deletion;
    expect(isA4cAdminError(failure) && failure.code).toBe('INDEX_NOT_FOUND');
    expect((failure as Error).message).toMatch(/disappeared|does not exist/);
    expect(await readdir(target)).toEqual([]);
    await expect(readExportManifest(target)).rejects.toMatchObject({ code: 'EXPORT_INVALID' });
  });

  it('sets rejected documents aside in a dead-letter file, or fails without one', async () => {
    const index = name('es-export-mixed');
    const writer = createIndexWriter(client);
    await writer.create(index, { mappings: { properties: { size: { type: 'keyword' } } } });
    const documents: StoredDocument[] = Array.from({ length: 30 }, (_, position) => ({
      id: `d${position}`,
      source: { size: position % 10 === 0 ? 'huge' : String(position) },
    }));
    await writer.write(index, pagesOf(documents, 30));
    const target = join(folder, 'mixed');
    await exportIndex(client, { index, folder: target });
    const strict = { mappings: { properties: { size: { type: 'integer' } } } };

    const failing = name('es-export-strict');
    await expect(importIndex(client, { folder: target, targetIndex: failing, definition: strict })).rejects.toMatchObject({ code: 'IMPORT_REJECTED' });

    const deadLetterFile = join(folder, 'mixed.dead-letter.ndjson');
    const lenient = name('es-export-lenient');
    const result = await importIndex(client, { folder: target, targetIndex: lenient, definition: strict, deadLetterFile });
    expect(result).toMatchObject({ written: 27, rejected: 3, deadLetterFile });
    const lines = (await readFile(deadLetterFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reason: string; action: { index: { _id: string } }; source: unknown });
    expect(lines.map((line) => line.action.index._id).sort()).toEqual(['d0', 'd10', 'd20']);
    expect(lines[0]!.source).toEqual({ size: 'huge' });
    expect(lines[0]!.reason).toMatch(/huge|number/i);
  });

  it('refuses an export whose action lines would write elsewhere, and loads the same lines when they are plain', async () => {
    const { index, documents } = await makeIndex('es-export-forged', 30);
    const target = join(folder, 'forged');
    const exported = await exportIndex(client, { index, folder: target, compression: 'none' });
    const chunkPath = join(target, exported.chunks[0]!.file);
    const original = await readFile(chunkPath, 'utf8');
    const manifestPath = join(target, 'export-manifest.json');
    const manifestText = await readFile(manifestPath, 'utf8');
    const other = name('es-export-forged-victim');
    // The checksum proves nothing against a forger who rewrites the manifest too: each line is checked.
    const forgeries = [
      `{"index":{"_index":"${other}","_id":"x"}}`,
      `{"delete":{"_index":"${index}","_id":"x"}}`,
      `{"index":{"_index":"${index}","_id":"x","_index":"${other}"}}`,
      `{"index":{"_index":"${index}","_id":"x","pipeline":"p"}}`,
      `{"index":{"_index":"${index}","_id":"x"},"delete":{"_index":"${other}","_id":"y"}}`,
    ];
    for (const forged of forgeries) {
      const text = `${forged}\n{"id":"x"}\n${original}`;
      await writeFile(chunkPath, text);
      const sha256 = createHash('sha256').update(text).digest('hex');
      await writeFile(
        manifestPath,
        manifestText
          .replace(exported.chunks[0]!.sha256, sha256)
          .replace(/"count": ?30/, '"count": 31')
          .replace(/"documents": ?30/, '"documents": 31'),
      );
      const copy = name('es-export-forged-copy');
      const failure = await importIndex(client, { folder: target, targetIndex: copy }).catch((error: unknown) => error);
      expect(isA4cAdminError(failure) && failure.code, forged).toBe('EXPORT_INVALID');
      expect(await client.indices.exists({ index: other })).toBe(false);
    }
    // An id with escapes is a plain index action too: loaded, under the target's name.
    const text = `{"index":{"_index":"${index}","_id":"quo\\"te\\\\"}}\n{"id":"escaped"}\n${original}`;
    await writeFile(chunkPath, text);
    await writeFile(
      manifestPath,
      manifestText
        .replace(exported.chunks[0]!.sha256, createHash('sha256').update(text).digest('hex'))
        .replace(/"count": ?30/, '"count": 31')
        .replace(/"documents": ?30/, '"documents": 31'),
    );
    const copy = name('es-export-escaped-copy');
    expect(await importIndex(client, { folder: target, targetIndex: copy })).toMatchObject({ written: 31, rejected: 0 });
    expect(hashDocuments(await readAll(copy))).toBe(hashDocuments([...documents, { id: 'quo"te\\', source: { id: 'escaped' } }]));
  });

  it('puts the index settings back after a large import (loaded without refreshes and replicas)', async () => {
    // 20 000 documents and more are loaded into an index created without refreshes and replicas.
    const index = name('es-export-large');
    const writer = createIndexWriter(client);
    // One index sets its refresh interval, the other leaves it (and the replicas) to Elasticsearch.
    await writer.create(index, { mappings, settings: { index: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '7s' } } });
    const documents = makeDocuments(20_001);
    await writer.write(index, pagesOf(documents, 5000));
    const bare = name('es-export-large-bare');
    await writer.create(bare, { mappings, settings: { index: { number_of_shards: 1 } } });
    await writer.write(bare, pagesOf(documents, 5000));
    const target = join(folder, 'large');
    await exportIndices(client, { indices: [index, bare], folder: target });
    const results = await importIndices(client, { folder: target, targetIndex: (exported) => `${exported}-copy` });
    created.push(`${index}-copy`, `${bare}-copy`);
    expect(results.map((result) => result.written)).toEqual([20_001, 20_001]);
    // Searchable once the import returns, with the definition's own settings.
    expect((await client.count({ index: `${index}-copy` })).count).toBe(20_001);
    expect((await client.count({ index: `${bare}-copy` })).count).toBe(20_001);
    const settings = (await client.indices.getSettings({ index: `${index}-copy,${bare},${bare}-copy`, flat_settings: true })) as Record<
      string,
      { settings: Record<string, unknown> }
    >;
    expect(settings[`${index}-copy`]?.settings['index.refresh_interval']).toBe('7s');
    expect(settings[`${index}-copy`]?.settings['index.number_of_replicas']).toBe('0');
    expect(settings[`${bare}-copy`]?.settings['index.refresh_interval']).toBeUndefined();
    expect(settings[`${bare}-copy`]?.settings['index.number_of_replicas']).toBe(settings[bare]?.settings['index.number_of_replicas']);
  });

  it('exports and imports a set of indices (one through an alias) in one folder', async () => {
    const first = await makeIndex('es-export-set-a', 300);
    const second = await makeIndex('es-export-set-b', 200);
    const alias = `${second.index}-alias`;
    await client.indices.putAlias({ index: second.index, name: alias });
    const target = join(folder, 'set');
    const manifest = await exportIndices(client, { folder: target, indices: [first.index, alias] });
    expect(manifest.indices.map((entry) => [entry.index, entry.concreteIndex, entry.count])).toEqual([
      [first.index, first.index, 300],
      [alias, second.index, 200],
    ]);
    const results = await importIndices(client, { folder: target, targetIndex: (index) => `copy-${index}` });
    created.push(`copy-${first.index}`, `copy-${alias}`);
    expect(results.map((result) => [result.index, result.written])).toEqual([
      [`copy-${first.index}`, 300],
      [`copy-${alias}`, 200],
    ]);
    expect(hashDocuments(await readAll(`copy-${alias}`))).toBe(hashDocuments(second.documents));
    // A second import onto existing indices is refused unless asked to replace.
    await expect(importIndices(client, { folder: target, targetIndex: (index) => `copy-${index}` })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await importIndices(client, { folder: target, targetIndex: (index) => `copy-${index}`, replace: true })).map((result) => result.written)).toEqual([
      300, 200,
    ]);
  });
});
