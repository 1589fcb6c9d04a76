// Finds the hits of a search answer in its raw bytes without parsing the documents:
// `_source` comes out as a slice of the answer, so exports copy bytes instead of
// parsing and re-serializing every document (several times faster, see performance.md).
//
// One pass: the answer is walked from its first byte to its last, descending into the objects
// it needs (the answer, `hits`, the array of hits, each hit) instead of first skipping them
// whole, so every byte of a `_source` is looked at once (strings are jumped over with the native
// `indexOf` of their closing quote). `raw-search-page.property.test.ts` checks it against
// `JSON.parse` on generated and adversarial pages; `tools/bench-migrate/bench-page-parser.mjs`
// measures it against `JSON.parse` of the whole page.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LINE_FEED = 0x0a;

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

/** A cursor over the answer's bytes; `lineBreak` says whether the last skipped container held a line feed. */
class Scanner {
  position = 0;
  lineBreak = false;

  constructor(readonly bytes: Buffer) {}

  skipWhitespace(): void {
    const bytes = this.bytes;
    let index = this.position;
    for (;;) {
      const byte = bytes[index];
      if (byte === 0x20 || byte === LINE_FEED || byte === 0x0d || byte === 0x09) index++;
      else break;
    }
    this.position = index;
  }

  expect(byte: number, what: string): void {
    this.skipWhitespace();
    if (this.bytes[this.position] !== byte) throw new SyntaxError(`Expected ${what} in the search answer`);
    this.position++;
  }

  /** Position just after the string whose opening quote is at `start`. */
  stringEnd(start: number): number {
    const bytes = this.bytes;
    let search = start + 1;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, search);
      if (quote < 0) throw new SyntaxError('Unterminated string in the search answer');
      let backslashes = 0;
      while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      search = quote + 1;
    }
  }

  /** Skips the value at the cursor (after whitespace); returns where it starts. Sets `lineBreak`. */
  skipValue(): number {
    this.skipWhitespace();
    const bytes = this.bytes;
    const start = this.position;
    const first = bytes[start];
    this.lineBreak = false;
    if (first === QUOTE) {
      this.position = this.stringEnd(start);
      return start;
    }
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      let depth = 0;
      let index = start;
      const length = bytes.length;
      while (index < length) {
        const byte = bytes[index]!;
        if (byte === QUOTE) {
          index = this.stringEnd(index);
          continue;
        }
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            this.position = index + 1;
            return start;
          }
        } else if (byte === LINE_FEED) this.lineBreak = true;
        index++;
      }
      throw new SyntaxError('Unterminated object in the search answer');
    }
    let index = start;
    for (;;) {
      const byte = bytes[index];
      if (
        byte === undefined ||
        byte === COMMA ||
        byte === CLOSE_BRACE ||
        byte === CLOSE_BRACKET ||
        byte === 0x20 ||
        byte === LINE_FEED ||
        byte === 0x0d ||
        byte === 0x09
      ) {
        break;
      }
      index++;
    }
    if (index === start) throw new SyntaxError('Expected a value in the search answer');
    this.position = index;
    return start;
  }

  /** The value at the cursor, parsed (small values only: metadata, sort values). */
  parseValue(): unknown {
    const start = this.skipValue();
    return JSON.parse(this.bytes.toString('utf8', start, this.position));
  }

  /** The value at the cursor as a slice of the answer. */
  sliceValue(): Buffer {
    const start = this.skipValue();
    return this.bytes.subarray(start, this.position);
  }

  /**
   * Walks the members of the object at the cursor: `onMember(key)` must consume the member's
   * value (skip, slice, parse or descend into it). Leaves the cursor after the object.
   */
  members(onMember: (key: string) => void): void {
    this.expect(OPEN_BRACE, 'an object');
    this.skipWhitespace();
    if (this.bytes[this.position] === CLOSE_BRACE) {
      this.position++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      const keyStart = this.position;
      if (this.bytes[keyStart] !== QUOTE) throw new SyntaxError('Expected a key in the search answer');
      const keyEnd = this.stringEnd(keyStart);
      // Keys of a search answer are plain ASCII: no need for a JSON decode.
      const key = this.bytes.toString('latin1', keyStart + 1, keyEnd - 1);
      this.position = keyEnd;
      this.expect(COLON, '":"');
      onMember(key);
      this.skipWhitespace();
      const next = this.bytes[this.position];
      this.position++;
      if (next === COMMA) continue;
      if (next === CLOSE_BRACE) return;
      throw new SyntaxError('Expected "," or "}" in the search answer');
    }
  }

  /** Walks the elements of the array at the cursor: `onElement()` must consume each. */
  elements(onElement: () => void): void {
    this.expect(OPEN_BRACKET, 'an array');
    this.skipWhitespace();
    if (this.bytes[this.position] === CLOSE_BRACKET) {
      this.position++;
      return;
    }
    for (;;) {
      onElement();
      this.skipWhitespace();
      const next = this.bytes[this.position];
      this.position++;
      if (next === COMMA) continue;
      if (next === CLOSE_BRACKET) return;
      throw new SyntaxError('Expected "," or "]" in the hits of the search answer');
    }
  }
}

