// a4c-admin's own export (what `backup --format export` writes) of a real 1.1.0 installation,
// migrated as a folder: the export manifest is metadata, the chunks it lists are the documents.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORT_MANIFEST_FILE } from '@a4c-admin/core/internal';
import { createElasticsearchClient, createIndexWriter, exportIndices } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNdjsonFolder } from '../fixtures.test-support.js';
import { loadPlainIndices } from '../load-indices.test-support.js';
import { expectedWithPluginRule, sortedDocuments as sorted } from '../views.test-support.js';
import { migrateExportFolder } from './migrate-export-folder.js';
import { readMigratedFolder } from './migrated-folder.test-support.js';

const elasticsearch = testElasticsearch();
const samples = loadNdjsonFolder('samples-1.1.0');

describe("migrateExportFolder on a4c-admin's own export", () => {
  const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
  const prefix = `${uniqueName('a4c-expf')}-`;
  const folder = mkdtemp(join(tmpdir(), 'a4c-own-export-'));

  afterAll(async () => {
    await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await client.close();
    await rm(await folder, { recursive: true, force: true });
  });

  it('migrates the export of the 1.1.0 samples to exactly the expected 1.2.0 documents', async () => {
    await loadPlainIndices(createIndexWriter(client), prefix, '1.1.0', samples);
    const exportFolder = join(await folder, 'export');
    await exportIndices(client, { folder: exportFolder, indices: Object.keys(samples).map((name) => `${prefix}${name}`), chunkBytes: 4096 });
    expect(await readdir(exportFolder)).toContain(EXPORT_MANIFEST_FILE);

    const destination = join(await folder, 'migrated');
    const result = await migrateExportFolder({ source: exportFolder, destination, from: '1.1.0', to: '1.2.0', indexPrefix: prefix });
    expect(result.files.length).toBe((await readdir(destination)).length);
    expect(sorted(await readMigratedFolder(destination))).toEqual(sorted(expectedWithPluginRule()));
  });
});
