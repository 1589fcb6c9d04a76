// The raw page scanner against JSON.parse on generated search answers: whatever the documents
// (escapes, unicode with surrogate pairs, nested sources, numbers, huge strings), the whitespace
// and the order of the keys, every hit's id, type, routing and source, the sort values, the
// total, the ids and the shard failures are those JSON.parse reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastSortFromTail, parseRawSearchPage } from './raw-search-page.js';

/** Whitespace JSON allows between tokens, odd mixes included. */
const whitespace = fc.stringMatching(/^[ \t\r\n]{0,3}$/);

/** A string with what trips byte scanners: quotes, backslashes, brackets, key-like text, surrogate pairs, controls. */
const trickyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\t', 'é', '😀', '\u2028', '\u0000', 'a'), maxLength: 16 }),
  fc.constantFrom('"_source"', '\\"}]', '"_id":"x"', '\\\\', '\\u0022'),
);

const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308, 5e-324, 9007199254740991, -1.5e-7));

const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    trickyString,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Renders JSON with the given whitespace between tokens and, for some strings, every character as a \u escape. */
function render(value: unknown, space: () => string, escapeAll: () => boolean): string {
  const string = (text: string) =>
    escapeAll()
      ? // Every UTF-16 unit: a character outside the BMP becomes its two surrogates, `\ud83d\ude00`.
        `"${Array.from({ length: text.length }, (_, index) => `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`).join('')}"`
      : JSON.stringify(text);
  const go = (node: unknown): string => {
    if (typeof node === 'string') return string(node);
    if (Array.isArray(node)) return `[${space()}${node.map((element) => `${go(element)}${space()}`).join(`,${space()}`)}]`;
    if (node && typeof node === 'object') {
      // Keys as Elasticsearch writes them (JSON.stringify: escapes only where needed); values may be all \u escapes.
      const members = Object.entries(node).map(([key, entry]) => `${JSON.stringify(key)}${space()}:${space()}${go(entry)}`);
      return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
    }
    return JSON.stringify(node);
  };
  return go(value);
}

interface GeneratedHit {
  id: string;
  type?: string;
  routing?: string;
  /** 1.x and 2.x: the routing as a requested field. */
  routingField?: string;
  source: Record<string, unknown>;
  sort?: unknown[];
  /** Fields the scanner skips. */
  extra: Record<string, unknown>;
}

