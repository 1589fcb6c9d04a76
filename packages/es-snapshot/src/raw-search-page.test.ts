import { describe, expect, it } from 'vitest';
import { lastSortFromTail, parseRawSearchPage } from './raw-search-page.js';

describe('parseRawSearchPage', () => {
  it('slices each _source out of the answer byte for byte, with ids, routings and sort values', () => {
    const sourceA = '{"name":"a \\"quoted\\" } ] text","nested":{"list":[1,{"x":"\\\\"}]},"u":"é✓"}';
    const sourceB = '{ "spaced" : true }';
    const answer =
      `{"pit_id":"abc==","took":3,"_shards":{"total":2,"successful":2,"failed":0},"hits":{"total":{"value":2,"relation":"eq"},"max_score":null,"hits":[` +
      `{"_index":"i","_id":"id \\"1\\"","_score":null,"_routing":"r1","_source":${sourceA},"sort":[0,12]},` +
      `{"_index":"i","_id":"2","_score":null,"_source":${sourceB},"sort":[1,"x"]}]}}`;
    const page = parseRawSearchPage(Buffer.from(answer));
    expect(page.pitId).toBe('abc==');
    expect(page.total).toBe(2);
    expect(page.failedShards).toBe(0);
    expect(Array.from(page.hits, (hit) => hit.source.toString())).toEqual([sourceA, sourceB]);
    expect(JSON.parse(page.hits.at(0).idJson.toString())).toBe('id "1"');
    expect(page.hits.at(0).routingJson?.toString()).toBe('"r1"');
    expect(page.hits.at(1).routingJson).toBeUndefined();
    expect(page.lastSort).toEqual([1, 'x']);
  });

  it('puts a pretty-printed source on one line, since a bulk body is one document a line', () => {
    const answer = '{"hits":{"hits":[{"_id":"1","_source":{\n  "a" : "x\\ny",\n  "b" : [ 1 ]\n},"sort":[1]}]}}';
    const [hit] = parseRawSearchPage(Buffer.from(answer)).hits;
    expect(hit!.source.includes(0x0a)).toBe(false);
    expect(JSON.parse(hit!.source.toString())).toEqual({ a: 'x\ny', b: [1] });
  });

  it('reports failed shards and an empty page', () => {
    const page = parseRawSearchPage(
      Buffer.from('{"_shards":{"total":2,"successful":1,"failed":1,"failures":[{"reason":{"type":"boom","reason":"gone"}}]},"hits":{"hits":[]}}'),
    );
    expect(page.failedShards).toBe(1);
    expect(page.failure).toBe('boom: gone');
    expect(page.hits).toHaveLength(0);
  });

  it("reads the last hit's sort values from the end of a point-in-time page, and guesses nothing from other endings", () => {
    const page = (tail: string) =>
      Buffer.from(`{"pit_id":"p","hits":{"hits":[{"_id":"1","_source":{"sort":[9]},"sort":[4294967296]},{"_id":"2","_source":{}${tail}`);
    expect(lastSortFromTail(page(',"sort":[4294967301]}]}}'))).toEqual([4294967301]);
    expect(lastSortFromTail(page(',"sort":[-3,12]}]}}'))).toEqual([-3, 12]);
    // A source ending in "sort" (the hit has none), a sort of strings, a page not sorted, whitespace, empty arrays.
    for (const tail of ['}}]}}', ',"x":{"sort":[5]}}]}}', ',"sort":["a"]}]}}', '}]}}', ',"sort":[5]}]}}\n', ',"sort":[]}]}}', ',"sort":[1]}]}']) {
      expect(lastSortFromTail(page(tail)), tail).toBeUndefined();
    }
    expect(lastSortFromTail(Buffer.from('{"hits":{"hits":[]}}'))).toBeUndefined();
  });
});