function readHit(scanner: Scanner, page: RawSearchPage): void {
  let idJson: Buffer | undefined;
  let routingJson: Buffer | undefined;
  let typeJson: Buffer | undefined;
  let source: Buffer | undefined;
  let sourceLineBreak = false;
  let sort: unknown[] | undefined;
  scanner.members((key) => {
    if (key === '_source') {
      source = scanner.sliceValue();
      sourceLineBreak = scanner.lineBreak;
    } else if (key === '_id') idJson = scanner.sliceValue();
    else if (key === '_routing') routingJson = scanner.sliceValue();
    else if (key === '_type') typeJson = scanner.sliceValue();
    else if (key === 'sort') sort = scanner.parseValue() as unknown[];
    else if (key === 'fields') {
      // 1.x and 2.x give the routing as a requested field: `"fields":{"_routing":"r1"}`.
      const routing = (scanner.parseValue() as { _routing?: unknown } | null)?._routing;
      const value = Array.isArray(routing) ? routing[0] : routing;
      if (typeof value === 'string' && !routingJson) routingJson = Buffer.from(JSON.stringify(value));
    } else scanner.skipValue();
  });
  if (!idJson || !source) throw new SyntaxError('A hit of the search answer has no _id or no _source');
  // A document indexed as pretty-printed JSON keeps its line breaks in _source; a bulk
  // body is one document a line, so those (whitespace only: JSON escapes them in strings) go.
  if (sourceLineBreak) source = Buffer.from(JSON.stringify(JSON.parse(source.toString('utf8'))));
  const hit: RawHit = { idJson, source };
  if (typeJson) hit.typeJson = typeJson;
  if (routingJson) hit.routingJson = routingJson;
  page.hits.push(hit);
  if (sort) page.lastSort = sort;
}

function readHits(scanner: Scanner, page: RawSearchPage): void {
  scanner.members((key) => {
    if (key === 'total') {
      const total = scanner.parseValue() as { value?: number } | number | null;
      if (typeof total === 'number') page.total = total;
      else if (total && typeof total.value === 'number') page.total = total.value;
    } else if (key === 'hits') scanner.elements(() => readHit(scanner, page));
    else scanner.skipValue();
  });
}

/** Reads a search answer's hits, sort values, PIT id, total and shard failures from its bytes. */
export function parseRawSearchPage(bytes: Buffer): RawSearchPage {
  const page: RawSearchPage = { hits: [], failedShards: 0 };
  const scanner = new Scanner(bytes);
  scanner.members((key) => {
    if (key === 'hits') readHits(scanner, page);
    else if (key === 'pit_id') page.pitId = scanner.parseValue() as string;
    else if (key === '_scroll_id') page.scrollId = scanner.parseValue() as string;
    else if (key === '_shards') {
      const shards = scanner.parseValue() as { failed?: number; failures?: { reason?: { reason?: string; type?: string } }[] };
      page.failedShards = shards.failed ?? 0;
      const reason = shards.failures?.[0]?.reason;
      if (reason) page.failure = `${reason.type ?? 'error'}: ${reason.reason ?? ''}`;
    } else scanner.skipValue();
  });
  return page;
}