const hit: fc.Arbitrary<GeneratedHit> = fc.record(
  {
    id: trickyString,
    type: fc.constantFrom('_doc', 'indexednodetype', 't"1'),
    routing: trickyString,
    routingField: trickyString,
    source: fc.dictionary(trickyString, jsonValue, { maxKeys: 6 }),
    sort: fc.array(fc.oneof(number, trickyString), { maxLength: 3 }),
    extra: fc.record(
      { _index: trickyString, _score: fc.oneof(fc.constant(null), number), _ignored: fc.array(trickyString, { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['id', 'source', 'extra'] },
);

const answer = fc.record({
  hits: fc.array(hit, { maxLength: 6 }),
  total: fc.oneof(fc.nat(), fc.record({ value: fc.nat(), relation: fc.constant('eq') })),
  pitId: fc.option(fc.base64String({ maxLength: 40 }), { nil: undefined }),
  scrollId: fc.option(fc.base64String({ maxLength: 40 }), { nil: undefined }),
  failed: fc.nat({ max: 2 }),
  took: number,
  shuffle: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
});

type AnswerShape = typeof answer extends fc.Arbitrary<infer T> ? T : never;

/** The members of an object in an order drawn from `order` (Elasticsearch's is not promised). */
function shuffled<T>(entries: T[], order: number[]): T[] {
  return entries
    .map((entry, position) => ({ entry, key: order[position % order.length]! }))
    .sort((a, b) => a.key - b.key)
    .map(({ entry }) => entry);
}

function answerJson(generated: AnswerShape, space: () => string, escapeAll: () => boolean): string {
  const hits = generated.hits.map((generatedHit) => {
    const members: [string, unknown][] = [['_id', generatedHit.id], ['_source', generatedHit.source], ...Object.entries(generatedHit.extra)];
    if (generatedHit.type !== undefined) members.push(['_type', generatedHit.type]);
    if (generatedHit.routing !== undefined) members.push(['_routing', generatedHit.routing]);
    if (generatedHit.routingField !== undefined) members.push(['fields', { _routing: [generatedHit.routingField] }]);
    if (generatedHit.sort !== undefined) members.push(['sort', generatedHit.sort]);
    return Object.fromEntries(shuffled(members, generated.shuffle));
  });
  const shards = {
    total: 2,
    successful: 2 - generated.failed,
    failed: generated.failed,
    ...(generated.failed > 0 ? { failures: [{ reason: { type: 'boom', reason: 'gone "away"' } }] } : {}),
  };
  const top: [string, unknown][] = [
    ['took', generated.took],
    ['_shards', shards],
    [
      'hits',
      Object.fromEntries(
        shuffled<[string, unknown]>(
          [
            ['total', generated.total],
            ['max_score', null],
            ['hits', hits],
          ],
          generated.shuffle.slice(3),
        ),
      ),
    ],
  ];
  if (generated.pitId !== undefined) top.push(['pit_id', generated.pitId]);
  if (generated.scrollId !== undefined) top.push(['_scroll_id', generated.scrollId]);
  return render(Object.fromEntries(shuffled(top, generated.shuffle.slice(7))), space, escapeAll);
}

/** A deterministic stream of choices from a drawn list, so that a failing case shrinks and replays. */
function cycle<T>(values: T[], fallback: T): () => T {
  let position = 0;
  return () => (values.length === 0 ? fallback : values[position++ % values.length]!);
}

// A fixed seed keeps the default run reproducible; raise numRuns locally to search harder.
const settings = { seed: 20261130, numRuns: 200 };

// Both ways of skipping objects and arrays: WebAssembly SIMD (where it runs) and the byte loop.
describe.each([
  { skipping: 'SIMD', simd: true },
  { skipping: 'the byte loop', simd: false },
])('parseRawSearchPage against JSON.parse, skipping with $skipping', ({ simd }) => {
  it('reads every hit, sort value, total, id and failure of generated answers as JSON.parse does', () => {
    fc.assert(
      fc.property(answer, fc.array(whitespace, { maxLength: 20 }), fc.array(fc.boolean(), { maxLength: 7 }), (generated, spaces, escapes) => {
        const bytes = Buffer.from(
          answerJson(
            generated,
            cycle(spaces, ''),
            cycle(
              escapes.map((allEscaped) => allEscaped && escapes.length > 5),
              false,
            ),
          ),
        );
        const expected = JSON.parse(bytes.toString('utf8')) as {
          pit_id?: string;
          _scroll_id?: string;
          _shards: { failed: number };
          hits: { total: number | { value: number }; hits: Record<string, unknown>[] };
        };
        const page = parseRawSearchPage(bytes, { simd });
        expect(page.pitId).toBe(expected.pit_id);
        expect(page.scrollId).toBe(expected._scroll_id);
        expect(page.failedShards).toBe(expected._shards.failed);
        expect(page.failure).toBe(expected._shards.failed > 0 ? 'boom: gone "away"' : undefined);
        const total = expected.hits.total;
        expect(page.total).toBe(typeof total === 'number' ? total : total.value);
        expect(page.hits).toHaveLength(expected.hits.hits.length);
        Array.from(page.hits).forEach((parsed, position) => {
          const original = expected.hits.hits[position]!;
          expect(JSON.parse(parsed.idJson.toString('utf8'))).toBe(original._id);
          // A bulk body holds one document a line.
          expect(parsed.source.includes(0x0a)).toBe(false);
          expect(JSON.parse(parsed.source.toString('utf8'))).toEqual(original._source);
          expect(parsed.typeJson === undefined ? undefined : JSON.parse(parsed.typeJson.toString('utf8'))).toBe(original._type);
          const routing = original._routing ?? (original.fields as { _routing?: string[] } | undefined)?._routing?.[0];
          expect(parsed.routingJson === undefined ? undefined : JSON.parse(parsed.routingJson.toString('utf8'))).toBe(routing);
        });
        const sorted = expected.hits.hits.filter((original) => original.sort !== undefined);
        expect(page.lastSort).toEqual(sorted.at(-1)?.sort);
        // The early guess from the page's end, when it makes one, is the last hit's sort.
        const guess = lastSortFromTail(bytes);
        if (guess) expect(guess).toEqual(expected.hits.hits.at(-1)?.sort);
      }),
      settings,
    );
  });

  it('slices a huge source (8 MB of strings with escapes and surrogate pairs) whole', () => {
    const source = { text: 'a"\\😀é\u0001'.repeat(1_000_000), list: Array.from({ length: 1000 }, (_, position) => ({ position, value: `v${position}` })) };
    const bytes = Buffer.from(`{"hits":{"total":{"value":1},"hits":[{"_id":"big","_source":${JSON.stringify(source)},"sort":[7]}]}}`);
    const page = parseRawSearchPage(bytes, { simd });
    expect(JSON.parse(page.hits.at(0).source.toString('utf8'))).toEqual(source);
    expect(page.lastSort).toEqual([7]);
  });

  it('refuses truncated and malformed answers instead of reading a wrong document', () => {
    const whole = '{"hits":{"hits":[{"_id":"1","_source":{"a":"x\\"}"},"sort":[1]}]}}';
    for (let end = 1; end < whole.length; end++)
      expect(() => parseRawSearchPage(Buffer.from(whole.slice(0, end)), { simd }), whole.slice(0, end)).toThrow(SyntaxError);
    expect(() => parseRawSearchPage(Buffer.from('{"hits":{"hits":[{"_source":{}}]}}'), { simd })).toThrow(SyntaxError);
  });
});
