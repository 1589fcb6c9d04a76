// The whole-installation export on the real node: several indices at once, small ones in one
// request (seen through a recording proxy in front of the node), large ones in slices.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { StoredDocument } from '@a4c-admin/core';
import { testElasticsearch, testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectElasticsearch, createElasticsearchClient, createIndexReader, createIndexWriter, exportIndices, importIndices } from './index.js';
import { hashDocuments, makeDocuments, pagesOf } from './test-documents.test-support.js';

const elasticsearch = testElasticsearch();
const legacy = testLegacyElasticsearch();
const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
const created: string[] = [];
let folder: string;

/** A proxy in front of the real node that records each request's method, path and body. */
interface Recorder {
  url: string;
  requests: { method: string; path: string; body: string }[];
  server: Server;
}

async function startRecorder(url = elasticsearch.url): Promise<Recorder> {
  const target = new URL(url);
  const requests: Recorder['requests'] = [];
  const server = createServer((incoming, outgoing) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => {
      const body = Buffer.concat(parts);
      requests.push({ method: incoming.method ?? '', path: incoming.url ?? '', body: body.toString('utf8') });
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-es-export-concurrency-'));
});

afterAll(async () => {
  if (created.length > 0) await client.indices.delete({ index: created.join(','), ignore_unavailable: true }).catch(() => undefined);
  await client.close();
  await rm(folder, { recursive: true, force: true });
});

async function makeIndex(prefix: string, count: number, shards = 1): Promise<{ index: string; documents: StoredDocument[] }> {
  const index = uniqueName(prefix);
  created.push(index);
  const writer = createIndexWriter(client);
  await writer.create(index, {
    mappings: { properties: { id: { type: 'keyword' } } },
    settings: { index: { number_of_shards: shards, number_of_replicas: 0 } },
  });
  const documents = makeDocuments(count);
  await writer.write(index, pagesOf(documents, 1000));
  await client.indices.refresh({ index });
  return { index, documents };
}

async function readAll(index: string): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  for await (const page of createIndexReader(client).read(index)) documents.push(...page);
  return documents;
}

/** Every document line of an export's chunks of `index` (action line + source line), sorted: the export's content, whatever its order. */
async function exportedLines(exportFolder: string, chunks: { file: string }[]): Promise<string[]> {
  const lines: string[] = [];
  for (const chunk of chunks) {
    const text = gunzipSync(await readFile(join(exportFolder, chunk.file))).toString('utf8');
    const all = text.split('\n').filter((line) => line.length > 0);
    for (let position = 0; position < all.length; position += 2) lines.push(`${all[position]}\n${all[position + 1]}`);
  }
  return lines.sort();
}

describe('exporting a whole installation at once', () => {
  it('exports several indices at once, small ones in one search each (no point in time), and imports them back identical', async () => {
    const small = await Promise.all([3, 0, 40, 1, 7].map((count, position) => makeIndex(`es-conc-small${position}`, count)));
    const recorder = await startRecorder();
    const recorded = createElasticsearchClient({ addresses: [recorder.url] });
    try {
      const names = small.map((entry) => entry.index);
      const target = join(folder, 'small');
      const manifest = await exportIndices(recorded, { indices: names, folder: target, pageSize: 100 });
      // The manifest keeps the order asked, whatever order the indices ended in.
      expect(manifest.indices.map((entry) => entry.index)).toEqual(names);
      expect(manifest.indices.map((entry) => entry.count)).toEqual([3, 0, 40, 1, 7]);
      const paths = recorder.requests.map((entry) => `${entry.method} ${decodeURIComponent(entry.path.split('?')[0]!)}`);
      // Metadata in two requests for all five (definitions with aliases, counts), then one search an index.
      expect(paths.filter((path) => path.includes('_pit'))).toEqual([]);
      expect(paths.filter((path) => path.includes('/_search/scroll'))).toEqual([]);
      expect(paths.filter((path) => path.endsWith('/_msearch'))).toHaveLength(1);
      expect(paths.filter((path) => path.endsWith('/_search')).sort()).toEqual(names.map((index) => `POST /${index}/_search`).sort());
      expect(paths.filter((path) => path === `GET /${names.join(',')}`)).toHaveLength(1);
      expect(paths.filter((path) => path.endsWith('/_count') || path.endsWith('/_alias'))).toEqual([]);

      const results = await importIndices(client, { folder: target, targetIndex: (index) => `${index}-copy` });
      created.push(...results.map((result) => result.index));
      expect(results.map((result) => result.index)).toEqual(names.map((index) => `${index}-copy`));
      for (const { index, documents } of small) expect(hashDocuments(await readAll(`${index}-copy`))).toBe(hashDocuments(documents));
    } finally {
      await recorded.close();
      await new Promise((resolve) => recorder.server.close(resolve));
    }
  });

  it('reads a large multi-shard index in slices (one a shard) into the same documents as one stream', async () => {
    const { index, documents } = await makeIndex('es-conc-sliced', 1200, 3);
    const recorder = await startRecorder();
    const recorded = createElasticsearchClient({ addresses: [recorder.url] });
    try {
      const sliced = await exportIndices(recorded, { indices: [index], folder: join(folder, 'sliced'), pageSize: 100, slices: 3 });
      const sliceBodies = recorder.requests.filter((entry) => entry.body.includes('"slice"')).map((entry) => JSON.parse(entry.body).slice.id as number);
      expect(new Set(sliceBodies)).toEqual(new Set([0, 1, 2]));
      expect(recorder.requests.filter((entry) => entry.method === 'POST' && entry.path.includes('_pit'))).toHaveLength(1);
      const one = await exportIndices(client, { indices: [index], folder: join(folder, 'one'), pageSize: 100, slices: 1 });
      const [slicedEntry, oneEntry] = [sliced.indices[0]!, one.indices[0]!];
      expect(slicedEntry.count).toBe(1200);
      // Each slice writes its own chunks, named by slice, listed slice after slice.
      expect(slicedEntry.chunks.map((chunk) => chunk.file)).toEqual([0, 1, 2].map((slice) => `${index}-s${slice}-00001.ndjson.gz`));
      expect(oneEntry.chunks.map((chunk) => chunk.file)).toEqual([`${index}-00001.ndjson.gz`]);
      expect(await exportedLines(join(folder, 'sliced'), slicedEntry.chunks)).toEqual(await exportedLines(join(folder, 'one'), oneEntry.chunks));
      const [result] = await importIndices(client, { folder: join(folder, 'sliced'), targetIndex: (name) => `${name}-copy` });
      created.push(result!.index);
      expect(hashDocuments(await readAll(result!.index))).toBe(hashDocuments(documents));
    } finally {
      await recorded.close();
      await new Promise((resolve) => recorder.server.close(resolve));
    }
  });
});

