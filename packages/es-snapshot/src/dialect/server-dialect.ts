// What differs between the Elasticsearch generations a4c-admin talks to (1.7 to 8.x), in one
// place: every other file asks the dialect of the connected server instead of testing versions.
// Measured on real nodes (docs in ../../../../docs, the design note legacy-elasticsearch.md):
// - 1.x and 2.x page with scan + scroll (`search_type=scan`: the first answer holds no hit, and
//   `size` counts per shard); 1.x takes the scroll id as the raw request body; clearing the
//   scroll of a finished scan answers 404 `{}`;
// - 5.x to 7.x scroll sorted by `_doc`; 8.x reads through a point in time;
// - `hits.total` is a number up to 6.x and an object from 7.x (the page parser reads both);
// - up to 5.x an index holds several mapping types: hits carry `_type`, bulk action lines and
//   document paths name it, index mappings are given per type;
// - APIs that do not exist before a version: `_resolve/index` (7.9), the add-block API (7.9),
//   `remove_index` alias actions (7.x here), snapshot user metadata (7.3), snapshot uuids (5.0),
//   `index_details` in snapshot reads (7.13), `_ingest/_simulate` with substitutions (8.14),
//   resetting a setting with null (5.0), strict checking of unknown URL parameters (5.0).

/** The three numbers of an Elasticsearch version ("1.7.6", "8.19.21-SNAPSHOT"). */
export interface ServerVersion {
  major: number;
  minor: number;
  patch: number;
}

/** How the documents of an index are paged through. */
export type PagingMethod = 'point-in-time' | 'scroll' | 'scan-scroll';

export interface ServerDialect {
  /** The server's version as it said it (`GET /` version.number). */
  readonly version: string;
  readonly major: number;
  /** Several mapping types per index (1.x-5.x): documents keep their `_type`, mappings are per type. */
  readonly multiType: boolean;
  /** The type documents are written under when they carry none (6.x needs one; 7.x and 8.x are typeless). */
  readonly defaultType: string | undefined;
  readonly paging: PagingMethod;
  /** 1.x and 2.x return a hit's routing only when asked, under `fields._routing`. */
  readonly routingAsField: boolean;
  /** 1.x: `_search/scroll` takes the bare scroll id as its body. */
  readonly scrollIdAsRawBody: boolean;
  /** 8.x only: the client's product check and `compatible-with=8` headers (older servers refuse or ignore them). */
  readonly vendoredHeaders: boolean;
  /** `_resolve/index` (7.9+); older servers are asked through `_cat/indices` and `_cat/aliases`. */
  readonly resolveIndexApi: boolean;
  /** `PUT /<index>/_block/write` (7.9+); older servers set `index.blocks.write`. */
  readonly addBlockApi: boolean;
  /** `POST /<index>/_clone/<target>` (7.4+): a write-blocked index copied by linking its segment files. */
  readonly cloneApi: boolean;
  /** `remove_index` in an alias update (7.x+ here); older servers delete the indices before the alias update. */
  readonly aliasRemoveIndex: boolean;
  /**
   * a4c-admin can write A4C's indices in this server's mapping form, so migrate in place: 1.x
   * (A4C's own ES 1.x form) and 7.x+ (typeless). 2.x-5.x dropped parts of the 1.x form (`_id.path`,
   * `precision_step`) and 6.x wants one named type: there, migrate into another cluster.
   */
  readonly migratesInPlace: boolean;
  /** Snapshot user metadata (7.3+); older servers keep it in a4c-admin's own index (snapshot-metadata-index.ts). */
  readonly snapshotMetadata: boolean;
  /** `index_details` (shard counts) in snapshot reads (7.13+). */
  readonly snapshotIndexDetails: boolean;
  /**
   * 2.x looks a requested snapshot up by reading its `snap-<name>.dat`: an unknown name answers
   * snapshot_missing_exception caused by no_such_file_exception, which on other versions means a
   * snapshot the repository lists but whose file is gone (an unreadable one).
   */
  readonly unknownSnapshotReadsItsFile: boolean;
  /** A setting reset with null (5.0+); older servers need an explicit value. */
  readonly nullResetsSetting: boolean;
  /**
   * The `refresh` value of a write that must be visible once answered: `true` on every version.
   * The only such writes are single documents in the tool's own one-shard indices (the marker, the
   * snapshot metadata), where a forced refresh costs a few milliseconds, while `wait_for` waits for
   * the next scheduled refresh (measured: 0.35-0.95 s for the marker, the migration's last step).
   */
  readonly refreshOnWrite: 'true';
  /** The field of a bulk action line that carries the routing. */
  readonly routingKey: '_routing' | 'routing';
  /** The type of a keyword field in mappings a4c-admin writes itself (the marker index). */
  readonly keywordField: Record<string, unknown>;
  /** A search counts every hit only when asked (`track_total_hits`, 7.x+); before, `hits.total` is always exact. */
  readonly trackTotalHits: boolean;
  /** Sliced reads (`slice` in a scroll or point-in-time search, 5.x+): one index read as several streams. */
  readonly slicedReads: boolean;
}

