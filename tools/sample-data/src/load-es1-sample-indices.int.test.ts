// The sample installation in A4C 1.1.0's own layout on a real Elasticsearch 1.7.6: every
// document is found by index, type and id with its exact source, under the mappings A4C 1.1.0
// created (ids from `_id.path`, alienScore, not_analyzed strings).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { type Es1Document, es1SampleDocuments } from './es1-layout.js';
import { es1Request, loadEs1SampleIndices } from './load-es1-sample-indices.js';
import { withMultipliedCopies } from './multiply-documents.js';
import { readSampleDocuments } from './sample-files.js';
import { setUpEs1SampleInstallation } from './set-up-es1-sample-installation.js';

/** What the tests read of an ES 1.x type mapping. */
interface TypeMapping {
  _id?: unknown;
  _all?: unknown;
  _ttl?: unknown;
  properties: Record<string, unknown>;
}

const legacy = testLegacyElasticsearch();
const url = legacy?.url ?? '';
const prefixes: string[] = [];
const folders: string[] = [];

afterAll(async () => {
  if (!legacy) return;
  for (const prefix of prefixes) await es1Request(url, 'DELETE', `/${prefix}*`).catch(() => {});
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

function newPrefix() {
  const prefix = `${uniqueName('es1-sample')}-`;
  prefixes.push(prefix);
  return prefix;
}

/** Every expected document read back by `_mget` (index, type, id): its source, or undefined when not found. */
async function readBack(expected: Es1Document[]) {
  const sources: (Record<string, unknown> | undefined)[] = [];
  for (let start = 0; start < expected.length; start += 200) {
    const docs = expected.slice(start, start + 200).map((document) => ({ _index: document.index, _type: document.type, _id: document.id }));
    const answer = (await es1Request(url, 'POST', '/_mget', { docs })) as { docs: { found: boolean; _source?: Record<string, unknown> }[] };
    for (const doc of answer.docs) sources.push(doc.found ? doc._source : undefined);
  }
  return sources;
}

describe.skipIf(!legacy)('loadEs1SampleIndices (real Elasticsearch 1.7.6)', () => {
  it('writes every sample document and its multiplied copies by index, type and id with the exact source, and nothing else', async () => {
    const prefix = newPrefix();
    const multiply = 3;
    const result = await loadEs1SampleIndices({ url, prefix, multiply });
    const samples = await readSampleDocuments();
    const expected = es1SampleDocuments(withMultipliedCopies(samples, multiply), prefix);
    const sources = await readBack(expected);
    const missing = expected.filter((_, position) => sources[position] === undefined).map((document) => `${document.index}/${document.type}/${document.id}`);
    expect(missing).toEqual([]);
    for (const [position, document] of expected.entries()) {
      expect(sources[position], `${document.index}/${document.type}/${document.id}`).toEqual(document.source);
    }

    // Counts per type equal the expected documents: no document landed twice or elsewhere.
    const wanted: Record<string, Record<string, number>> = {};
    for (const document of expected) {
      wanted[document.index] ??= {};
      wanted[document.index]![document.type] = (wanted[document.index]![document.type] ?? 0) + 1;
    }
    const nonEmpty = Object.fromEntries(
      Object.entries(result.indices)
        .map(([index, types]) => [index, Object.fromEntries(Object.entries(types).filter(([, count]) => count > 0))])
        .filter(([, types]) => Object.keys(types as object).length > 0),
    );
    expect(nonEmpty).toEqual(wanted);
    // The multi-type indices of SPEC §0.3 exist, with all their types, even where no sample lives.
    expect(Object.keys(result.indices[`${prefix}toscaelement`]!).sort()).toEqual(
      ['indexedartifacttype', 'indexedcapabilitytype', 'indexeddatatype', 'indexednodetype', 'indexedrelationshiptype'].sort(),
    );
    expect(Object.keys(result.indices[`${prefix}deploymentmonitorevents`]!)).toHaveLength(6);
    expect(result.indices[`${prefix}alienaudit`]).toEqual({ audittrace: wanted[`${prefix}alienaudit`]!.audittrace, auditconfiguration: 1 });
    expect(result.indices[`${prefix}deployedtopologies`]).toEqual({ deploymenttopology: 1 + multiply });
  });

  it('creates the type mappings of A4C 1.1.0: ids from _id.path, alienScore long, not_analyzed strings, _all simple, _ttl on audit', async () => {
    const prefix = newPrefix();
    await loadEs1SampleIndices({ url, prefix });
    const mapping = (await es1Request(url, 'GET', `/${prefix}toscaelement,${prefix}application,${prefix}alienaudit,${prefix}user/_mapping`)) as Record<
      string,
      { mappings: Record<string, TypeMapping> }
    >;
    const nodeType = mapping[`${prefix}toscaelement`]!.mappings.indexednodetype!;
    expect(nodeType._id).toMatchObject({ path: 'id' });
    expect(nodeType._all).toMatchObject({ analyzer: 'simple' });
    expect(nodeType.properties.alienScore).toMatchObject({ type: 'long' });
    expect(nodeType.properties.archiveName).toMatchObject({ type: 'string', index: 'not_analyzed' });
    const application = mapping[`${prefix}application`]!.mappings.application!;
    expect(application.properties.name).toMatchObject({ type: 'string', index: 'not_analyzed' });
    expect(application.properties.description).toEqual({ type: 'string' });
    expect(mapping[`${prefix}user`]!.mappings.user!._id).toMatchObject({ path: 'username' });
    const audit = mapping[`${prefix}alienaudit`]!.mappings;
    expect(audit.audittrace!._id).toBeUndefined();
    expect(audit.audittrace!._ttl).toMatchObject({ enabled: true, default: 86_400_000 });

    // `_id.path` at work: a document indexed without an id gets the one of its @Id field, as A4C 1.1.0 saved them.
    const [sample] = (await readSampleDocuments()).filter((document) => document.index === 'application');
    const copy = { ...sample!.source, id: 'saved-without-an-id', name: 'saved-without-an-id' };
    const saved = await es1Request(url, 'POST', `/${prefix}application/application?refresh=true`, copy);
    expect(saved._id).toBe('saved-without-an-id');
  });

  it('declares the case_insensitive_sort analyzer on request (A4C 1.4+), replaces existing indices, and sets up a whole installation pointing at the node', async () => {
    const prefix = newPrefix();
    await loadEs1SampleIndices({ url, prefix });
    await expect(loadEs1SampleIndices({ url, prefix })).rejects.toThrow(/pass replace/);
    const folder = await mkdtemp(join(tmpdir(), 'a4c-es1-installation-'));
    folders.push(folder);
    const installation = await setUpEs1SampleInstallation({ url, prefix, replace: true, caseInsensitiveSort: true, folder, scale: 1 });
    expect(installation.clusterName).toBe(legacy!.clusterName);
    expect(await readFile(installation.configFile, 'utf8')).toContain(`cluster_name: ${legacy!.clusterName}`);
    const analyzed = (await es1Request(
      url,
      'GET',
      `/${prefix}orchestrator/_analyze?analyzer=case_insensitive_sort&text=${encodeURIComponent('My Orchestrator')}`,
    )) as {
      tokens: { token: string }[];
    };
    expect(analyzed.tokens.map((token) => token.token)).toEqual(['my orchestrator']);
    const settings = (await es1Request(url, 'GET', `/${prefix}application/_settings`)) as Record<string, { settings: { index: Record<string, unknown> } }>;
    expect(settings[`${prefix}application`]!.settings.index.analysis).toBeUndefined();
    expect(installation.indices[`${prefix}application`]).toEqual({ application: 1 });
  });
});
