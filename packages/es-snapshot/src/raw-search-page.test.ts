import { describe, expect, it } from 'vitest';
import { parseRawSearchPage } from './raw-search-page.js';

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
});
