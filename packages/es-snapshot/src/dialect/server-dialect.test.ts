import { describe, expect, it } from 'vitest';
import { parseRawSearchPage } from '../raw-search-page.js';
import { legacyErrorType } from '../wrap-elasticsearch-error.js';
import {
  bulkActionLine,
  clearScrollRequest,
  continueScrollRequest,
  countSearchesBody,
  DEFAULT_DIALECT,
  dialectFor,
  documentPath,
  isScrollCleared,
  markerIndexMappings,
  onePageSearchRequest,
  openScrollRequest,
  parseServerVersion,
  snapshotIdentity,
} from './server-dialect.js';

const V1 = dialectFor('1.7.6');
const V2 = dialectFor('2.4.6');
const V5 = dialectFor('5.6.16');
const V6 = dialectFor('6.8.23');
const V7 = dialectFor('7.17.29');
const V8 = dialectFor('8.19.21-SNAPSHOT');

describe('the dialect of each Elasticsearch generation', () => {
  it('reads versions as servers write them', () => {
    expect(parseServerVersion('8.19.21-SNAPSHOT')).toEqual({ major: 8, minor: 19, patch: 21 });
    expect(parseServerVersion('1.7')).toEqual({ major: 1, minor: 7, patch: 0 });
    expect(() => parseServerVersion('banana')).toThrow(/not an Elasticsearch version/);
  });

  it('pages with scan on 1.x and 2.x, a scroll from 5.x, a point in time on 8.x (the default when the version is unknown)', () => {
    expect([V1, V2, V5, V6, V7, V8].map((dialect) => dialect.paging)).toEqual(['scan-scroll', 'scan-scroll', 'scroll', 'scroll', 'scroll', 'point-in-time']);
    expect(DEFAULT_DIALECT.paging).toBe('point-in-time');
    expect(DEFAULT_DIALECT.vendoredHeaders).toBe(true);
    expect([V1, V5, V6, V7].every((dialect) => !dialect.vendoredHeaders)).toBe(true);
  });

  it('knows types up to 5.x, a default type on 6.x, and no type from 7.x', () => {
    expect([V1, V2, V5, V6, V7, V8].map((dialect) => dialect.multiType)).toEqual([true, true, true, false, false, false]);
    expect(V6.defaultType).toBe('_doc');
    expect(V7.defaultType).toBeUndefined();
  });

  it('opens a scan on 1.x with the routing asked as a field, a sorted scroll from 5.x, narrowed to a type when asked', () => {
    expect(openScrollRequest(V1, 'toscaelement', 100, '2m', 'indexednodetype')).toEqual({
      method: 'POST',
      path: '/toscaelement/indexednodetype/_search',
      querystring: { search_type: 'scan', scroll: '2m', size: 100 },
      body: { query: { match_all: {} }, fields: ['_source', '_routing'] },
    });
    expect(openScrollRequest(V5, 'a b', 10, '1m')).toEqual({
      method: 'POST',
      path: '/a%20b/_search',
      querystring: { scroll: '1m' },
      body: { size: 10, sort: ['_doc'] },
    });
  });

  it('sends the scroll id as the raw body on 1.x only, and takes the 404 of a finished scan for cleared', () => {
    expect(continueScrollRequest(V1, 'c2Nhbj', '2m')).toEqual({ method: 'POST', path: '/_search/scroll', querystring: { scroll: '2m' }, body: 'c2Nhbj' });
    expect(continueScrollRequest(V2, 'c2Nhbj', '2m')).toEqual({ method: 'POST', path: '/_search/scroll', body: { scroll: '2m', scroll_id: 'c2Nhbj' } });
    expect(clearScrollRequest(V1, 'x')).toEqual({ method: 'DELETE', path: '/_search/scroll', body: 'x' });
    expect(clearScrollRequest(V7, 'x')).toEqual({ method: 'DELETE', path: '/_search/scroll', body: { scroll_id: ['x'] } });
    expect([200, 404, 400, 500].map(isScrollCleared)).toEqual([true, true, false, false]);
  });

  it('writes bulk action lines with _type where the server has types, and the routing under its key', () => {
    const document = { type: 'indexednodetype', id: 'a "b"', routing: 'r' };
    expect(bulkActionLine(V1, document).toString()).toBe('{"index":{"_type":"indexednodetype","_id":"a \\"b\\"","_routing":"r"}}');
    expect(bulkActionLine(V6, { ...document, index: 'i' }).toString()).toBe('{"index":{"_index":"i","_type":"_doc","_id":"a \\"b\\"","routing":"r"}}');
    expect(bulkActionLine(V8, document).toString()).toBe('{"index":{"_id":"a \\"b\\"","routing":"r"}}');
  });

  it('names document paths and the marker mappings in each generation', () => {
    expect(documentPath(V1, 'm', 'marker', 'data-version')).toBe('/m/marker/data-version');
    expect(documentPath(V8, 'm', 'marker', 'data version')).toBe('/m/_doc/data%20version');
    // 6.x allows one type per index, and the tool's own indices are created with _doc: a document
    // under another type was refused ("more than 1 type: [_doc, marker]"), found by the compatibility run.
    expect(documentPath(V6, 'm', 'marker', 'data-version')).toBe('/m/_doc/data-version');
    expect(documentPath(V5, 'm', 'marker', 'data-version')).toBe('/m/marker/data-version');
    expect(markerIndexMappings(V1, 'marker')).toEqual({
      marker: { dynamic: false, properties: { version: { type: 'string', index: 'not_analyzed' }, updatedAt: { type: 'date' } } },
    });
    expect(markerIndexMappings(V8, 'marker')).toEqual({ dynamic: false, properties: { version: { type: 'keyword' }, updatedAt: { type: 'date' } } });
  });

  it('names a snapshot by its uuid, or by name and start time before 5.0', () => {
    expect(snapshotIdentity({ snapshot: 's', uuid: 'u-1' })).toBe('u-1');
    expect(snapshotIdentity({ snapshot: 's', start_time_in_millis: 1234 })).toBe('s@1234');
  });

  it('says which APIs exist', () => {
    expect([V1, dialectFor('7.8.1'), dialectFor('7.9.0'), V8].map((dialect) => dialect.resolveIndexApi)).toEqual([false, false, true, true]);
    expect([V1, dialectFor('7.2.1'), dialectFor('7.3.0')].map((dialect) => dialect.snapshotMetadata)).toEqual([false, false, true]);
    expect([V1, V2, V5].map((dialect) => dialect.nullResetsSetting)).toEqual([false, false, true]);
  });
});

