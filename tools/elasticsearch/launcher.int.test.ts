// The launcher gives real Elasticsearch: a single node and a 3-node cluster on which an fs
// snapshot of an index restores every document, and the Elasticsearch 1.7.6 that A4C 1.x
// ran, with its multi-type indices.
import { existsSync } from 'node:fs';
import { testElasticsearch, testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { describe, expect, it } from 'vitest';
import { cachedZipPath, DEFAULT_VERSION, ensureDistribution } from './index.mjs';

async function call(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/x-ndjson' },
    body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function snapshotRoundTrip(url: string, repoPath: string, documents: number) {
  const index = uniqueName('launcher');
  const lines = Array.from({ length: documents }, (_, i) => `{"index":{"_id":"doc-${i}"}}\n{"n":${i},"name":"app ${i}"}\n`).join('');
  const bulk = await call(url, 'POST', `/${index}/_bulk?refresh=true`, lines);
  expect(bulk.errors).toBe(false);

  const repository = uniqueName('repo');
  await call(url, 'PUT', `/_snapshot/${repository}`, { type: 'fs', settings: { location: `${repoPath}/${repository}` } });
  const verified = await call(url, 'POST', `/_snapshot/${repository}/_verify`);
  const snapshot = await call(url, 'PUT', `/_snapshot/${repository}/s1?wait_for_completion=true`, { indices: index });
  expect(snapshot.snapshot.state).toBe('SUCCESS');

  await call(url, 'DELETE', `/${index}`);
  const restored = await call(url, 'POST', `/_snapshot/${repository}/s1/_restore?wait_for_completion=true`, { indices: index });
  expect(restored.snapshot.shards.failed).toBe(0);
  await call(url, 'GET', `/_cluster/health/${index}?wait_for_status=yellow&timeout=60s`);

  const hits = await call(url, 'GET', `/${index}/_search?size=${documents}&sort=n`);
  expect(hits.hits.total.value).toBe(documents);
  expect(hits.hits.hits.map((hit: { _id: string }) => hit._id)).toEqual(Array.from({ length: documents }, (_, i) => `doc-${i}`));
  await call(url, 'DELETE', `/${index}`);
  await call(url, 'DELETE', `/_snapshot/${repository}`);
  return Object.keys(verified.nodes).length;
}

describe('the Elasticsearch launcher', () => {
  it('runs the cached Maven Central distribution, and a second start does not download it again', async () => {
    expect(existsSync(cachedZipPath(process.env.A4C_ES_VERSION ?? DEFAULT_VERSION))).toBe(true);
    const lines: string[] = [];
    const again = await ensureDistribution({ log: (line) => lines.push(line) });
    expect(again.downloaded).toBe(false);
    expect(lines.join('\n')).toMatch(/found in the Maven cache/);
  });

  it('starts a single node on which a snapshot restores every document', async () => {
    const { url, repoPath } = testElasticsearch();
    const health = await call(url, 'GET', '/_cluster/health');
    expect(health.number_of_nodes).toBe(1);
    const nodes = await call(url, 'GET', '/_nodes/settings');
    const node = Object.values(nodes.nodes)[0] as { version: string; settings: { path: { repo: string[] | string } } };
    expect(node.version).toMatch(/^8\./);
    const repo = repoPath || [node.settings.path.repo].flat()[0]!;
    expect(await snapshotRoundTrip(url, repo, 500)).toBe(1);
  });

  it('starts a 3-node cluster, green, on which a snapshot restores every document', async (context) => {
    const { clusterUrls, clusterRepoPath } = testElasticsearch();
    if (clusterUrls.length === 0) context.skip();
    const url = clusterUrls[0]!;
    const health = await call(url, 'GET', '/_cluster/health?wait_for_status=green&timeout=60s');
    expect(health.number_of_nodes).toBe(3);
    expect(health.status).toBe('green');
    // Every node verifies the shared repository folder.
    expect(await snapshotRoundTrip(url, clusterRepoPath || '/var/tmp/a4c-admin-es/nodes/cluster/repo', 2000)).toBe(3);
  });
});

describe('the legacy Elasticsearch of the launcher', () => {
  it('starts Elasticsearch 1.7.6 as A4C ran it: its cluster name, an index of two types, a snapshot into path.repo that restores them', async (context) => {
    const legacy = testLegacyElasticsearch();
    if (!legacy) context.skip();
    const { url } = legacy!;
    const about = await call(url, 'GET', '/');
    expect(about.version.number).toBe('1.7.6');
    expect(about.cluster_name).toBe(legacy!.clusterName);
    expect(legacy!.clusterName).toBe('escluster');

    const index = uniqueName('launcher-es1');
    await call(url, 'PUT', `/${index}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: {
        firsttype: { properties: { name: { type: 'string', index: 'not_analyzed' } } },
        secondtype: { properties: { n: { type: 'long' } } },
      },
    });
    const lines = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0 ? `{"index":{"_type":"firsttype","_id":"a-${i}"}}\n{"name":"app ${i}"}\n` : `{"index":{"_type":"secondtype","_id":"b-${i}"}}\n{"n":${i}}\n`,
    ).join('');
    const bulk = await call(url, 'POST', `/${index}/_bulk?refresh=true`, lines);
    expect(bulk.errors).toBe(false);
    const countsByType = async () => ({
      first: (await call(url, 'GET', `/${index}/firsttype/_count`)).count,
      second: (await call(url, 'GET', `/${index}/secondtype/_count`)).count,
    });
    expect(await countsByType()).toEqual({ first: 25, second: 25 });

    const settings = await call(url, 'GET', '/_nodes/settings');
    const node = Object.values(settings.nodes)[0] as { settings: { path: { repo: string[] | string } } };
    const repoPath = legacy!.repoPath || [node.settings.path.repo].flat()[0]!;
    const repository = uniqueName('repo');
    await call(url, 'PUT', `/_snapshot/${repository}`, { type: 'fs', settings: { location: `${repoPath}/${repository}` } });
    await call(url, 'POST', `/_snapshot/${repository}/_verify`);
    const snapshot = await call(url, 'PUT', `/_snapshot/${repository}/s1?wait_for_completion=true`, { indices: index });
    expect(snapshot.snapshot.state).toBe('SUCCESS');

    await call(url, 'DELETE', `/${index}`);
    const restored = await call(url, 'POST', `/_snapshot/${repository}/s1/_restore?wait_for_completion=true`, { indices: index });
    expect(restored.snapshot.shards.failed).toBe(0);
    await call(url, 'GET', `/_cluster/health/${index}?wait_for_status=yellow&timeout=60s`);
    expect(await countsByType()).toEqual({ first: 25, second: 25 });
    expect((await call(url, 'GET', `/${index}/firsttype/a-4`))._source).toEqual({ name: 'app 4' });
    expect((await call(url, 'GET', `/${index}/secondtype/b-7`))._source).toEqual({ n: 7 });
    const mapping = await call(url, 'GET', `/${index}/_mapping`);
    expect(Object.keys(mapping[index].mappings).sort()).toEqual(['firsttype', 'secondtype']);

    await call(url, 'DELETE', `/${index}`);
    await call(url, 'DELETE', `/_snapshot/${repository}`);
  });
});
