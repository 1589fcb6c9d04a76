// How the runner behaves when a migration stops half-way, on the real single node: a document no
// rule can transform, a cancellation during the build, a failure between the alias swap and the
// marker. Each time the cluster serves a whole version, and a re-run finishes the work.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationStateStore, StoredDocument } from '@a4c-admin/core';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { dryRunMigration } from './dry-run-migration.js';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { loadPlainIndices } from './load-indices.test-support.js';
import { runMigration } from './run-migration.js';
import { expectedWithPluginRule, readView as readViewOf, sortedDocuments as sorted } from './views.test-support.js';

const elasticsearch = testElasticsearch();
const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
const reader = createIndexReader(client);
const writer = createIndexWriter(client);
const prefix = `${uniqueName('a4c-mig-crash')}-`;
const state: MigrationStateStore = createMigrationStateStore(client, { prefix });
const ports = { reader, writer, state, indexPrefix: prefix, from: '1.1.0', to: '1.2.0', skipBackup: 'operator-backup' };
let quarantineFolder = '';

const broken: StoredDocument = { id: 'broken:1.0', source: { elementId: 'broken', archiveVersion: '1.0', properties: 'not a map' } };
const samples = loadNdjsonFolder('samples-1.1.0');
samples.indexednodetype = [...samples.indexednodetype!, broken];
const expected = expectedWithPluginRule();
const readView = (names: string[]) => readViewOf(reader, prefix, names);

afterAll(async () => {
  await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
  await client.close();
  if (quarantineFolder) await rm(quarantineFolder, { recursive: true, force: true });
});

describe('a migration stopped half-way', () => {
  it('loads a 1.1.0 data set holding one document no rule can transform', async () => {
    await loadPlainIndices(writer, prefix, '1.1.0', samples);
    quarantineFolder = await mkdtemp(join(tmpdir(), 'a4c-quarantine-'));
  });

  it('dry-runs into a report: the failing document fails the run, or is set aside with quarantine', async () => {
    const strict = await mkdtemp(join(tmpdir(), 'a4c-dry-run-'));
    const lenient = await mkdtemp(join(tmpdir(), 'a4c-dry-run-'));
    try {
      await expect(dryRunMigration({ reader, state, indexPrefix: prefix, from: '1.1.0', to: '1.2.0', reportFolder: strict })).rejects.toMatchObject({
        code: 'TRANSFORM_FAILED',
        details: { id: 'broken:1.0' },
      });
      const failed = JSON.parse((await readFile(join(strict, 'failures.ndjson'), 'utf8')).trim()) as { id: string; document: StoredDocument };
      expect(failed).toMatchObject({ id: 'broken:1.0', index: 'indexednodetype', rule: 'R2-tosca-element-properties', document: broken });

      const report = await dryRunMigration({ reader, state, indexPrefix: prefix, from: '1.1.0', to: '1.2.0', reportFolder: lenient, quarantine: true });
      expect(report).toMatchObject({ status: 'failures', failed: 1 });
      expect(report.steps[0]!.indices.indexednodetype).toMatchObject({ read: 4, wouldWrite: 3, failed: 1 });
      expect(JSON.parse(await readFile(join(lenient, 'report.json'), 'utf8'))).toMatchObject({ status: 'failures', failed: 1 });
    } finally {
      await rm(strict, { recursive: true, force: true });
      await rm(lenient, { recursive: true, force: true });
    }
  });

  it('stops on that document naming it, and the 1.1.0 view stays whole', async () => {
    await expect(runMigration(ports)).rejects.toMatchObject({
      code: 'TRANSFORM_FAILED',
      details: { index: 'indexednodetype', id: 'broken:1.0', rule: 'R2-tosca-element-properties' },
    });
    expect(await readView(Object.keys(samples))).toEqual(sorted(samples));
    expect(await state.readMarker()).toBeUndefined();
  });

  it('keeps the 1.1.0 view whole when cancelled during the build', async () => {
    const controller = new AbortController();
    await expect(
      runMigration({
        ...ports,
        quarantine: { folder: quarantineFolder },
        signal: controller.signal,
        onProgress: (event) => {
          if (event.phase === 'index' && event.kind === 'end') controller.abort();
        },
      }),
    ).rejects.toBeTruthy();
    expect(await readView(Object.keys(samples))).toEqual(sorted(samples));
    expect(await state.readMarker()).toBeUndefined();
    // Half-built 1.2.0 indices may be there; none is visible under an A4C name.
    const aliases = await state.resolve(Object.keys(samples).map((name) => `${prefix}${name}`));
    for (const indices of Object.values(aliases)) expect(indices[0]).toMatch(/-v1\.1\.0$/);
  });

  it('serves 1.2.0 when it dies between the alias swap and the marker, and a re-run only writes the marker', async () => {
    const failingMarker: MigrationStateStore = {
      ...state,
      writeMarker: () => Promise.reject(new Error('process died here')),
    };
    await expect(runMigration({ ...ports, state: failingMarker, quarantine: { folder: quarantineFolder } })).rejects.toThrow('process died here');
    const { indexednodetype, ...rest } = expected;
    expect(await readView(Object.keys(expected))).toEqual(sorted({ ...rest, indexednodetype: indexednodetype! }));
    expect(await state.readMarker()).toBeUndefined();
    const quarantined = (await readFile(join(quarantineFolder, 'quarantine-indexednodetype.ndjson'), 'utf8')).trim().split('\n');
    expect(quarantined.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['broken:1.0']);

    const resumed = await runMigration(ports);
    expect(resumed.steps[0]).toMatchObject({ resumedAfterSwap: true, adopted: [] });
    expect(resumed.backup).toBeUndefined();
    const marker = await state.readMarker();
    expect(marker?.version).toBe('1.2.0');
    expect(marker?.history[0]?.counts).toMatchObject({ indexednodetype: 3, topology: 2 });
  });
});