describe.skipIf(!legacy)('exporting a whole installation at once from Elasticsearch 1.7.6', () => {
  it('batches definitions and counts, reads a one-page multi-type index with one plain search (routing and types kept), and imports both back', async () => {
    const connection = await connectElasticsearch({ addresses: [legacy!.url] });
    const recorder = await startRecorder(legacy!.url);
    const recorded = await connectElasticsearch({ addresses: [recorder.url] });
    const names = [uniqueName('es1-conc-small'), uniqueName('es1-conc-paged')];
    const typed = (count: number) => makeDocuments(count).map((document, position) => ({ ...document, type: position % 3 === 0 ? 'capability' : 'node' }));
    const sets = [typed(30), typed(250)];
    try {
      const writer = createIndexWriter(connection.client, { dialect: connection.dialect });
      for (const [position, name] of names.entries()) {
        await writer.create(name, {
          mappings: { node: { properties: {} }, capability: { properties: {} } },
          settings: { index: { number_of_shards: 2, number_of_replicas: 0 } },
        });
        await writer.write(name, pagesOf(sets[position]!, 100));
      }
      const target = join(folder, 'es1');
      const manifest = await exportIndices(recorded.client, { indices: names, folder: target, pageSize: 100, dialect: recorded.dialect });
      expect(manifest.indices.map((entry) => entry.count)).toEqual([30, 250]);
      const paths = recorder.requests.map((entry) => `${entry.method} ${decodeURIComponent(entry.path)}`);
      expect(paths.filter((path) => path.startsWith('POST /_msearch'))).toHaveLength(1);
      expect(paths.filter((path) => path.startsWith(`GET /${names.join(',')}`))).toHaveLength(1);
      // The small index: one search, no scan; the other pages with scan + scroll as before.
      expect(paths.filter((path) => path.startsWith(`POST /${names[0]}/_search`))).toEqual([`POST /${names[0]}/_search`]);
      expect(paths.filter((path) => path.startsWith(`POST /${names[1]}/_search`)).every((path) => path.includes('search_type=scan'))).toBe(true);
      for (const name of names) await writer.remove(name);
      await importIndices(connection.client, { folder: target, dialect: connection.dialect });
      for (const [position, name] of names.entries()) {
        const documents: StoredDocument[] = [];
        for await (const page of createIndexReader(connection.client, { dialect: connection.dialect }).read(name)) documents.push(...page);
        expect(hashDocuments(documents)).toBe(hashDocuments(sets[position]!));
      }
    } finally {
      for (const name of names) await connection.client.indices.delete({ index: name }, { ignore: [404] }).catch(() => undefined);
      await recorded.client.close();
      await connection.client.close();
      await new Promise((resolve) => recorder.server.close(resolve));
    }
  });
});
