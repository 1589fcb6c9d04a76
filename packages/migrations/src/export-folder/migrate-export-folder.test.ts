import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA_VERSION_1_1_0, ES1_STORAGE_LAYOUT, type StoredDocument } from '@a4c-admin/core';
import { dataVersionMarkerIndexName, EXPORT_MANIFEST_FILE, snapshotMetadataIndexName } from '@a4c-admin/core/internal';
import { readSampleDocuments } from '@a4c-admin/sample-data';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNdjsonFolder } from '../fixtures.test-support.js';
import { CLOUDIFY3_DEFAULT_SETTINGS } from '../rules/cloudify3-orchestrator.js';
import { migrateExportFolder } from './migrate-export-folder.js';
import { readMigratedFolder } from './migrated-folder.test-support.js';

const samples = loadNdjsonFolder('samples-1.1.0');
const expected = loadNdjsonFolder('expected-1.2.0');
expected.orchestratorconfiguration = expected.orchestratorconfiguration!.map((document) => ({
  ...document,
  source: { ...document.source, configuration: { ...(document.source.configuration as object), ...CLOUDIFY3_DEFAULT_SETTINGS } },
}));

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'a4c-export-'));
  folders.push(folder);
  return folder;
}

const bulk = (index: string, documents: StoredDocument[]) =>
  documents.map((document) => `${JSON.stringify({ index: { _index: index, _id: document.id } })}\n${JSON.stringify(document.source)}\n`).join('');
const elasticdump = (index: string, documents: StoredDocument[]) =>
  documents.map((document) => `${JSON.stringify({ _index: index, _type: '_doc', _id: document.id, _source: document.source })}\n`).join('');

/** The samples as an export: bulk files, gzipped bulk files and elasticdump files, mixed. */
async function writeSampleExport(folder: string): Promise<void> {
  for (const [position, [index, documents]] of Object.entries(samples).entries()) {
    if (position % 3 === 0) await writeFile(join(folder, `${index}.ndjson`), bulk(index, documents));
    else if (position % 3 === 1) await writeFile(join(folder, `${index}.ndjson.gz`), gzipSync(bulk(index, documents)));
    else await writeFile(join(folder, `${index}.json`), elasticdump(index, documents));
  }
}

/** Where A4C 1.1.0 kept each ES 8 index's documents on its ES 1.x cluster: index and type. */
const es1LocationOf = new Map(ES1_STORAGE_LAYOUT[DATA_VERSION_1_1_0].map((row) => [row.es8Index, row]));

/** The shared 1.1.0 samples as `elasticdump --type=data` writes them from A4C's ES 1.x cluster: by ES 1.x index, with `_type`. */
async function es1ElasticdumpLines(prefix = ''): Promise<Map<string, string[]>> {
  const byEs1Index = new Map<string, string[]>();
  for (const document of await readSampleDocuments()) {
    const location = es1LocationOf.get(document.index)!;
    const index = `${prefix}${location.es1Index}`;
    const line = JSON.stringify({ _index: index, _type: location.es1Type, _id: document.id, _score: 1, _source: document.source });
    byEs1Index.set(index, [...(byEs1Index.get(index) ?? []), line]);
  }
  return byEs1Index;
}

