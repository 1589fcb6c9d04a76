// The export's lines, written over the page's own bytes, against the lines built the plain way
// (a new buffer from the hits' slices) and against JSON.parse of the answer: whatever the index
// name's length (an alias longer than the index it names forces the copy into a new buffer),
// the types, routings and pretty-printed sources, the bytes are the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionStart, bulkLines } from './bulk-lines.js';
import { parseRawSearchPage } from './raw-search-page.js';

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '\n', 'é', '😀', 'a'), maxLength: 10 }),
  fc.constantFrom('"_source"', '},{"_id":"x"'),
);
const source = fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })), { maxKeys: 5 });

const generatedHit = fc.record(
  {
    index: fc.constantFrom('a4c-topology', 'x', ''),
    id: text,
    type: fc.constantFrom('_doc', 'node', 't"1'),
    routing: text,
    source,
    pretty: fc.boolean(),
    sort: fc.array(fc.integer(), { maxLength: 2 }),
  },
  { requiredKeys: ['index', 'id', 'source', 'pretty'] },
);

type GeneratedHit = Omit<typeof generatedHit extends fc.Arbitrary<infer T> ? T : never, 'index'> & { index: string };

/** An answer the way Elasticsearch writes one (members in its order); `pretty` sources keep line breaks. */
function answer(hits: GeneratedHit[], head: string): string {
  const rendered = hits.map((hit) => {
    const members = [`"_index":${JSON.stringify(hit.index)}`];
    if (hit.type !== undefined) members.push(`"_type":${JSON.stringify(hit.type)}`);
    members.push(`"_id":${JSON.stringify(hit.id)}`, '"_score":null');
    if (hit.routing !== undefined) members.push(`"_routing":${JSON.stringify(hit.routing)}`);
    members.push(`"_source":${hit.pretty ? JSON.stringify(hit.source, null, 2) : JSON.stringify(hit.source)}`);
    if (hit.sort !== undefined) members.push(`"sort":${JSON.stringify(hit.sort)}`);
    return `{${members.join(',')}}`;
  });
  return `{${head}"hits":{"total":{"value":${hits.length},"relation":"eq"},"max_score":null,"hits":[${rendered.join(',')}]}}`;
}

/** The lines built the plain way: the hits' slices concatenated into a new buffer. */
function plainLines(bytes: Buffer, index: string, keepTypes: boolean): Buffer {
  const parts: Buffer[] = [];
  for (const hit of parseRawSearchPage(bytes).hits) {
    parts.push(Buffer.from(`{"index":{"_index":${JSON.stringify(index)}`));
    if (keepTypes && hit.typeJson) parts.push(Buffer.from(',"_type":'), hit.typeJson);
    parts.push(Buffer.from(',"_id":'), hit.idJson);
    if (hit.routingJson) parts.push(Buffer.from(',"routing":'), hit.routingJson);
    parts.push(Buffer.from('}}\n'), hit.source, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

describe('bulkLines', () => {
  it('writes the same bytes as the plain way, and the lines say what the answer says', () => {
    fc.assert(
      fc.property(
        fc.array(generatedHit, { maxLength: 8 }),
        fc.constantFrom('a4c-topology', 'i', `alias-${'long'.repeat(30)}`),
        fc.boolean(),
        fc.constantFrom('', '"pit_id":"46ToAwMDaWR5BXV1aWQy==","took":3,"_shards":{"total":2,"successful":2,"failed":0},'),
        (hits, index, keepTypes, head) => {
          const json = answer(hits, head);
          const expected = plainLines(Buffer.from(json), index, keepTypes);
          const lines = Buffer.concat(bulkLines(parseRawSearchPage(Buffer.from(json)).hits, actionStart(index), keepTypes));
          expect(lines.toString('utf8')).toBe(expected.toString('utf8'));
          const parsed = lines
            .toString('utf8')
            .split('\n')
            .slice(0, -1)
            .map((line) => JSON.parse(line) as unknown);
          const original = (JSON.parse(json) as { hits: { hits: Record<string, unknown>[] } }).hits.hits;
          expect(parsed).toEqual(
            original.flatMap((hit) => [
              {
                index: {
                  _index: index,
                  ...(keepTypes && hit._type !== undefined ? { _type: hit._type } : {}),
                  _id: hit._id,
                  ...(hit._routing !== undefined ? { routing: hit._routing } : {}),
                },
              },
              hit._source,
            ]),
          );
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });

  it('moves a whole Elasticsearch page within its own bytes, and copies the rest when a longer name catches up', () => {
    const hits = Array.from({ length: 50 }, (_, position) => ({
      index: 'topology',
      id: `topology-${position}`,
      source: { name: `document ${position}`, list: [position] },
      pretty: false,
      sort: [position],
    }));
    const json = answer(hits, '"pit_id":"46ToAwMDaWR5BXV1aWQy==","took":3,"_shards":{"total":2,"successful":2,"failed":0},');
    const inPlace = bulkLines(parseRawSearchPage(Buffer.from(json)).hits, actionStart('topology'), false);
    expect(inPlace).toHaveLength(1);
    const longer = bulkLines(parseRawSearchPage(Buffer.from(json)).hits, actionStart(`alias-of-the-topology-${'x'.repeat(40)}`), false);
    expect(longer).toHaveLength(2);
    expect(Buffer.concat(longer).toString()).toBe(plainLines(Buffer.from(json), `alias-of-the-topology-${'x'.repeat(40)}`, false).toString());
  });

  it('moves a page of ~1 KB documents in place after copying the first hit, whose lines are longer than the head before it', () => {
    const hits = Array.from({ length: 40 }, (_, position) => ({
      index: 'h4p-topology',
      id: `topology-${position}`,
      source: { id: `topology-${position}`, description: 'x'.repeat(1000), list: [position] },
      pretty: false,
      sort: [position],
    }));
    const json = answer(hits, '"pit_id":"46ToAwMDaWR5BXV1aWQy==","took":3,"_shards":{"total":2,"successful":2,"failed":0},');
    const page = parseRawSearchPage(Buffer.from(json));
    const parts = bulkLines(page.hits, actionStart('h4p-topology'), false);
    expect(Buffer.concat(parts).toString()).toBe(plainLines(Buffer.from(json), 'h4p-topology', false).toString());
    // The first hit's lines in a buffer of their own, the 39 others written over the page's bytes.
    expect(parts).toHaveLength(2);
    expect(parts[0]!.toString().split('\n')).toHaveLength(3);
    expect(parts[1]!.buffer).toBe(page.hits.bytes.buffer);
  });
});