describe('1.x answers', () => {
  it('gives the type of a string error in the snake case of later versions, innermost first', () => {
    expect(legacyErrorType('IndexMissingException[[x] missing]')).toBe('index_missing_exception');
    expect(legacyErrorType('SnapshotMissingException[[r:s] is missing]; nested: FileNotFoundException[/x (No such file)]; ')).toBe('file_not_found_exception');
    expect(legacyErrorType('InvalidSnapshotNameException[[r:s] Invalid snapshot name [s], snapshot with such name already exists]')).toBe(
      'invalid_snapshot_name_exception',
    );
    expect(legacyErrorType('no exception here')).toBeUndefined();
  });

  it('reads a scan page: scroll id, total as a number, _type, and the routing asked as a field', () => {
    const answer =
      '{"_scroll_id":"c2Nhbj","took":1,"_shards":{"total":5,"successful":5,"failed":0},"hits":{"total":2,"max_score":0.0,"hits":[' +
      '{"_index":"t","_type":"node","_id":"1","_score":0.0,"_source":{"x":1},"fields":{"_routing":"r1"}},' +
      '{"_index":"t","_type":"capability","_id":"2","_score":0.0,"_source":{"y":2}}]}}';
    const page = parseRawSearchPage(Buffer.from(answer));
    expect(page.scrollId).toBe('c2Nhbj');
    expect(page.total).toBe(2);
    expect(Array.from(page.hits, (hit) => [hit.typeJson?.toString(), hit.idJson.toString(), hit.routingJson?.toString()])).toEqual([
      ['"node"', '"1"', '"r1"'],
      ['"capability"', '"2"', undefined],
    ]);
  });
});

describe('what a missing snapshot looks like', () => {
  it('only 2.x answers an unknown snapshot name with the missing file of that snapshot', () => {
    // On 2.4.6 a backup's "is the name free?" check read as a damaged repository (the compatibility run).
    expect([V1, V2, V5, V6, V7, V8].filter((dialect) => dialect.unknownSnapshotReadsItsFile).map((dialect) => dialect.major)).toEqual([2]);
  });
});

describe('reading a whole installation in few requests', () => {
  it('counts many indices in one _msearch, asking for exact totals only where a search stops counting (7.x+)', () => {
    expect(countSearchesBody(V1, ['a', 'b'])).toBe('{"index":"a"}\n{"size":0}\n{"index":"b"}\n{"size":0}\n');
    expect(countSearchesBody(V8, ['a'])).toBe('{"index":"a"}\n{"size":0,"track_total_hits":true}\n');
  });

  it('reads a one-page index with one plain search in each generation: no scan on 1.x (routing asked), _doc order from 5.x', () => {
    expect(onePageSearchRequest(V1, 'i', 50).body).toEqual({ size: 50, query: { match_all: {} }, fields: ['_source', '_routing'] });
    expect(onePageSearchRequest(V5, 'i', 50).body).toEqual({ size: 50, query: { match_all: {} }, sort: ['_doc'] });
    expect(onePageSearchRequest(V8, 'i', 50)).toEqual({
      method: 'POST',
      path: '/i/_search',
      body: { size: 50, query: { match_all: {} }, sort: ['_doc'], track_total_hits: true },
    });
  });

  it('slices reads from 5.x only (sliced scroll, then sliced point in time)', () => {
    expect([V1, V2, V5, V6, V7, V8].filter((dialect) => dialect.slicedReads).map((dialect) => dialect.major)).toEqual([5, 6, 7, 8]);
  });
});