/** An a4c-admin export folder: chunks of bulk lines and the manifest listing them with their SHA-256. */
async function writeToolExport(folder: string, chunks: Array<{ file: string; lines: string[]; documents: number }>): Promise<void> {
  const listed = [];
  for (const chunk of chunks) {
    const content = gzipSync(`${chunk.lines.join('\n')}\n`);
    await writeFile(join(folder, chunk.file), content);
    listed.push({ file: chunk.file, documents: chunk.documents, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') });
  }
  const manifest = { format: 'a4c-admin-export', formatVersion: 1, createdAt: new Date().toISOString(), indices: [{ index: 'all', chunks: listed }] };
  await writeFile(join(folder, EXPORT_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
}

describe('migrateExportFolder', () => {
  it('migrates an export in bulk, gzip and elasticdump formats into bulk NDJSON equal to the expected 1.2.0 documents', async () => {
    const source = await temporaryFolder();
    const destination = join(await temporaryFolder(), 'migrated');
    await writeSampleExport(source);
    const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0' });
    expect(await readMigratedFolder(destination)).toEqual(expected);
    expect(result.files).toHaveLength(26);
    expect(result.indices.topology).toEqual({ read: 2, written: 2, failed: 0, merged: 0 });
    expect(result.rules['P1-cloudify3-orchestrator-settings']).toBe(3);
    expect(result.quarantineFile).toBeUndefined();
    expect((await readdir(destination)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('takes the prefix and version suffix off index names', async () => {
    const source = await temporaryFolder();
    const destination = join(await temporaryFolder(), 'out');
    await writeFile(join(source, 'dump.ndjson'), bulk('prod-topologytemplate-v1.1.0', samples.topologytemplate!));
    await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0', indexPrefix: 'prod-' });
    expect(await readMigratedFolder(destination)).toEqual({ topologytemplate: expected.topologytemplate });
  });

  it('fails on a document no rule can transform, naming it, and quarantines it when asked', async () => {
    const source = await temporaryFolder();
    const bad = { id: 'broken', source: { elementId: 'x', properties: 'not a map' } };
    await writeFile(join(source, 'indexednodetype.ndjson'), bulk('indexednodetype', [...samples.indexednodetype!, bad]));
    await expect(migrateExportFolder({ source, destination: join(await temporaryFolder(), 'a'), from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({
      code: 'TRANSFORM_FAILED',
      details: { index: 'indexednodetype', id: 'broken', rule: 'R2-tosca-element-properties' },
    });
    const destination = join(await temporaryFolder(), 'out');
    const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0', quarantine: true });
    expect(result.indices.indexednodetype).toEqual({ read: 4, written: 3, failed: 1, merged: 0 });
    const quarantined = (await readFile(result.quarantineFile!, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; rule: string; document: StoredDocument });
    expect(quarantined).toEqual([expect.objectContaining({ id: 'broken', rule: 'R2-tosca-element-properties', document: bad })]);
  });

  it('refuses a non-empty destination, a broken line and a non-A4C index', async () => {
    const source = await temporaryFolder();
    await writeFile(join(source, 'user.ndjson'), bulk('user', samples.user!));
    const busy = await temporaryFolder();
    await mkdir(join(busy, 'something'));
    await expect(migrateExportFolder({ source, destination: busy, from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await writeFile(join(source, 'group.ndjson'), '{"index":{"_index":"group","_id":"g"}}\n{not json\n');
    await expect(migrateExportFolder({ source, destination: join(busy, 'x'), from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({ code: 'EXPORT_INVALID' });
    await writeFile(join(source, 'group.ndjson'), bulk('kibana_sample', samples.user!));
    await expect(migrateExportFolder({ source, destination: join(busy, 'y'), from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({ code: 'EXPORT_INVALID' });
  });

  it('migrates an elasticdump of A4C 1.1.0 on Elasticsearch 1.x (one file, ES 1.x indices with their types) to the expected 1.2.0 documents', async () => {
    const source = await temporaryFolder();
    const lines = [...(await es1ElasticdumpLines('prod-')).values()].flat();
    await writeFile(join(source, 'a4c.json'), `${lines.join('\n')}\n`);
    const destination = join(await temporaryFolder(), 'migrated');
    const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0', indexPrefix: 'prod-' });
    expect(await readMigratedFolder(destination)).toEqual(expected);
    expect(result.indices.indexednodetype).toEqual({ read: 3, written: 3, failed: 0, merged: 0 });
  });

  it("leaves out a4c-admin's own indices that a dump of the whole cluster takes along, and says so", async () => {
    const source = await temporaryFolder();
    const own = [
      JSON.stringify({ _index: snapshotMetadataIndexName('prod-'), _type: 'snapshot', _id: 'backup110', _source: { snapshot: 'backup110' } }),
      JSON.stringify({ _index: dataVersionMarkerIndexName('prod-'), _type: '_doc', _id: 'data-version', _source: { version: '1.1.0' } }),
    ];
    const lines = [...(await es1ElasticdumpLines('prod-')).values()].flat();
    await writeFile(join(source, 'cluster.json'), `${[own[0], ...lines, own[1]].join('\n')}\n`);
    const destination = join(await temporaryFolder(), 'migrated');
    const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0', indexPrefix: 'prod-' });
    expect(await readMigratedFolder(destination)).toEqual(expected);
    expect(result.skipped).toEqual({ [snapshotMetadataIndexName('prod-')]: 1, [dataVersionMarkerIndexName('prod-')]: 1 });
  });

  it('migrates a gzipped elasticdump of Elasticsearch 1.x written one file per ES 1.x index', async () => {
    const source = await temporaryFolder();
    for (const [index, lines] of await es1ElasticdumpLines()) await writeFile(join(source, `${index}.json.gz`), gzipSync(`${lines.join('\n')}\n`));
    expect(await readdir(source)).toContain('toscaelement.json.gz');
    const destination = join(await temporaryFolder(), 'migrated');
    await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0' });
    expect(await readMigratedFolder(destination)).toEqual(expected);
  });

  it("reads a4c-admin's own export folder (ES 1.x bulk chunks keeping _type): the chunks its manifest lists, never the manifest as data", async () => {
    const folder = await temporaryFolder();
    const chunks = [...(await es1ElasticdumpLines())].map(([index, lines]) => ({
      file: `${index}-00001.ndjson.gz`,
      documents: lines.length,
      lines: lines.flatMap((line) => {
        const { _index, _type, _id, _source } = JSON.parse(line) as Record<string, unknown>;
        return [JSON.stringify({ index: { _index, _type, _id } }), JSON.stringify(_source)];
      }),
    }));
    await writeToolExport(folder, chunks);
    // A stray file the manifest does not list is not part of the export.
    await writeFile(join(folder, 'notes.json'), '{"not":"a document"}\n');
    const destination = join(await temporaryFolder(), 'migrated');
    await migrateExportFolder({ source: folder, destination, from: '1.1.0', to: '1.2.0' });
    expect(await readMigratedFolder(destination)).toEqual(expected);

    // A chunk changed after the export is refused before anything is written.
    const toscaelement = join(folder, 'toscaelement-00001.ndjson.gz');
    await writeFile(toscaelement, gzipSync('{"index":{"_index":"toscaelement","_type":"indexednodetype","_id":"x"}}\n{}\n'));
    const refused = join(await temporaryFolder(), 'refused');
    await expect(migrateExportFolder({ source: folder, destination: refused, from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({
      code: 'EXPORT_INVALID',
      message: expect.stringContaining('toscaelement-00001.ndjson.gz changed since the export'),
    });
    await expect(readdir(refused)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("reads a backup made with --format export when given the backup's folder", async () => {
    const backup = await temporaryFolder();
    await mkdir(join(backup, 'export'));
    await writeFile(join(backup, 'manifest.json'), '{"formatVersion":1}');
    await writeToolExport(join(backup, 'export'), [
      { file: 'user-00001.ndjson.gz', documents: samples.user!.length, lines: bulk('user', samples.user!).trimEnd().split('\n') },
    ]);
    const destination = join(await temporaryFolder(), 'migrated');
    await migrateExportFolder({ source: backup, destination, from: '1.1.0', to: '1.2.0' });
    expect(await readMigratedFolder(destination)).toEqual({ user: expected.user });
  });

  it('writes the R8 audit singleton once when several 1.1.0 audit configurations become it, whatever the export order', async () => {
    const audit = samples.auditconfiguration![0]!;
    const copies = [
      { id: 'AVK6x3PQGQWjGZw9r1_a', source: { ...audit.source, enabled: false } },
      audit,
      { id: 'AVK6x3PQGQWjGZw9r1_z', source: { ...audit.source, enabled: false } },
    ];
    for (const documents of [copies, [...copies].reverse()]) {
      const source = await temporaryFolder();
      await writeFile(join(source, 'auditconfiguration.ndjson'), bulk('auditconfiguration', documents));
      const destination = join(await temporaryFolder(), 'migrated');
      const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0' });
      const output = await readMigratedFolder(destination);
      expect(output.auditconfiguration).toHaveLength(1);
      expect(output.auditconfiguration![0]!.id).toBe('singleton');
      expect(result.indices.auditconfiguration).toEqual({ read: 3, written: 1, failed: 0, merged: 2 });
    }
  });

  it('keeps a document that already carries the id others are rewritten to, and a document exported twice once', async () => {
    const singleton = expected.auditconfiguration![0]!;
    const source = await temporaryFolder();
    await writeFile(
      join(source, 'a.ndjson'),
      bulk('auditconfiguration', [...samples.auditconfiguration!, { ...singleton, source: { ...singleton.source, enabled: false } }]),
    );
    await writeFile(join(source, 'b.ndjson'), bulk('user', samples.user!));
    await writeFile(join(source, 'c.ndjson'), bulk('user', samples.user!));
    const destination = join(await temporaryFolder(), 'migrated');
    const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0' });
    const output = await readMigratedFolder(destination);
    expect(output.auditconfiguration).toEqual([{ ...singleton, source: { ...singleton.source, enabled: false } }]);
    expect(output.user).toEqual(expected.user);
    expect(result.indices.user).toMatchObject({ written: expected.user!.length, merged: expected.user!.length });
  });
});
