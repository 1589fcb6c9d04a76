// Finds the hits of a search answer in its raw bytes without parsing the documents:
// each hit's `_source`, `_id`, `_routing` and `_type` come out as byte ranges of the answer, so
// exports copy bytes instead of parsing and re-serializing every document (several times
// faster, see benchmarks.md).
//
// One pass: the answer is walked from its first byte to its last, descending into the objects
// it needs (the answer, `hits`, the array of hits, each hit) instead of first skipping them
// whole, so every byte of a `_source` is looked at once. Nothing is allocated per hit: keys are
// compared as bytes, ranges go into one typed array, and only the last hit's sort values are
// parsed (the next page's `search_after`). The loop that skips a value reads strings in the
// same loop as the structure: on ~1 KB documents of short strings that is twice as fast as
// jumping to each closing quote with `indexOf` (a native call per string).
// Objects and arrays (every `_source`) are skipped 16 bytes at a time with WebAssembly SIMD
// where it runs (json-skip-simd.ts: ~3x the byte loop on a page of ~1 KB documents), by the
// byte loop elsewhere.
// `raw-search-page.property.test.ts` checks both against `JSON.parse` on generated and adversarial
// pages; `tools/bench-migrate/bench-page-parser.mjs` measures them against `JSON.parse`.

import { type SimdJsonSkipper, simdJsonSkipperFor } from './json-skip-simd.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LINE_FEED = 0x0a;

/** One hit as buffers: its id and routing as raw JSON strings (quotes included), and its source bytes. */
export interface RawHit {
  /** The JSON string of the id, quotes included: copied as is into a bulk action line. */
  idJson: Buffer;
  /** The JSON string of the mapping type, on servers that report one (up to 7.x). */
  typeJson?: Buffer;
  routingJson?: Buffer;
  source: Buffer;
}

/** The fields of a hit kept as ranges, in the order of `RawHits.ranges`. */
export const HIT_ID = 0;
export const HIT_TYPE = 1;
export const HIT_ROUTING = 2;
export const HIT_SOURCE = 3;
const FIELDS = 4;
/** A range start saying the hit has no such field. */
const ABSENT = -1;

/**
 * The hits of one answer, as ranges of its bytes: hit `h`'s field `f` (HIT_ID...) starts at
 * `ranges[(h * 4 + f) * 2]` and ends before the next number. A start of -1 means the hit has no
 * such field; -2 - k means the field is `replaced[k]` (bytes the answer does not hold as they
 * must be written: a pretty-printed source made one line, a 1.x routing read from `fields`).
 */
export class RawHits implements Iterable<RawHit> {
  length = 0;
  ranges = new Int32Array(FIELDS * 2 * 64);
  readonly replaced: Buffer[] = [];

  constructor(readonly bytes: Buffer) {}

  /** Records a hit; starts and ends as `ranges` holds them. */
  add(id: number, idEnd: number, type: number, typeEnd: number, routing: number, routingEnd: number, source: number, sourceEnd: number): void {
    let ranges = this.ranges;
    const at = this.length * FIELDS * 2;
    if (at + FIELDS * 2 > ranges.length) {
      const grown = new Int32Array(ranges.length * 2);
      grown.set(ranges);
      this.ranges = ranges = grown;
    }
    ranges[at] = id;
    ranges[at + 1] = idEnd;
    ranges[at + 2] = type;
    ranges[at + 3] = typeEnd;
    ranges[at + 4] = routing;
    ranges[at + 5] = routingEnd;
    ranges[at + 6] = source;
    ranges[at + 7] = sourceEnd;
    this.length++;
  }

  /** A start for `bytes` kept beside the answer (see the class comment). */
  replacement(bytes: Buffer): number {
    this.replaced.push(bytes);
    return -1 - this.replaced.length;
  }

  has(hit: number, field: number): boolean {
    return this.ranges[(hit * FIELDS + field) * 2]! !== ABSENT;
  }

