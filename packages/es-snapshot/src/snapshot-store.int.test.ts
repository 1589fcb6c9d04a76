import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isA4cAdminError, type ProgressEvent, type StoredDocument } from '@a4c-admin/core';
import { FULL_TRIALS, testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createSnapshotStore, type RepositoryConfig } from './index.js';
import { hashDocuments, makeDocuments, pagesOf } from './test-documents.test-support.js';

const elasticsearch = testElasticsearch();

async function readAll(client: ReturnType<typeof createElasticsearchClient>, index: string): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  for await (const page of createIndexReader(client).read(index)) documents.push(...page);
  return documents;
}

function recorder() {
  const events: ProgressEvent[] = [];
  const reporter = {
    operation: 'test',
    emit: (event: Omit<ProgressEvent, 'operation' | 'elapsedMs'>) => events.push({ ...event, operation: 'test', elapsedMs: 0 }),
    child: () => reporter,
  };
  return { events, reporter };
}

const targets = [
  { label: 'single node', urls: [elasticsearch.url], repoPath: elasticsearch.repoPath },
  { label: '3-node cluster', urls: elasticsearch.clusterUrls, repoPath: elasticsearch.clusterRepoPath },
].filter((target) => target.urls.length > 0);

describe.each(targets)('snapshots on the $label', ({ label, urls, repoPath }) => {
  const client = createElasticsearchClient({ addresses: urls });
  const indices: string[] = [];
  const repositories: RepositoryConfig[] = [];

  function repositoryConfig(extra: Partial<RepositoryConfig> = {}): RepositoryConfig {
    const name = uniqueName('es-snap-repo');
    const config = { name, location: name, max_snapshot_bytes_per_sec: '1gb', max_restore_bytes_per_sec: '1gb', ...extra };
    repositories.push(config);
    return config;
  }

  afterAll(async () => {
    if (indices.length > 0) await client.indices.delete({ index: indices.join(','), ignore_unavailable: true }).catch(() => undefined);
    for (const repository of repositories) {
      await client.snapshot.delete({ repository: repository.name, snapshot: '*' }).catch(() => undefined);
      await client.snapshot.deleteRepository({ name: repository.name }).catch(() => undefined);
      if (repoPath && !repository.location.startsWith('/')) await rm(join(repoPath, repository.location), { recursive: true, force: true });
    }
    await client.close();
  });

  async function makeIndex(prefix: string, count: number, shards: number, alias?: string): Promise<{ index: string; documents: StoredDocument[] }> {
    const index = uniqueName(prefix);
    indices.push(index);
    const writer = createIndexWriter(client);
    await writer.create(index, {
      mappings: {},
      settings: { index: { number_of_shards: shards, number_of_replicas: 0 } },
      ...(alias ? { aliases: { [alias]: {} } } : {}),
    });
    const documents = makeDocuments(count);
    await writer.write(index, pagesOf(documents, 500));
    return { index, documents };
  }

  it('snapshots several indices (one through its alias) and restores them, with and without rename', async () => {
    const repository = repositoryConfig();
    const store = createSnapshotStore(client, repository, { pollIntervalMs: 200 });
    const info = await store.ensureRepository();
    expect(info.verifiedNodes).toHaveLength(urls.length);

    const first = await makeIndex('es-snap-a', 1200, 2);
    const second = await makeIndex('es-snap-b', 300, 1);
    const alias = `${uniqueName('es-snap-alias')}`;
    const third = await makeIndex('es-snap-c-v2', 200, 1, alias);
    const name = uniqueName('snap');
    const { events, reporter } = recorder();
    const snapshot = await store.create({ name, indices: [first.index, second.index, alias], metadata: { tool: 'a4c-admin', backup: name } }, reporter);
    expect(snapshot.state).toBe('SUCCESS');
    expect(snapshot.indices).toEqual([first.index, second.index, third.index].sort());
    expect(snapshot.metadata).toMatchObject({ tool: 'a4c-admin', backup: name });
    expect(events.some((event) => event.kind === 'end' && event.phase === 'snapshot')).toBe(true);
    expect((await store.list()).map((entry) => entry.name)).toContain(name);
    expect((await store.get(name))?.state).toBe('SUCCESS');
    expect(await store.get(`${name}-absent`)).toBeUndefined();

    // Rename: copies beside the originals, every document back.
    const renamed = await store.restore({ name, indices: [first.index, alias], rename: { pattern: '^(.+)$', replacement: 'restored-$1' } });
    indices.push(`restored-${first.index}`, `restored-${third.index}`);
    expect(renamed.counts).toEqual({ [`restored-${first.index}`]: 1200, [`restored-${third.index}`]: 200 });
    expect(hashDocuments(await readAll(client, `restored-${first.index}`))).toBe(hashDocuments(first.documents));

    // In place: the changed originals come back as they were in the snapshot; the alias too.
    await client.deleteByQuery({ index: second.index, query: { match_all: {} } }).catch(async () => {
      // No _delete_by_query on this distribution: delete a few documents by id instead.
      for (const document of second.documents.slice(0, 10))
        await client.delete({ index: second.index, id: document.id, routing: document.routing, refresh: true });
    });
    await client.indices.delete({ index: third.index });
    const other = await makeIndex('es-snap-untouched', 5, 1);
    const inPlace = await store.restore({ name, indices: [second.index, alias] });
    expect(inPlace.counts).toEqual({ [second.index]: 300, [third.index]: 200 });
    expect(hashDocuments(await readAll(client, second.index))).toBe(hashDocuments(second.documents));
    expect(hashDocuments(await readAll(client, alias))).toBe(hashDocuments(third.documents));
    // Only the restored indices were touched.
    expect(await client.count({ index: other.index })).toMatchObject({ count: 5 });
    expect(await client.count({ index: first.index })).toMatchObject({ count: 1200 });

    await store.remove(name);
    expect(await store.get(name)).toBeUndefined();
  });

  it.runIf(label === 'single node' || FULL_TRIALS)(
    'replaces only what an earlier restore of the snapshot made when asked to, and a refused restore closes nothing',
    async () => {
      const store = createSnapshotStore(client, repositoryConfig(), { pollIntervalMs: 200 });
      await store.ensureRepository();
      const first = await makeIndex('es-snap-own-a', 20, 1);
      const second = await makeIndex('es-snap-own-b', 10, 1);
      const name = uniqueName('snap-own');
      await store.create({ name, indices: [first.index, second.index] });
      const rename = { pattern: '^(.+)$', replacement: 'again-$1' };
      const [firstCopy, secondCopy] = [`again-${first.index}`, `again-${second.index}`];
      indices.push(firstCopy, secondCopy);
      const count = async (index: string) => (await client.count({ index })).count;

      // An earlier restore (killed once it had restored the first index), changed since.
      await store.restore({ name, indices: [first.index], rename });
      await client.delete({ index: firstCopy, id: first.documents[0]!.id, routing: first.documents[0]!.routing, refresh: true });
      // Someone else's index under the second target name.
      const writer = createIndexWriter(client);
      await writer.create(secondCopy, { mappings: {}, settings: { index: { number_of_shards: 1, number_of_replicas: 0 } } });
      await writer.write(secondCopy, pagesOf(makeDocuments(3), 3));

      const refused = await store.restore({ name, indices: [first.index, second.index], rename, replace: 'earlier-restores' }).catch((error: unknown) => error);
      expect(isA4cAdminError(refused) && refused.code).toBe('PRECONDITION_FAILED');
      expect(String((refused as Error).message)).toContain(secondCopy);
      expect(String((refused as Error).message)).not.toContain(firstCopy);
      // Nothing was closed or replaced: both are open, as they were.
      expect(await count(firstCopy)).toBe(19);
      expect(await count(secondCopy)).toBe(3);

      // An alias among the targets is refused before the existing first target is closed.
      await client.indices.delete({ index: secondCopy });
      const aliased = await makeIndex('es-snap-aliased', 2, 1, secondCopy);
      const refusedAlias = await store.restore({ name, indices: [first.index, second.index], rename }).catch((error: unknown) => error);
      expect(isA4cAdminError(refusedAlias) && refusedAlias.code).toBe('PRECONDITION_FAILED');
      expect(await count(firstCopy)).toBe(19);
      await client.indices.delete({ index: aliased.index });

      const restored = await store.restore({ name, indices: [first.index, second.index], rename, replace: 'earlier-restores' });
      expect(restored.counts).toEqual({ [firstCopy]: 20, [secondCopy]: 10 });
      expect(hashDocuments(await readAll(client, firstCopy))).toBe(hashDocuments(first.documents));
    },
  );

  // One shape is enough for this class in the default tier (the refusal is the node's answer,
  // the same on one node and on three); A4C_TRIALS=full runs it on the cluster too.
  it.runIf(label === 'single node' || FULL_TRIALS)('refuses a restore and a second snapshot while a (throttled) snapshot runs', async () => {
    // Registered and used before the slow snapshot starts: verifying a repository needs a
    // snapshot thread, and a 2-core node has one, held by the throttled snapshot.
    const fast = createSnapshotStore(client, repositoryConfig(), { pollIntervalMs: 200 });
    await fast.ensureRepository();
    const small = await makeIndex('es-snap-small', 20, 1);
    const done = uniqueName('done');
    await fast.create({ name: done, indices: [small.index] });

    // ~5 KB at 1 KB/s: long enough to be caught running (polled every 0.1 s), short enough to end on its own.
    const slowRepository = repositoryConfig({ max_snapshot_bytes_per_sec: '1kb' });
    const slow = createSnapshotStore(client, slowRepository, { pollIntervalMs: 200 });
    await slow.ensureRepository();
    const big = await makeIndex('es-snap-slow', 30, 1);
    const slowName = uniqueName('slow');
    const pending = slow.create({ name: slowName, indices: [big.index] });
    pending.catch(() => undefined);
    for (let attempt = 0; attempt < 100 && (await slow.running()).length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await slow.running()).toContain(`snapshot ${slowRepository.name}/${slowName}`);

    const refusedSnapshot = await fast.create({ name: uniqueName('second'), indices: [small.index] }).catch((error: unknown) => error);
    expect(isA4cAdminError(refusedSnapshot) && refusedSnapshot.code).toBe('SNAPSHOT_IN_PROGRESS');
    const refusedRestore = await fast.restore({ name: done, indices: [small.index] }).catch((error: unknown) => error);
    expect(isA4cAdminError(refusedRestore) && refusedRestore.code).toBe('SNAPSHOT_IN_PROGRESS');
    // Refused before anything was touched: the index is still open and whole.
    expect(await client.count({ index: small.index })).toMatchObject({ count: 20 });

    expect((await pending).state).toBe('SUCCESS');
    expect(await slow.running()).toEqual([]);
  });

  it('explains a repository folder outside path.repo with the line to write: the entries the node has, and the new one', async () => {
    const location = `/tmp/${uniqueName('es-snap-outside')}`;
    const store = createSnapshotStore(client, { ...repositoryConfig(), location });
    const failure = await store.ensureRepository().catch((error: unknown) => error);
    expect(isA4cAdminError(failure) && failure.code).toBe('REPOSITORY_NOT_ALLOWED');
    const { pathRepo } = (failure as { details: { pathRepo: string[] } }).details;
    expect(pathRepo.length).toBeGreaterThan(0);
    if (repoPath) expect(pathRepo).toContain(repoPath);
    // Followed literally, the line keeps what the node had: path.repo is replaced as a whole.
    expect((failure as { hint: string }).hint).toContain(`path.repo: [${[...pathRepo, location].map((entry) => `"${entry}"`).join(', ')}]`);
    expect((failure as { hint: string }).hint).toContain(`Add ${location} to path.repo`);
    expect((failure as Error).message).toContain(repoPath || 'path.repo');
  });
});
