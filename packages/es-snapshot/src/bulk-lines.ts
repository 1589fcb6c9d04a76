// The export's lines of one page: for each hit a bulk action line and its source line, written
// over the page's own bytes. An answer's hit (`{"_index":..,"_id":..,"_score":..,"_source":{..},
// "sort":[..]}`) is longer than its two lines, and the answer starts with ids and counts the
// lines do not keep, so the lines of hit n fit where the bytes of hits before n were: moving
// them down (`copyWithin`, a memmove) costs neither a new 5 MB buffer a page nor a short-lived
// view a hit, which is where an export's time went (copies and the garbage collector).
// The first hits' lines may not fit before their own bytes (a long document after a short
// answer head): they go into a small buffer first. When a later line would overwrite bytes not
// yet copied (an alias longer than the index it names, say), the rest of the page goes into a
// new buffer instead.
import { HIT_ID, HIT_ROUTING, HIT_SOURCE, HIT_TYPE, type RawHits } from './raw-search-page.js';

const TYPE_PART = Buffer.from(',"_type":');
const ID_PART = Buffer.from(',"_id":');
const ROUTING_PART = Buffer.from(',"routing":');
const ACTION_END = Buffer.from('}}\n');
const NEWLINE = 0x0a;

/** What every action line of an index starts with: `{"index":{"_index":"<name>"`. */
export function actionStart(index: string): Buffer {
  return Buffer.from(`{"index":{"_index":${JSON.stringify(index)}`);
}

/**
 * The NDJSON bulk lines of `hits` (`{"index":{"_index":..,"_id":..[,"routing":..]}}` and the
 * source, each hit's type too with `keepTypes`), as up to three buffers to write in order.
 * The page is consumed: its bytes are overwritten.
 */
export function bulkLines(hits: RawHits, start: Buffer, keepTypes: boolean): Buffer[] {
  const bytes = hits.bytes;
  const parts: Buffer[] = [];
  // A first hit's lines can be longer than the answer's bytes before its own fields (a ~1 KB
  // document after a short head): those lines go into a small buffer of their own, and the hits
  // after them are moved in place, over the bytes already copied. Giving up on the first hit
  // instead copied whole pages into a new buffer each (the garbage collector's work again).
  let head = 0;
  while (head < hits.length && lineBytes(hits, head, start, keepTypes) > firstKept(hits, head, keepTypes)) head++;
  if (head > 0) parts.push(copiedLines(hits, 0, head, start, keepTypes));
  let written = 0;
  let hit = head;
  for (; hit < hits.length; hit++) {
    if (written + lineBytes(hits, hit, start, keepTypes) > firstKept(hits, hit, keepTypes)) break;
    written = writeLines(hits, hit, start, keepTypes, bytes, written);
  }
  if (written > 0) parts.push(bytes.subarray(0, written));
  if (hit < hits.length) parts.push(copiedLines(hits, hit, hits.length, start, keepTypes));
  return parts;
}

/** The first byte of a hit still to be copied: no line may be written over it before. */
function firstKept(hits: RawHits, hit: number, keepTypes: boolean): number {
  const ranges = hits.ranges;
  let first = Number.MAX_SAFE_INTEGER;
  for (let field = HIT_ID; field <= HIT_SOURCE; field++) {
    const fieldStart = ranges[(hit * 4 + field) * 2]!;
    if (fieldStart >= 0 && fieldStart < first && (field !== HIT_TYPE || keepTypes)) first = fieldStart;
  }
  return first;
}

/** The lines of hits `from` to `to` (excluded) in a new buffer. */
function copiedLines(hits: RawHits, from: number, to: number, start: Buffer, keepTypes: boolean): Buffer {
  let size = 0;
  for (let hit = from; hit < to; hit++) size += lineBytes(hits, hit, start, keepTypes);
  const target = Buffer.allocUnsafe(size);
  let at = 0;
  for (let hit = from; hit < to; hit++) at = writeLines(hits, hit, start, keepTypes, target, at);
  return target;
}

/** The bytes of a hit's two lines. */
function lineBytes(hits: RawHits, hit: number, start: Buffer, keepTypes: boolean): number {
  let size = start.length + ID_PART.length + hits.fieldLength(hit, HIT_ID) + ACTION_END.length + hits.fieldLength(hit, HIT_SOURCE) + 1;
  if (keepTypes && hits.has(hit, HIT_TYPE)) size += TYPE_PART.length + hits.fieldLength(hit, HIT_TYPE);
  if (hits.has(hit, HIT_ROUTING)) size += ROUTING_PART.length + hits.fieldLength(hit, HIT_ROUTING);
  return size;
}

/** Writes a hit's two lines into `target` at `at`; returns where they end. */
function writeLines(hits: RawHits, hit: number, start: Buffer, keepTypes: boolean, target: Buffer, at: number): number {
  target.set(start, at);
  at += start.length;
  if (keepTypes && hits.has(hit, HIT_TYPE)) {
    target.set(TYPE_PART, at);
    at = copyField(hits, hit, HIT_TYPE, target, at + TYPE_PART.length);
  }
  target.set(ID_PART, at);
  at = copyField(hits, hit, HIT_ID, target, at + ID_PART.length);
  if (hits.has(hit, HIT_ROUTING)) {
    target.set(ROUTING_PART, at);
    at = copyField(hits, hit, HIT_ROUTING, target, at + ROUTING_PART.length);
  }
  target.set(ACTION_END, at);
  at = copyField(hits, hit, HIT_SOURCE, target, at + ACTION_END.length);
  target[at] = NEWLINE;
  return at + 1;
}

/** Copies a field into `target` at `at` (a move within the page when `target` is the page); returns where it ends. */
function copyField(hits: RawHits, hit: number, field: number, target: Buffer, at: number): number {
  const position = (hit * 4 + field) * 2;
  const fieldStart = hits.ranges[position]!;
  if (fieldStart < 0) {
    const replaced = hits.field(hit, field)!;
    target.set(replaced, at);
    return at + replaced.length;
  }
  const fieldEnd = hits.ranges[position + 1]!;
  if (target === hits.bytes) target.copyWithin(at, fieldStart, fieldEnd);
  else hits.bytes.copy(target, at, fieldStart, fieldEnd);
  return at + fieldEnd - fieldStart;
}