  /** Bytes of a field, 0 when the hit has none. */
  fieldLength(hit: number, field: number): number {
    const at = (hit * FIELDS + field) * 2;
    const start = this.ranges[at]!;
    if (start >= 0) return this.ranges[at + 1]! - start;
    return start === ABSENT ? 0 : this.replaced[-2 - start]!.length;
  }

  /** The field's bytes (a view of the answer, not a copy), undefined when the hit has none. */
  field(hit: number, field: number): Buffer | undefined {
    const at = (hit * FIELDS + field) * 2;
    const start = this.ranges[at]!;
    if (start >= 0) return this.bytes.subarray(start, this.ranges[at + 1]);
    return start === ABSENT ? undefined : this.replaced[-2 - start];
  }

  at(hit: number): RawHit {
    const result: RawHit = { idJson: this.field(hit, HIT_ID)!, source: this.field(hit, HIT_SOURCE)! };
    const type = this.field(hit, HIT_TYPE);
    if (type) result.typeJson = type;
    const routing = this.field(hit, HIT_ROUTING);
    if (routing) result.routingJson = routing;
    return result;
  }

  *[Symbol.iterator](): Iterator<RawHit> {
    for (let hit = 0; hit < this.length; hit++) yield this.at(hit);
  }
}

export interface RawSearchPage {
  hits: RawHits;
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

/** Keys the scanner looks for, as bytes. */
const key = (text: string) => Buffer.from(text, 'latin1');
const KEY_HITS = key('hits');
const KEY_TOTAL = key('total');
const KEY_PIT_ID = key('pit_id');
const KEY_SCROLL_ID = key('_scroll_id');
const KEY_SHARDS = key('_shards');
const KEY_SOURCE = key('_source');
const KEY_ID = key('_id');
const KEY_ROUTING = key('_routing');
const KEY_TYPE = key('_type');
const KEY_SORT = key('sort');
const KEY_FIELDS = key('fields');

/** A cursor over the answer's bytes; `lineBreak` says whether the last skipped container held a line feed. */
class Scanner {
  position = 0;
  lineBreak = false;
  /** The key `nextKey` read: from `keyStart` to `keyEnd` (quotes excluded). */
  keyStart = 0;
  keyEnd = 0;

