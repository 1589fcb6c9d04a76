import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@a4c-admin/core';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { Client } from '@elastic/elasticsearch';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSampleIndices } from './load-sample-indices.js';
import { readSampleDocuments, readSampleMappings } from './sample-files.js';
import { setUpSampleInstallation } from './set-up-sample-installation.js';

const { url } = testElasticsearch();
const client = new Client({ node: url });
const prefix = `${uniqueName('sample')}-`;
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
  await client.close();
});

describe('loadSampleIndices (real Elasticsearch)', () => {
  it('creates every 1.1.0 index with its mappings and loads the samples plus the multiplied copies', async () => {
    const multiply = 3;
    const result = await loadSampleIndices({ node: url, prefix, multiply });
    const mappings = await readSampleMappings();
    const samples = await readSampleDocuments();
    expect(Object.keys(result.indices).sort()).toEqual(
      Object.keys(mappings)
        .map((index) => prefix + index)
        .sort(),
    );

    const perIndex = (index: string) => samples.filter((document) => document.index === index).length;
    expect(result.indices[`${prefix}csar`]).toBe(perIndex('csar'));
    expect(result.indices[`${prefix}plugin`]).toBe(perIndex('plugin'));
    expect(result.indices[`${prefix}application`]).toBe(perIndex('application') * (1 + multiply));
    // Only application topologies are copied, not the topology template's.
    expect(result.indices[`${prefix}topology`]).toBe(perIndex('topology') + multiply);
    expect(result.indices[`${prefix}user`]).toBe(perIndex('user'));

    // The mapping in the cluster is the one of the design file, not a dynamic one.
    const stored = await client.indices.getMapping({ index: `${prefix}application` });
    expect(stored[`${prefix}application`]?.mappings._meta).toEqual((mappings.application!.mappings as { _meta: unknown })._meta);

    // A multiplied application is findable by its renamed name, with its own environment.
    const found = await client.search<{ id: string; name: string }>({
      index: `${prefix}application`,
      query: { term: { name: 'HelloWorld-0002' } },
    });
    const applicationId = found.hits.hits[0]?._source?.id;
    expect(applicationId).toBeDefined();
    const environments = await client.count({ index: `${prefix}applicationenvironment`, query: { term: { applicationId } } });
    expect(environments.count).toBe(1);
  });

  it('refuses to overwrite existing indices unless asked to replace them, and replaces only the indices asked for', async () => {
    await expect(loadSampleIndices({ node: url, prefix })).rejects.toThrow(/resource_already_exists/);
    const samples = await readSampleDocuments();
    const replaced = await loadSampleIndices({ node: url, prefix, replace: true, indices: ['application', 'topology'] });
    expect(Object.keys(replaced.indices).sort()).toEqual([`${prefix}application`, `${prefix}topology`]);
    // The multiplied copies of the first test are gone from these two, and only from these.
    expect(replaced.indices[`${prefix}application`]).toBe(1);
    expect(replaced.indices[`${prefix}topology`]).toBe(samples.filter((document) => document.index === 'topology').length);
    const environments = samples.filter((document) => document.index === 'applicationenvironment').length;
    expect((await client.count({ index: `${prefix}applicationenvironment` })).count).toBeGreaterThan(environments);
    await expect(loadSampleIndices({ node: url, prefix: `${prefix}none-`, indices: ['application', 'nosuchindex'] })).rejects.toThrow(
      /the sample has no index nosuchindex/,
    );
    expect(await client.indices.exists({ index: `${prefix}none-application` })).toBe(false);
  });

  it('sets up a whole installation: indices, data folder and a config that core loads', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'a4c-sample-installation-'));
    folders.push(folder);
    const installation = await setUpSampleInstallation({ node: url, folder, prefix: `${prefix}full-`, multiply: 1, indices: ['application', 'user'] });
    expect(installation.indices).toEqual({ [`${prefix}full-application`]: 2, [`${prefix}full-user`]: 1 });
    expect(installation.dataFolder.files).toBeGreaterThan(20);
    const { config } = await loadConfig({ file: installation.configFile, env: {} });
    expect(config.elasticsearch.addresses).toEqual([url]);
    expect(config.elasticsearch.index_prefix).toBe(`${prefix}full-`);
    expect(config.alien4cloud.dir).toBe(installation.dataDir);
    for (const part of config.backup.parts) await access(join(config.alien4cloud.dir, part));
  });
});
