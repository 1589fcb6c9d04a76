import { describe, expect, it } from 'vitest';
import { multiplyDocuments, withMultipliedCopies } from './multiply-documents.js';
import { readSampleDocuments } from './sample-files.js';

describe('multiplyDocuments', () => {
  it('gives each copy new ids and keeps the references between its documents', async () => {
    const samples = await readSampleDocuments();
    const copy = multiplyDocuments(samples, 3);
    const application = copy.find((document) => document.index === 'application')!;
    const original = samples.find((document) => document.index === 'application')!;
    expect(application.id).not.toBe(original.id);
    expect(application.source.id).toBe(application.id);
    expect(application.source.name).toBe(`${original.source.name}-0003`);
    const version = copy.find((document) => document.index === 'applicationversion')!;
    expect(version.source.applicationId).toBe(application.id);
    const topology = copy.find((document) => document.index === 'topology')!;
    expect(version.source.topologyId).toBe(topology.id);
    const deployment = copy.find((document) => document.index === 'deployment')!;
    expect(deployment.source.sourceId).toBe(application.id);
    expect(deployment.source.sourceName).toBe(application.source.name);
    // Shared things (orchestrator, location, types) are not copied.
    const orchestratorId = samples.find((document) => document.index === 'orchestrator')!.id;
    expect(deployment.source.orchestratorId).toBe(orchestratorId);
    expect(copy.some((document) => document.index === 'csar' || document.index === 'indexednodetype')).toBe(false);
    // No id of the copy collides with a sample id or with another copy's.
    const ids = new Set(samples.map((document) => `${document.index}/${document.id}`));
    for (const document of [...copy, ...multiplyDocuments(samples, 4)]) {
      const key = `${document.index}/${document.id}`;
      expect(ids.has(key)).toBe(false);
      ids.add(key);
    }
  });

  it('is deterministic', async () => {
    const samples = await readSampleDocuments();
    expect(multiplyDocuments(samples, 2)).toEqual(multiplyDocuments(samples, 2));
  });

  it('lists the samples then each copy in order, as a loader given `multiply` writes them', async () => {
    const samples = await readSampleDocuments();
    expect(withMultipliedCopies(samples, 0)).toEqual(samples);
    expect(withMultipliedCopies(samples, 2)).toEqual([...samples, ...multiplyDocuments(samples, 1), ...multiplyDocuments(samples, 2)]);
  });
});
