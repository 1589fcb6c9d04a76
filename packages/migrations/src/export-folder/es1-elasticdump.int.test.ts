// The elasticdump road from a real A4C 1.x installation: the shared 1.1.0 samples loaded in
// A4C's multi-type layout on a real Elasticsearch 1.7.6, dumped as `elasticdump --type=data`
// does (a scroll over each index, each hit written as it came: _index, _type, _id, _score,
// _source), then migrated file to file by migrateExportFolder and by the built binary
// (`migrate 1.1.0 --from-export <folder> --output <folder>`): both give exactly the shared
// expected 1.2.0 documents. The dump is written one plain file per index (as the docs tell an
// operator to) and as one gzipped file of the whole cluster, which also holds a4c-admin's own
// indices (a backup on 1.7 writes its snapshot metadata there): those are left out, not refused.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dataVersionMarkerIndexName, snapshotMetadataIndexName } from '@a4c-admin/core/internal';
import { es1Request, loadEs1SampleIndices } from '@a4c-admin/sample-data';
import { testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, describeRun, runBinary } from '../built-binary.test-support.js';
import { expectedWithPluginRule, sortedDocuments as sorted } from '../views.test-support.js';
import { migrateExportFolder } from './migrate-export-folder.js';
import { readMigratedFolder } from './migrated-folder.test-support.js';

const legacy = testLegacyElasticsearch();
const expected = sorted(expectedWithPluginRule());

/** Every hit of an ES 1.x index, as a scroll returns it (what elasticdump writes, one JSON line each). */
async function dumpIndex(url: string, index: string): Promise<string[]> {
  const lines: string[] = [];
  let page = (await es1Request(url, 'GET', `/${index}/_search?scroll=1m&size=50`)) as { _scroll_id: string; hits: { hits: unknown[] } };
  while (page.hits.hits.length > 0) {
    lines.push(...page.hits.hits.map((hit) => JSON.stringify(hit)));
    // ES 1.x takes the scroll id as the raw body.
    page = (await es1Request(url, 'POST', '/_search/scroll?scroll=1m', page._scroll_id)) as typeof page;
  }
  await es1Request(url, 'DELETE', '/_search/scroll', page._scroll_id).catch(() => undefined);
  return lines;
}

describe.skipIf(!legacy)('an elasticdump of A4C 1.1.0 on Elasticsearch 1.7.6, migrated file to file', () => {
  const prefix = `${uniqueName('es1dump')}-`;
  let folder: string;
  /** One plain `<index>.json` per A4C index of the 1.x layout. */
  let perIndex: string;
  /** One gzipped file of every index under the prefix, a4c-admin's own included. */
  let wholeCluster: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'a4c-es1-dump-'));
    await loadEs1SampleIndices({ url: legacy!.url, prefix });
    // What a4c-admin itself keeps on a 1.7 cluster it backed up and migrated in place.
    await es1Request(legacy!.url, 'PUT', `/${snapshotMetadataIndexName(prefix)}/snapshot/backup110?refresh=true`, { snapshot: 'backup110', version: '1.1.0' });
    await es1Request(legacy!.url, 'PUT', `/${dataVersionMarkerIndexName(prefix)}/marker/data-version?refresh=true`, { version: '1.1.0', history: [] });
    const indices = Object.keys(await es1Request(legacy!.url, 'GET', '/_aliases'))
      .filter((index) => index.startsWith(prefix))
      .sort();
    perIndex = join(folder, 'per-index');
    wholeCluster = join(folder, 'whole-cluster');
    await mkdir(perIndex);
    await mkdir(wholeCluster);
    const all: string[] = [];
    for (const index of indices) {
      const lines = await dumpIndex(legacy!.url, index);
      all.push(...lines);
      if (index !== snapshotMetadataIndexName(prefix) && index !== dataVersionMarkerIndexName(prefix)) {
        await writeFile(join(perIndex, `${index}.json`), `${lines.join('\n')}\n`);
      }
    }
    await writeFile(join(wholeCluster, 'a4c-1.7.json.gz'), gzipSync(`${all.join('\n')}\n`));
  });

  afterAll(async () => {
    await es1Request(legacy!.url, 'DELETE', `/${prefix}*`).catch(() => undefined);
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('migrateExportFolder: one plain file per ES 1.x index gives exactly the expected 1.2.0 documents', async () => {
    const destination = join(folder, 'per-index-1.2.0');
    const result = await migrateExportFolder({ source: perIndex, destination, from: '1.1.0', to: '1.2.0', indexPrefix: prefix });
    expect(sorted(await readMigratedFolder(destination))).toEqual(expected);
    expect(result.indices.indexednodetype).toEqual({ read: 3, written: 3, failed: 0, merged: 0 });
    expect(result.skipped).toEqual({});
  });

  it("migrateExportFolder: a gzipped whole-cluster dump gives the same documents, a4c-admin's own indices left out", async () => {
    const destination = join(folder, 'whole-cluster-1.2.0');
    const result = await migrateExportFolder({ source: wholeCluster, destination, from: '1.1.0', to: '1.2.0', indexPrefix: prefix });
    expect(sorted(await readMigratedFolder(destination))).toEqual(expected);
    expect(result.skipped).toEqual({ [snapshotMetadataIndexName(prefix)]: 1, [dataVersionMarkerIndexName(prefix)]: 1 });
  });

  it('a4c-admin migrate 1.1.0 --from-export --output: the same documents from either dump, no cluster touched', async () => {
    assertBinaryBuilt();
    const config = join(folder, 'a4c-admin.json');
    // No cluster is reached: the address is a closed port, the sections every config needs are there.
    await writeFile(
      config,
      JSON.stringify({
        elasticsearch: { addresses: ['http://127.0.0.1:9'], index_prefix: prefix },
        backup: { files_dir: join(folder, 'backups') },
        alien4cloud: { dir: join(folder, 'alien4cloud') },
      }),
    );
    for (const [source, label] of [
      [perIndex, 'per-index'],
      [wholeCluster, 'whole-cluster'],
    ] as const) {
      const output = join(folder, `cli-${label}`);
      const run = await runBinary(['-c', config, 'migrate', '1.1.0', '--from-export', source, '--output', output, '--json'], folder);
      expect(run.code, `${label}: ${describeRun(run)}`).toBe(0);
      expect(sorted(await readMigratedFolder(output)), label).toEqual(expected);
    }
  });
});
