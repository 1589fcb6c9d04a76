// Property-based checks of the 1.1.0 -> 1.2.0 step over generated documents: deterministic,
// input never mutated, and a migrated document is left as it is by a second pass.

import type { StoredDocument } from '@a4c-admin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNdjsonFolder } from '../fixtures.test-support.js';
import { transformDocument } from '../transform-document.js';
import { STEP_1_2_0 } from './step-1.2.0.js';

const name = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,11}$/);
const scalarDefault = fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.integer(), fc.boolean());

const propertyDefinition: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ definition: Record<string, unknown> }>((tie) => ({
  definition: fc.record(
    {
      type: fc.constantFrom('string', 'integer', 'list', 'map', 'version'),
      required: fc.boolean(),
      default: scalarDefault,
      description: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)),
      entrySchema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), tie('definition')),
      constraints: fc.constant([{ greaterThan: '0' }]),
    },
    { requiredKeys: ['type'] },
  ),
})).definition;

const definitionMap = fc.dictionary(name, propertyDefinition, { maxKeys: 4 });
const interfaces = fc.dictionary(
  name,
  fc.record({
    operations: fc.dictionary(
      name,
      fc.record({
        inputParameters: fc.dictionary(name, fc.oneof(propertyDefinition, fc.record({ value: fc.string(), definition: fc.constant(false) })), {
          maxKeys: 3,
        }),
      }),
      { maxKeys: 2 },
    ),
  }),
  { maxKeys: 2 },
);
const anyMap = fc.oneof(fc.constant(null), fc.dictionary(name, fc.record({ type: name }), { maxKeys: 3 }));
const relationship = fc.record({ type: name, target: name, artifacts: anyMap, interfaces });
const nodeTemplate = fc.record(
  {
    type: name,
    name,
    properties: fc.dictionary(name, fc.oneof(fc.constant(null), fc.record({ value: fc.string(), definition: fc.constant(false) }))),
    requirements: anyMap,
    relationships: fc.oneof(fc.constant(null), fc.dictionary(name, relationship, { maxKeys: 2 })),
    capabilities: anyMap,
    artifacts: anyMap,
    interfaces,
  },
  { requiredKeys: ['type'] },
);
const toscaElement = fc.record(
  { elementId: name, archiveVersion: fc.constant('1.0.0'), properties: fc.oneof(fc.constant(null), definitionMap), interfaces },
  { requiredKeys: ['elementId'] },
);

/** Documents of the indices that have rules, as 1.1.0 would store them. */
const document110: fc.Arbitrary<{ index: string; document: StoredDocument }> = fc.oneof(
  fc.record({
    index: fc.constantFrom('indexednodetype', 'indexedcapabilitytype', 'indexedrelationshiptype', 'indexedartifacttype', 'indexeddatatype'),
    document: fc.record({ id: name, source: toscaElement }),
  }),
  fc.record({
    index: fc.constantFrom('topology', 'deploymenttopology', 'deployedtopologies'),
    document: fc.record({
      id: name,
      source: fc.record(
        {
          nodeTemplates: fc.array(fc.record({ key: name, value: nodeTemplate }), { maxLength: 3 }),
          inputs: fc.oneof(fc.constant(null), definitionMap),
          substitutionMapping: fc.record({ substitutionType: toscaElement }),
          originalNodes: fc.dictionary(name, nodeTemplate, { maxKeys: 2 }),
        },
        { requiredKeys: ['nodeTemplates'] },
      ),
    }),
  }),
  fc.record({ index: fc.constant('locationresourcetemplate'), document: fc.record({ id: name, source: fc.record({ template: nodeTemplate }) }) }),
  fc.record({ index: fc.constant('metapropconfiguration'), document: fc.record({ id: name, source: propertyDefinition }) }),
  fc.record({
    index: fc.constant('topologytemplate'),
    document: fc.record({ id: name, source: fc.record({ name, topologyId: fc.constant(null) }) }),
  }),
  fc.record({
    index: fc.constant('auditconfiguration'),
    document: fc.record({
      id: name,
      source: fc.record({
        enabled: fc.oneof(fc.boolean(), fc.constant(null)),
        auditedMethods: fc.array(fc.record({ path: name, method: fc.constantFrom('GET', 'POST'), enabled: fc.boolean() }), { maxLength: 3 }),
      }),
    }),
  }),
  fc.record({
    index: fc.constant('orchestratorconfiguration'),
    document: fc.record({ id: fc.constantFrom('o-1', 'o-2'), source: fc.record({ configuration: fc.record({ url: name }) }) }),
  }),
);

const facts = { cloudify3OrchestratorIds: ['o-1'] };
// A fixed seed keeps the default run reproducible; raise numRuns locally to search harder.
const settings = { seed: 20160727, numRuns: 300 };

describe('properties of the 1.1.0 -> 1.2.0 transforms', () => {
  it('are deterministic and never mutate their input', () => {
    fc.assert(
      fc.property(document110, ({ index, document }) => {
        const before = structuredClone(document);
        const first = transformDocument(STEP_1_2_0, index, document, facts);
        expect(document).toEqual(before);
        const second = transformDocument(STEP_1_2_0, index, structuredClone(before), facts);
        expect(second).toEqual(first);
      }),
      settings,
    );
  });

  it("give the same document and counts when they own it (converted in place, the migration's path) as on a copy", () => {
    fc.assert(
      fc.property(document110, ({ index, document }) => {
        const copied = transformDocument(STEP_1_2_0, index, document, facts);
        const owned = transformDocument(STEP_1_2_0, index, structuredClone(document), facts, { owned: true });
        expect(owned).toEqual(copied);
      }),
      settings,
    );
  });

  it('leave an already-1.2.0 document unchanged (idempotent), and count nothing on it', () => {
    fc.assert(
      fc.property(document110, ({ index, document }) => {
        const once = transformDocument(STEP_1_2_0, index, document, facts);
        const twice = transformDocument(STEP_1_2_0, index, once.document, facts);
        expect(twice.document).toEqual(once.document);
        expect(twice.counts).toEqual({});
      }),
      settings,
    );
  });

  it('leave the expected-1.2.0 documents of the spec unchanged', () => {
    for (const [index, documents] of Object.entries(loadNdjsonFolder('expected-1.2.0'))) {
      for (const document of documents) {
        const result = transformDocument(STEP_1_2_0, index, document);
        expect(result.document, `${index}/${document.id}`).toEqual(document);
        expect(result.counts).toEqual({});
      }
    }
  });
});
