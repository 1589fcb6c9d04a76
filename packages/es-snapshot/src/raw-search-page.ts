// Finds the hits of a search answer in its raw bytes without parsing the documents:
// `_source` comes out as a slice of the answer, so exports copy bytes instead of
// parsing and re-serializing every document (several times faster, see performance.md).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** One hit: its id and routing as raw JSON strings (quotes included), and its source bytes. */
export interface RawHit {
  /** The JSON string of the id, quotes included: copied as is into a bulk action line. */
  idJson: Buffer;
  /** The JSON string of the mapping type, on servers that report one (up to 7.x). */
  typeJson?: Buffer;
  routingJson?: Buffer;
  source: Buffer;
}

export interface RawSearchPage {
  hits: RawHit[];
  /** Sort values of the last hit: the `search_after` of the next page. */
  lastSort?: unknown[];
  pitId?: string;
  /** The scroll id to ask the next page with (scroll and scan paging). */
  scrollId?: string;
  total?: number;
  failedShards: number;
  /** The first shard failure's reason, when shards failed. */
  failure?: string;
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipWhitespace(bytes: Buffer, position: number): number {
  while (isWhitespace(bytes[position])) position++;
  return position;
}

/** Position just after the string starting (with its quote) at `position`. */
function skipString(bytes: Buffer, position: number): number {
  let search = position + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, search);
    if (quote < 0) throw new SyntaxError('Unterminated string in the search answer');
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    search = quote + 1;
  }
}

/** Position just after the JSON value starting at `position`. */
function skipValue(bytes: Buffer, position: number): number {
  const first = bytes[position];
  if (first === QUOTE) return skipString(bytes, position);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let index = position;
    const length = bytes.length;
    while (index < length) {
      const byte = bytes[index]!;
      if (byte === QUOTE) {
        index = skipString(bytes, index);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return index + 1;
      }
      index++;
    }
    throw new SyntaxError('Unterminated object in the search answer');
  }
  let index = position;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) break;
    index++;
  }
  return index;
}

/**
 * Calls `onMember(key, valueStart, valueEnd)` for each member of the object at `position`;
 * returns the position after the object.
 */
function forEachMember(bytes: Buffer, position: number, onMember: (key: string, start: number, end: number) => void): number {
  let index = skipWhitespace(bytes, position);
  if (bytes[index] !== OPEN_BRACE) throw new SyntaxError('Expected an object in the search answer');
  index = skipWhitespace(bytes, index + 1);
  if (bytes[index] === CLOSE_BRACE) return index + 1;
  for (;;) {
    const keyEnd = skipString(bytes, index);
    // Keys of a search answer are plain ASCII: no need for a JSON decode.
    const key = bytes.toString('latin1', index + 1, keyEnd - 1);
    index = skipWhitespace(bytes, keyEnd);
    if (bytes[index] !== COLON) throw new SyntaxError('Expected ":" in the search answer');
    const valueStart = skipWhitespace(bytes, index + 1);
    const valueEnd = skipValue(bytes, valueStart);
    onMember(key, valueStart, valueEnd);
    index = skipWhitespace(bytes, valueEnd);
    if (bytes[index] === COMMA) {
      index = skipWhitespace(bytes, index + 1);
      continue;
    }
    if (bytes[index] === CLOSE_BRACE) return index + 1;
    throw new SyntaxError('Expected "," or "}" in the search answer');
  }
}

function parseSlice(bytes: Buffer, start: number, end: number): unknown {
  return JSON.parse(bytes.toString('utf8', start, end));
}

function parseHits(bytes: Buffer, start: number, page: RawSearchPage): void {
  let index = skipWhitespace(bytes, start + 1);
  if (bytes[index] === CLOSE_BRACKET) return;
  for (;;) {
    let idJson: Buffer | undefined;
    let routingJson: Buffer | undefined;
    let typeJson: Buffer | undefined;
    let source: Buffer | undefined;
    let sort: unknown[] | undefined;
    index = forEachMember(bytes, index, (key, valueStart, valueEnd) => {
      if (key === '_id') idJson = bytes.subarray(valueStart, valueEnd);
      else if (key === '_routing') routingJson = bytes.subarray(valueStart, valueEnd);
      else if (key === '_type') typeJson = bytes.subarray(valueStart, valueEnd);
      else if (key === 'fields' && !routingJson) {
        // 1.x and 2.x give the routing as a requested field: `"fields":{"_routing":"r1"}`.
        const routing = (parseSlice(bytes, valueStart, valueEnd) as { _routing?: unknown })._routing;
        const value = Array.isArray(routing) ? routing[0] : routing;
        if (typeof value === 'string') routingJson = Buffer.from(JSON.stringify(value));
      } else if (key === '_source') source = bytes.subarray(valueStart, valueEnd);
      else if (key === 'sort') sort = parseSlice(bytes, valueStart, valueEnd) as unknown[];
    });
    if (!idJson || !source) throw new SyntaxError('A hit of the search answer has no _id or no _source');
    // A document indexed as pretty-printed JSON keeps its line breaks in _source; a bulk
    // body is one document a line, so those (whitespace only: JSON escapes them in strings) go.
    if (source.includes(0x0a)) source = Buffer.from(JSON.stringify(JSON.parse(source.toString('utf8'))));
    const hit: RawHit = { idJson, source };
    if (typeJson) hit.typeJson = typeJson;
    if (routingJson) hit.routingJson = routingJson;
    page.hits.push(hit);
    if (sort) page.lastSort = sort;
    index = skipWhitespace(bytes, index);
    if (bytes[index] === COMMA) {
      index = skipWhitespace(bytes, index + 1);
      continue;
    }
    if (bytes[index] === CLOSE_BRACKET) return;
    throw new SyntaxError('Expected "," or "]" in the hits of the search answer');
  }
}

/** Reads a search answer's hits, sort values, PIT id, total and shard failures from its bytes. */
export function parseRawSearchPage(bytes: Buffer): RawSearchPage {
  const page: RawSearchPage = { hits: [], failedShards: 0 };
  forEachMember(bytes, 0, (key, start, end) => {
    if (key === 'pit_id') page.pitId = parseSlice(bytes, start, end) as string;
    else if (key === '_scroll_id') page.scrollId = parseSlice(bytes, start, end) as string;
    else if (key === '_shards') {
      const shards = parseSlice(bytes, start, end) as { failed?: number; failures?: { reason?: { reason?: string; type?: string } }[] };
      page.failedShards = shards.failed ?? 0;
      const reason = shards.failures?.[0]?.reason;
      if (reason) page.failure = `${reason.type ?? 'error'}: ${reason.reason ?? ''}`;
    } else if (key === 'hits') {
      forEachMember(bytes, start, (hitsKey, hitsStart, hitsEnd) => {
        if (hitsKey === 'total') {
          const total = parseSlice(bytes, hitsStart, hitsEnd) as { value?: number } | number;
          page.total = typeof total === 'number' ? total : total.value;
        } else if (hitsKey === 'hits') parseHits(bytes, hitsStart, page);
      });
    }
  });
  return page;
}
