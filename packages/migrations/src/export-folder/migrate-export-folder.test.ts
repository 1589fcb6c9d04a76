import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { StoredDocument } from '@a4c-admin/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNdjsonFolder } from '../fixtures.test-support.js';
import { CLOUDIFY3_DEFAULT_SETTINGS } from '../rules/cloudify3-orchestrator.js';
import { migrateExportFolder } from './migrate-export-folder.js';
import { parseNdjsonDocuments } from './ndjson-document-parser.js';

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

async function readOutput(folder: string): Promise<Record<string, StoredDocument[]>> {
  const result: Record<string, StoredDocument[]> = {};
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.ndjson'))) {
    const parsed = parseNdjsonDocuments(await readFile(join(folder, file), 'utf8'), file);
    const index = file.replace(/\.ndjson$/, '');
    for (const entry of parsed) expect(entry.index).toBe(index);
    result[index] = parsed.map((entry) => entry.document);
  }
  return result;
}

describe('migrateExportFolder', () => {
  it('migrates an export in bulk, gzip and elasticdump formats into bulk NDJSON equal to the expected 1.2.0 documents', async () => {
    const source = await temporaryFolder();
    const destination = join(await temporaryFolder(), 'migrated');
    await writeSampleExport(source);
    const result = await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0' });
    expect(await readOutput(destination)).toEqual(expected);
    expect(result.files).toHaveLength(26);
    expect(result.indices.topology).toEqual({ read: 2, written: 2, failed: 0 });
    expect(result.rules['P1-cloudify3-orchestrator-settings']).toBe(3);
    expect(result.quarantineFile).toBeUndefined();
    expect((await readdir(destination)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('takes the prefix and version suffix off index names', async () => {
    const source = await temporaryFolder();
    const destination = join(await temporaryFolder(), 'out');
    await writeFile(join(source, 'dump.ndjson'), bulk('prod-topologytemplate-v1.1.0', samples.topologytemplate!));
    await migrateExportFolder({ source, destination, from: '1.1.0', to: '1.2.0', indexPrefix: 'prod-' });
    expect(await readOutput(destination)).toEqual({ topologytemplate: expected.topologytemplate });
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
    expect(result.indices.indexednodetype).toEqual({ read: 4, written: 3, failed: 1 });
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
});
