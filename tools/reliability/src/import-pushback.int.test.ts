// An import on a node that pushes back (429, as Elasticsearch answers a bulk request that
// would take it over its indexing-pressure limit): a proxy in front of the real node answers
// the first bulk requests with a 429, more of them than the transport's quick
// retries cover. The import waits the pushback out and completes with every document; a
// pushback that does not end is cancellable. The real pressure (a node with a small heap) is
// measured by tools/bench-es/bench-import-pressure.mjs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import { createElasticsearchClient, exportIndices, importIndices } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFaultProxy } from './fault-proxy.js';

const elasticsearch = testElasticsearch();
const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
const prefix = uniqueName('pressure');
const names = [`${prefix}-a`, `${prefix}-b`];
const perIndex = 2000;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-es-pressure-'));
  for (const index of names) {
    await client.indices.create({ index, settings: { number_of_shards: 1, number_of_replicas: 0 } });
    const operations = Array.from({ length: perIndex }, (_, id) => [
      { index: { _index: index, _id: String(id) } },
      { id, text: `document ${id} `.repeat(50) },
    ]).flat();
    await client.bulk({ operations });
  }
  await client.indices.refresh({ index: names.join(',') });
  await exportIndices(client, { folder, indices: names });
});

afterAll(async () => {
  await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
  await client.close();
  await rm(folder, { recursive: true, force: true });
});

it('imports every document while the node pushes back more bulk requests than the transport retries', { timeout: 120_000 }, async () => {
  // The transport retries a request 3 times (elasticsearch.max_retries): 8 pushbacks in a row outlast it.
  const proxy = await startFaultProxy(elasticsearch.url);
  proxy.setRules([{ path: /_bulk/, status: 429, times: 8 }]);
  const through = createElasticsearchClient({ addresses: [proxy.url] });
  try {
    const results = await importIndices(through, { folder, targetIndex: (index) => `${index}-copy` });
    expect(proxy.injected[429]).toBe(8);
    expect(results.map((result) => [result.written, result.rejected])).toEqual(names.map(() => [perIndex, 0]));
    for (const index of names) expect((await client.count({ index: `${index}-copy` })).count).toBe(perIndex);
  } finally {
    await through.close();
    await proxy.close();
  }
});

it('stops waiting out a pushback that does not end when the import is cancelled', { timeout: 60_000 }, async () => {
  const proxy = await startFaultProxy(elasticsearch.url);
  proxy.setRules([{ path: /_bulk/, status: 429, times: Number.POSITIVE_INFINITY }]);
  const through = createElasticsearchClient({ addresses: [proxy.url] });
  const controller = new AbortController();
  // The CLI aborts with a CANCELLED error (Ctrl-C): the import stops with it.
  const reason = new A4cAdminError('CANCELLED', 'cancelled by the test');
  setTimeout(() => controller.abort(reason), 3000);
  const started = performance.now();
  try {
    const failure = await importIndices(through, { folder, targetIndex: (index) => `${index}-cancelled`, signal: controller.signal }).catch(
      (error: unknown) => error,
    );
    expect(isA4cAdminError(failure) && failure.code).toBe('CANCELLED');
    // Stopped at the cancel, not at the end of the pushback budget (minutes).
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(proxy.injected[429]).toBeGreaterThan(3);
  } finally {
    await through.close();
    await proxy.close();
  }
});