  constructor(
    readonly bytes: Buffer,
    /** Skips objects and arrays when given (the bytes loaded into it). */
    private readonly skipper: SimdJsonSkipper | undefined,
  ) {}

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
    const length = bytes.length;
    let index = start + 1;
    while (index < length) {
      const byte = bytes[index++];
      if (byte === QUOTE) return index;
      if (byte === BACKSLASH) index++;
    }
    throw new SyntaxError('Unterminated string in the search answer');
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
    if ((first === OPEN_BRACE || first === OPEN_BRACKET) && this.skipper) {
      const end = this.skipper.skip(start);
      if (end < 0) throw new SyntaxError('Unterminated object in the search answer');
      this.position = end;
      this.lineBreak = this.skipper.lineBreak;
      return start;
    }
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      // Strings are read in this loop (not by a call per string): see the file's comment.
      let depth = 0;
      let index = start;
      const length = bytes.length;
      while (index < length) {
        const byte = bytes[index++];
        if (byte === QUOTE) {
          for (;;) {
            if (index >= length) throw new SyntaxError('Unterminated string in the search answer');
            const inString = bytes[index++];
            if (inString === QUOTE) break;
            if (inString === BACKSLASH) index++;
          }
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (--depth === 0) {
            this.position = index;
            return start;
          }
        } else if (byte === LINE_FEED) this.lineBreak = true;
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

  /** Enters the object at the cursor; false when it is empty (the cursor is then after it). */
  enterObject(): boolean {
    this.expect(OPEN_BRACE, 'an object');
    this.skipWhitespace();
    if (this.bytes[this.position] !== CLOSE_BRACE) return true;
    this.position++;
    return false;
  }

  /** Reads the next member's key (into keyStart/keyEnd) and its colon; the cursor is then at the value. */
  nextKey(): void {
    this.skipWhitespace();
    const keyStart = this.position;
    if (this.bytes[keyStart] !== QUOTE) throw new SyntaxError('Expected a key in the search answer');
    const keyEnd = this.stringEnd(keyStart);
    this.keyStart = keyStart + 1;
    this.keyEnd = keyEnd - 1;
    this.position = keyEnd;
    this.expect(COLON, '":"');
  }

  /**
   * Whether the last key read is `wanted`, byte for byte. Keys of a search answer are plain
   * ASCII written without escapes, so no JSON decode is needed.
   */
  keyIs(wanted: Buffer): boolean {
    const start = this.keyStart;
    const length = wanted.length;
    if (this.keyEnd - start !== length) return false;
    const bytes = this.bytes;
    for (let offset = 0; offset < length; offset++) if (bytes[start + offset] !== wanted[offset]) return false;
    return true;
  }

  /** After a member's value: true when another member follows, false at the end of the object. */
  nextMember(): boolean {
    this.skipWhitespace();
    const next = this.bytes[this.position++];
    if (next === COMMA) return true;
    if (next === CLOSE_BRACE) return false;
    throw new SyntaxError('Expected "," or "}" in the search answer');
  }

  /** Enters the array at the cursor; false when it is empty (the cursor is then after it). */
  enterArray(): boolean {
    this.expect(OPEN_BRACKET, 'an array');
    this.skipWhitespace();
    if (this.bytes[this.position] !== CLOSE_BRACKET) return true;
    this.position++;
    return false;
  }

  /** After an element: true when another follows, false at the end of the array. */
  nextElement(): boolean {
    this.skipWhitespace();
    const next = this.bytes[this.position++];
    if (next === COMMA) return true;
    if (next === CLOSE_BRACKET) return false;
    throw new SyntaxError('Expected "," or "]" in the hits of the search answer');
  }
}

/** Where the last sort values seen are, parsed once the page is read. */
interface SortRange {
  start: number;
  end: number;
}

function readHit(scanner: Scanner, hits: RawHits, lastSort: SortRange): void {
  let id = ABSENT;
  let idEnd = ABSENT;
  let type = ABSENT;
  let typeEnd = ABSENT;
  let routing = ABSENT;
  let routingEnd = ABSENT;
  let source = ABSENT;
  let sourceEnd = ABSENT;
  if (scanner.enterObject()) {
    do {
      scanner.nextKey();
      if (scanner.keyIs(KEY_SOURCE)) {
        source = scanner.skipValue();
        sourceEnd = scanner.position;
        // A document indexed as pretty-printed JSON keeps its line breaks in _source; a bulk
        // body is one document a line, so those (whitespace only: JSON escapes them in strings) go.
        if (scanner.lineBreak) {
          source = hits.replacement(Buffer.from(JSON.stringify(JSON.parse(scanner.bytes.toString('utf8', source, sourceEnd)))));
          sourceEnd = 0;
        }
      } else if (scanner.keyIs(KEY_ID)) {
        id = scanner.skipValue();
        idEnd = scanner.position;
      } else if (scanner.keyIs(KEY_ROUTING)) {
        routing = scanner.skipValue();
        routingEnd = scanner.position;
      } else if (scanner.keyIs(KEY_TYPE)) {
        type = scanner.skipValue();
        typeEnd = scanner.position;
      } else if (scanner.keyIs(KEY_SORT)) {
        lastSort.start = scanner.skipValue();
        lastSort.end = scanner.position;
      } else if (scanner.keyIs(KEY_FIELDS)) {
        // 1.x and 2.x give the routing as a requested field: `"fields":{"_routing":"r1"}`.
        const field = (scanner.parseValue() as { _routing?: unknown } | null)?._routing;
        const value = Array.isArray(field) ? field[0] : field;
        if (typeof value === 'string' && routing === ABSENT) {
          routing = hits.replacement(Buffer.from(JSON.stringify(value)));
          routingEnd = 0;
        }
      } else scanner.skipValue();
    } while (scanner.nextMember());
  }
  if (id === ABSENT || source === ABSENT) throw new SyntaxError('A hit of the search answer has no _id or no _source');
  hits.add(id, idEnd, type, typeEnd, routing, routingEnd, source, sourceEnd);
}

function readHits(scanner: Scanner, page: RawSearchPage, lastSort: SortRange): void {
  if (!scanner.enterObject()) return;
  do {
    scanner.nextKey();
    if (scanner.keyIs(KEY_TOTAL)) {
      const total = scanner.parseValue() as { value?: number } | number | null;
      if (typeof total === 'number') page.total = total;
      else if (total && typeof total.value === 'number') page.total = total.value;
    } else if (scanner.keyIs(KEY_HITS)) {
      if (scanner.enterArray()) {
        do readHit(scanner, page.hits, lastSort);
        while (scanner.nextElement());
      }
    } else scanner.skipValue();
  } while (scanner.nextMember());
}

/**
 * Reads a search answer's hits, sort values, PIT id, total and shard failures from its bytes.
 * `simd: false` keeps to the byte loop (the tests compare both ways).
 */
export function parseRawSearchPage(bytes: Buffer, options: { simd?: boolean } = {}): RawSearchPage {
  const page: RawSearchPage = { hits: new RawHits(bytes), failedShards: 0 };
  const skipper = options.simd === false ? undefined : simdJsonSkipperFor(bytes);
  const scanner = new Scanner(bytes, skipper);
  const lastSort: SortRange = { start: ABSENT, end: ABSENT };
  if (scanner.enterObject()) {
    do {
      scanner.nextKey();
      if (scanner.keyIs(KEY_HITS)) readHits(scanner, page, lastSort);
      else if (scanner.keyIs(KEY_PIT_ID)) page.pitId = scanner.parseValue() as string;
      else if (scanner.keyIs(KEY_SCROLL_ID)) page.scrollId = scanner.parseValue() as string;
      else if (scanner.keyIs(KEY_SHARDS)) {
        const shards = scanner.parseValue() as { failed?: number; failures?: { reason?: { reason?: string; type?: string } }[] };
        page.failedShards = shards.failed ?? 0;
        const reason = shards.failures?.[0]?.reason;
        if (reason) page.failure = `${reason.type ?? 'error'}: ${reason.reason ?? ''}`;
      } else scanner.skipValue();
    } while (scanner.nextMember());
  }
  if (lastSort.start !== ABSENT) page.lastSort = JSON.parse(bytes.toString('utf8', lastSort.start, lastSort.end)) as unknown[];
  return page;
}

const SORT_MEMBER = key(',"sort":');

/**
 * The last hit's sort values, read from the end of an answer without reading the rest, when it
 * ends as Elasticsearch writes a point-in-time page whose hits are sorted on `_shard_doc`:
 * `..."sort":[<integers>]}]}}` (the last hit's sort, the hits array, `hits`, the answer).
 * Undefined for any other ending. A guess to ask the next page early with: the full read of the
 * page (parseRawSearchPage) has the last word.
 */
export function lastSortFromTail(bytes: Buffer): unknown[] | undefined {
  let end = bytes.length;
  for (const closing of [CLOSE_BRACE, CLOSE_BRACE, CLOSE_BRACKET, CLOSE_BRACE, CLOSE_BRACKET]) if (bytes[--end] !== closing) return undefined;
  let start = end - 1;
  for (;;) {
    const byte = bytes[start];
    if (byte === undefined || !((byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === COMMA)) break;
    start--;
  }
  if (bytes[start] !== OPEN_BRACKET || start === end - 1 || start < SORT_MEMBER.length) return undefined;
  if (!bytes.subarray(start - SORT_MEMBER.length, start).equals(SORT_MEMBER)) return undefined;
  try {
    return JSON.parse(bytes.toString('latin1', start, end + 1)) as unknown[];
  } catch {
    return undefined;
  }
}
