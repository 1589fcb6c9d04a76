// The bulk loader writes documents straight into request bodies taken from a pool and reused
// once a request has ended. A reused body must never send a byte of an earlier request: the
// bytes sent, request after request, are compared with the plain NDJSON of the same documents
// (generated lines: escapes, multi-byte characters, lines larger than a request), with requests
// answered out of order, loaders sharing one pool, and documents pushed back (429) and resent
// from a body compacted in place. The "server" here only records the bodies it is sent: whether
// Elasticsearch indexes them is what the integration tests check.

import { seededRandom } from '@a4c-admin/test-support';
import type { Client } from '@elastic/elasticsearch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBulkBytesBudget } from './bulk-bytes-budget.js';
import { type BulkLine, createBulkLoader } from './bulk-loader.js';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('"', '\\', 'é', '😀', '\u2028', 'a', '€'), maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('x', 'ß', '😀'), minLength: 300, maxLength: 900 }),
);
const generatedDocument = fc.record({
  id: text,
  source: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(null)), { maxKeys: 4 }),
  asBuffer: fc.boolean(),
});
type GeneratedDocument = typeof generatedDocument extends fc.Arbitrary<infer T> ? T : never;

function linesOf(document: GeneratedDocument): [BulkLine, BulkLine] {
  const action = `{"index":{"_id":${JSON.stringify(document.id)}}}`;
  const source = JSON.stringify(document.source);
  return document.asBuffer ? [Buffer.from(action), Buffer.from(source)] : [action, source];
}

/** The plain NDJSON of documents: each line and a newline, concatenated. */
function plainBody(documents: GeneratedDocument[]): Buffer {
  return Buffer.concat(documents.flatMap((document) => linesOf(document).flatMap((line) => [Buffer.from(line), Buffer.from('\n')])));
}

/** The documents of an NDJSON body, two lines each. */
function documentsIn(body: Buffer): string[] {
  const lines = body.toString('utf8').split('\n');
  expect(lines.pop()).toBe('');
  const documents: string[] = [];
  for (let line = 0; line < lines.length; line += 2) documents.push(`${lines[line]}\n${lines[line + 1]}\n`);
  return documents;
}

interface Recorded {
  /** A copy of every body sent, in the order the requests were made. */
  bodies: Buffer[];
  /** The documents each answer said were written, as their two lines. */
  written: string[];
}

/**
 * A client whose transport records each bulk body (a copy: the loader may reuse its buffer once
 * answered) and answers after a random number of event-loop turns, so that requests overlap and
 * end out of order. `pushBack` says which documents of a body to answer 429 for.
 */
function recordingClient(random: () => number, pushBack: (request: number, document: number) => boolean = () => false): { client: Client; recorded: Recorded } {
  const recorded: Recorded = { bodies: [], written: [] };
  const transport = {
    async request(params: { bulkBody: Buffer }) {
      const body = Buffer.from(params.bulkBody);
      const request = recorded.bodies.push(body) - 1;
      for (let turns = Math.floor(random() * 4); turns > 0; turns--) await new Promise((resolve) => setImmediate(resolve));
      const documents = documentsIn(body);
      const statuses = documents.map((_, document) => (pushBack(request, document) ? 429 : 201));
      documents.forEach((document, position) => {
        if (statuses[position] === 201) recorded.written.push(document);
      });
      const answer = { errors: statuses.includes(429), items: statuses.map((status) => ({ index: { status } })) };
      return { statusCode: 200, body: Buffer.from(JSON.stringify(answer)) };
    },
  };
  return { client: { transport } as unknown as Client, recorded };
}

async function load(loader: ReturnType<typeof createBulkLoader>, documents: GeneratedDocument[]): Promise<void> {
  for (const document of documents) {
    const [action, source] = linesOf(document);
    const full = loader.add(action, source);
    if (full) await full;
  }
  await loader.finish();
}

describe('the bulk loader', () => {
  it('sends exactly the plain NDJSON of the documents, request after request, from reused bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(generatedDocument, { maxLength: 120 }),
        fc.integer({ min: 200, max: 3000 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        async (documents, bulkBytes, concurrency, seed) => {
          const { client, recorded } = recordingClient(seededRandom(seed));
          await load(createBulkLoader(client, { path: '/_bulk', context: 'test', bulkBytes, concurrency }), documents);
          expect(Buffer.concat(recorded.bodies).equals(plainBody(documents))).toBe(true);
          for (const body of recorded.bodies) {
            // A body is full at `bulkBytes`; only a document larger than that goes alone in a larger one.
            if (body.length > bulkBytes) expect(documentsIn(body)).toHaveLength(1);
          }
        },
      ),
      { numRuns: 200, seed: 0x5eed },
    );
  });

  it('keeps each loader bodies apart when loaders share one budget and its pool', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(generatedDocument, { maxLength: 60 }), { minLength: 2, maxLength: 4 }), fc.integer(), async (loads, seed) => {
        const random = seededRandom(seed);
        const budget = createBulkBytesBudget(6 * 1024);
        const clients = loads.map(() => recordingClient(random));
        await Promise.all(
          loads.map((documents, position) => load(createBulkLoader(clients[position]!.client, { path: '/_bulk', context: 'test', budget }), documents)),
        );
        loads.forEach((documents, position) => {
          expect(Buffer.concat(clients[position]!.recorded.bodies).equals(plainBody(documents))).toBe(true);
        });
      }),
      { numRuns: 100, seed: 0x5eed },
    );
  });

  it('resends only the documents pushed back, each one whole, and every document is written once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(generatedDocument, { minLength: 1, maxLength: 60 }), fc.integer(), async (documents, seed) => {
        const random = seededRandom(seed);
        // The first request's documents at odd positions are pushed back once.
        const { client, recorded } = recordingClient(random, (request, document) => request === 0 && document % 2 === 1);
        const loader = createBulkLoader(client, { path: '/_bulk', context: 'test', bulkBytes: 1500, concurrency: 2 });
        await load(loader, documents);
        expect([...recorded.written].sort()).toEqual(documentsIn(plainBody(documents)).sort());
        const first = documentsIn(recorded.bodies[0]!);
        if (first.length > 1) expect(recorded.bodies.some((body) => body.equals(Buffer.from(first.filter((_, index) => index % 2 === 1).join(''))))).toBe(true);
      }),
      { numRuns: 12, seed: 0x5eed },
    );
  });
});