/** The numbers of a version string; an unreadable one is refused (the caller says where it came from). */
export function parseServerVersion(version: string): ServerVersion {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!match) throw new Error(`"${version}" is not an Elasticsearch version`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

function atLeast(version: ServerVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** The dialect of a server of `version`. */
export function dialectFor(version: string): ServerDialect {
  const parsed = parseServerVersion(version);
  const { major } = parsed;
  return {
    version,
    major,
    multiType: major <= 5,
    defaultType: major === 6 ? '_doc' : undefined,
    paging: major >= 8 ? 'point-in-time' : major >= 5 ? 'scroll' : 'scan-scroll',
    routingAsField: major <= 2,
    scrollIdAsRawBody: major <= 1,
    vendoredHeaders: major >= 8,
    resolveIndexApi: atLeast(parsed, 7, 9),
    addBlockApi: atLeast(parsed, 7, 9),
    cloneApi: atLeast(parsed, 7, 4),
    aliasRemoveIndex: major >= 7,
    migratesInPlace: major <= 1 || major >= 7,
    snapshotMetadata: atLeast(parsed, 7, 3),
    snapshotIndexDetails: atLeast(parsed, 7, 13),
    unknownSnapshotReadsItsFile: major === 2,
    nullResetsSetting: major >= 5,
    refreshOnWrite: 'true',
    routingKey: major >= 6 ? 'routing' : '_routing',
    keywordField: major >= 5 ? { type: 'keyword' } : { type: 'string', index: 'not_analyzed' },
    trackTotalHits: major >= 7,
    slicedReads: major >= 5,
  };
}

/**
 * The dialect assumed when the server does not say its version (`GET /` refused to a user
 * without the monitor privilege): 8.x, the only generation a4c-admin talked to before.
 */
export const DEFAULT_DIALECT: ServerDialect = dialectFor('8.0.0');

/** The mapping type a document is written under: its own on a multi-type server, else the server's default (or none). */
export function documentType(dialect: ServerDialect, type: string | undefined): string | undefined {
  if (dialect.multiType) return type ?? dialect.defaultType;
  return dialect.defaultType;
}

/** A bulk `index` action line (no newline): `_type` on servers that have types, the routing under the server's key. */
export function bulkActionLine(dialect: ServerDialect, document: { index?: string; type?: string; id: string; routing?: string }): string {
  const action: Record<string, string> = {};
  if (document.index !== undefined) action._index = document.index;
  const type = documentType(dialect, document.type);
  if (type !== undefined) action._type = type;
  action._id = document.id;
  if (document.routing !== undefined) action[dialect.routingKey] = document.routing;
  // A string: the bulk loader writes it straight into the request body (bulk-loader.ts).
  return `{"index":${JSON.stringify(action)}}`;
}

/**
 * The path of one document: `/<index>/_doc/<id>` from 7.x, `/<index>/<type>/<id>` before (on 6.x
 * the one type an index may have, `_doc`, as the tool's own indices are created with).
 */
export function documentPath(dialect: ServerDialect, index: string, type: string, id: string): string {
  const typePart = dialect.major >= 7 ? '_doc' : encodeURIComponent(documentType(dialect, type) ?? type);
  return `/${encodeURIComponent(index)}/${typePart}/${encodeURIComponent(id)}`;
}

/** A request of the scroll protocol: method, path, query string and body (a string is sent raw). */
export interface ScrollRequest {
  method: 'POST' | 'DELETE';
  path: string;
  querystring?: Record<string, string | number>;
  body?: unknown;
}

/** The path of an index's endpoint (`_search`, `_count`), narrowed to one mapping type when given (multi-type servers). */
export function indexEndpoint(index: string, endpoint: string, type?: string): string {
  return `/${encodeURIComponent(index)}${type === undefined ? '' : `/${encodeURIComponent(type)}`}/${endpoint}`;
}

/** The search that opens a scroll over every document of `index` (of one type when given), in index order. */
export function openScrollRequest(dialect: ServerDialect, index: string, pageSize: number, keepAlive: string, type?: string, slice?: ReadSlice): ScrollRequest {
  const path = indexEndpoint(index, '_search', type);
  if (dialect.paging === 'scan-scroll') {
    // Scan: no scoring, no sort, `size` documents per shard a page; the first answer has no hits.
    const body: Record<string, unknown> = { query: { match_all: {} } };
    // The routing of a hit is a stored field there, returned only when asked for (with the source).
    if (dialect.routingAsField) body.fields = ['_source', '_routing'];
    return { method: 'POST', path, querystring: { search_type: 'scan', scroll: keepAlive, size: pageSize }, body };
  }
  const body: Record<string, unknown> = { size: pageSize, sort: ['_doc'] };
  // A slice's first page counts that slice's documents: the export sums them (7.x stops at 10 000 unless asked).
  if (slice && dialect.slicedReads) body.slice = slice;
  if (slice && dialect.trackTotalHits) body.track_total_hits = true;
  return { method: 'POST', path, querystring: { scroll: keepAlive }, body };
}

/** One slice of a sliced read: slice `id` of `max` (0-based). */
export interface ReadSlice {
  id: number;
  max: number;
}

/**
 * One plain search for every document of `index` in one answer (no scroll, no point in time):
 * for an index that fits in one page. The answer's total says whether it did (the caller checks).
 */
export function onePageSearchRequest(dialect: ServerDialect, index: string, size: number, type?: string): ScrollRequest {
  const body: Record<string, unknown> = { size, query: { match_all: {} } };
  // `_doc` order is the cheapest; 1.x has no such sort (and a plain search there is not a scan: `size` is the whole page).
  if (dialect.paging !== 'scan-scroll') body.sort = ['_doc'];
  if (dialect.routingAsField) body.fields = ['_source', '_routing'];
  if (dialect.trackTotalHits) body.track_total_hits = true;
  return { method: 'POST', path: indexEndpoint(index, '_search', type), body };
}

/**
 * The NDJSON body of one `_msearch` that counts the documents of each index (`size: 0`): one
 * request for the counts of a whole installation, on every generation (1.x to 8.x).
 */
export function countSearchesBody(dialect: ServerDialect, indices: readonly string[]): string {
  const search = JSON.stringify(dialect.trackTotalHits ? { size: 0, track_total_hits: true } : { size: 0 });
  return indices.map((index) => `${JSON.stringify({ index })}\n${search}\n`).join('');
}

/** The request for the next page of a scroll. */
export function continueScrollRequest(dialect: ServerDialect, scrollId: string, keepAlive: string): ScrollRequest {
  if (dialect.scrollIdAsRawBody) return { method: 'POST', path: '/_search/scroll', querystring: { scroll: keepAlive }, body: scrollId };
  return { method: 'POST', path: '/_search/scroll', body: { scroll: keepAlive, scroll_id: scrollId } };
}

/** The request that frees a scroll's resources on the server. */
export function clearScrollRequest(dialect: ServerDialect, scrollId: string): ScrollRequest {
  if (dialect.scrollIdAsRawBody) return { method: 'DELETE', path: '/_search/scroll', body: scrollId };
  return { method: 'DELETE', path: '/_search/scroll', body: { scroll_id: [scrollId] } };
}

/**
 * Whether an answer to a clear-scroll request means the scroll is gone: 200, or the 404 that
 * 1.x and 2.x give for a scan that already ended (its contexts were freed with the last page).
 */
export function isScrollCleared(status: number): boolean {
  return (status >= 200 && status < 300) || status === 404;
}

/** The mappings of the data-version marker index, in the server's own words. */
export function markerIndexMappings(dialect: ServerDialect, type: string): Record<string, unknown> {
  const date = { type: 'date' };
  const body = { dynamic: false, properties: { version: dialect.keywordField, updatedAt: date } };
  return dialect.major >= 7 ? body : { [documentType(dialect, type) ?? type]: body };
}

/**
 * An id for a snapshot: its uuid (5.0+), else its name and start time, which tell a snapshot
 * from a later one of the same name as surely (a backup records it and verify compares it).
 */
export function snapshotIdentity(raw: { snapshot: string; uuid?: string; start_time_in_millis?: number }): string {
  if (raw.uuid) return raw.uuid;
  return `${raw.snapshot}@${raw.start_time_in_millis ?? 0}`;
}
