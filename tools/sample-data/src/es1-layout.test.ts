// The pure ES 1.x layout of the samples: where each document goes, and that the `_id.path`
// of each type names a field holding exactly the sample's id (as A4C 1.1.0 saved them).

import { es1IdPath } from '@a4c-admin/core/internal';
import { describe, expect, it } from 'vitest';
import { es1IndexDefinitions, es1SampleDocuments } from './es1-layout.js';
import { readSampleDocuments, readSampleMappings } from './sample-files.js';

describe('the ES 1.x layout of the samples', () => {
  it('puts each sample document in its ES 1.x index and type, with the prefix, the same id and source', async () => {
    const samples = await readSampleDocuments();
    const documents = es1SampleDocuments(samples, 'p-');
    expect(documents).toHaveLength(samples.length);
    const nodeType = documents.find((document) => document.id === 'tosca.nodes.Compute:1.0.0-ALIEN11');
    expect(nodeType).toMatchObject({ index: 'p-toscaelement', type: 'indexednodetype' });
    const deployed = documents[samples.findIndex((document) => document.index === 'deployedtopologies')];
    expect(deployed).toMatchObject({ index: 'p-deployedtopologies', type: 'deploymenttopology' });
    const audit = documents[samples.findIndex((document) => document.index === 'auditconfiguration')];
    expect(audit).toMatchObject({ index: 'p-alienaudit', type: 'auditconfiguration' });
    samples.forEach((sample, position) => {
      expect(documents[position]!.id).toBe(sample.id);
      expect(documents[position]!.source).toBe(sample.source);
    });
  });

  it('gives each type an _id.path whose field holds the sample id, and none to ES-generated ids', async () => {
    const mappings = await readSampleMappings();
    for (const sample of await readSampleDocuments()) {
      const path = es1IdPath((mappings[sample.index]!.mappings as { _meta: Record<string, unknown> })._meta);
      if (sample.index === 'audittrace' || sample.index === 'auditconfiguration') expect(path).toBeUndefined();
      else expect(sample.source[path!], `${sample.index}/${sample.id}`).toBe(sample.id);
    }
  });

  it('groups the types of one ES 1.x index, declares no custom analyzer for 1.1.0 unless asked', async () => {
    const mappings = await readSampleMappings();
    const plain = es1IndexDefinitions(mappings);
    expect(Object.keys(plain.toscaelement!.mappings)).toHaveLength(5);
    expect(Object.keys(plain.deploymentmonitorevents!.mappings)).toHaveLength(6);
    expect(Object.values(plain).some((definition) => 'analysis' in definition.settings)).toBe(false);
    const sorted = es1IndexDefinitions(mappings, { caseInsensitiveSort: true, ttl: null });
    expect(
      Object.entries(sorted)
        .filter(([, definition]) => 'analysis' in definition.settings)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['applicationenvironment', 'orchestrator']);
    expect(sorted.alienaudit!.mappings.audittrace!._ttl).toBeUndefined();
    expect(plain.alienaudit!.mappings.audittrace!._ttl).toEqual({ enabled: true, default: '1d' });
  });
});
