// Sends documents to _bulk in requests of a few MB with a few requests in flight,
// retrying documents Elasticsearch pushed back (429) and reporting the ones it rejected.
// Each document's two lines are written straight into the body of the request being built, a
// buffer reused from request to request (bulk-body-pool.ts), reserved from the budget when the
// loader starts filling it and given back when its request has ended.
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { type BulkBytesBudget, createBulkBytesBudget, DEFAULT_BULK_BYTES } from './bulk-bytes-budget.js';
import { pushbackDelay } from './pushback-retrying-transport.js';
import { rawRequest, sleep } from './raw-request.js';

/** A document Elasticsearch refused, with its bulk lines and the reason. */
export interface BulkRejection {
  /** Views into the request's body: valid until the `onRejected` call's promise settles (the body is then reused). */
  action: Buffer;
  source: Buffer;
  status: number;
  type?: string;
  reason: string;
}

export interface BulkLoaderOptions {
  /** Bytes a request (5-10 MB is the sweet spot), 8 MB by default (less when the budget is small). */
  bulkBytes?: number;
  /** Requests in flight, 3 by default. */
  concurrency?: number;
  /**
   * The bytes of the bodies being built and in flight, shared with the other loaders of the same
   * import or writer (bulk-bytes-budget.ts). Without it, the loader's own: `concurrency` + 1 requests.
   */
  budget?: BulkBytesBudget;
  /** Path of the request: `/_bulk`, or `/<index>/_bulk` when action lines name no index. */
  path: string;
  /** What the load is, for messages ("loading a4c-topology"). */
  context: string;
  signal?: AbortSignal;
  /** Called for each rejected document; without it, the first rejection fails the load. */
  onRejected?: (rejection: BulkRejection) => void | Promise<void>;
  /** Called after each request with the documents it wrote. */
  onWritten?: (documents: number, bytes: number) => void;
  /**
   * The documents are searchable once `finish` returns, through the last request: it is sent once
   * every other one has ended and carries `refresh=true`, so that a small load (one or two
   * requests) needs no `_refresh` request of its own. `finish` says whether that happened.
   */
  refreshWithLast?: boolean;
}

const NEWLINE = 0x0a;

/**
 * Pushback (429: the whole request, or some of its documents) is waited out and resent, up to
 * this many times a request and PUSHBACK_WAIT_BUDGET_MS of pauses in all (on top of the
 * transport's own few quick retries of a whole request): a cluster busy with other writers
 * slows a load down, it does not fail it. Elasticsearch's own bulk helpers do the same.
 */
const MAX_PUSHBACK_RETRIES = 12;
const PUSHBACK_WAIT_BUDGET_MS = 120_000;

function isPushback(error: unknown): boolean {
  return isA4cAdminError(error) && (error.details as { status?: number } | undefined)?.status === 429;
}

interface BulkAnswerItem {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { reason?: string } };
}

/** A line of NDJSON without its newline: bytes (an export's lines) or a string (a serialized document). */
export type BulkLine = Buffer | string;

export interface BulkLoader {
  /**
   * Queues one document (action line and source, no newlines). Returns a promise only when the
   * document filled a request: await it, it waits while enough requests are in flight. Most
   * documents return undefined, so that a load of 200k documents does not await 200k times.
   * The lines are copied into the request's body before `add` returns or its promise settles.
   */
  add(action: BulkLine, source: BulkLine): Promise<void> | undefined;
  /** Sends what is left and waits for every request. */
  finish(): Promise<{ written: number; rejected: number; refreshed: boolean }>;
}

/** One request's body: its bytes so far and where each document's lines are in them. */
interface RequestBody {
  bytes: Buffer;
  used: number;
  /** Three offsets a document: its action line's start, its source's start and its source's end (each line is followed by a newline). */
  marks: number[];
  /** The budget's bytes reserved for it. */
  reserved: number;
  /** Back to the pool once its request has ended; not a one-off body sized for one large document, nor one a failed request may still hold. */
  reusable: boolean;
}

/** Writes `line` at `at`, returns where it ends. */
function put(bytes: Buffer, at: number, line: BulkLine): number {
  return at + (typeof line === 'string' ? bytes.write(line, at) : line.copy(bytes, at));
}

/** Bytes of a line in UTF-8: exact. */
function byteSize(line: BulkLine): number {
  return typeof line === 'string' ? Buffer.byteLength(line) : line.length;
}

/** At least the bytes of a line in UTF-8 (at most 3 bytes a UTF-16 unit), without reading the string. */
function byteBound(line: BulkLine): number {
  return typeof line === 'string' ? line.length * 3 : line.length;
}

/** Appends a document's two lines to the body; false, with nothing written, when they do not fit. */
function appendDocument(body: RequestBody, action: BulkLine, source: BulkLine): boolean {
  const start = body.used;
  const room = body.bytes.length - start;
  // The exact size is only needed near the end of the buffer (it reads the whole string).
  if (byteBound(action) + byteBound(source) + 2 > room && byteSize(action) + byteSize(source) + 2 > room) return false;
  const bytes = body.bytes;
  let at = put(bytes, start, action);
  bytes[at++] = NEWLINE;
  const sourceStart = at;
  at = put(bytes, at, source);
  bytes[at] = NEWLINE;
  body.marks.push(start, sourceStart, at);
  body.used = at + 1;
  return true;
}

/** Keeps only the given documents (ascending positions), moved down to the body's start in order. */
function keepDocuments(body: RequestBody, documents: number[]): void {
  const marks: number[] = [];
  let at = 0;
  for (const document of documents) {
    const start = body.marks[document * 3]!;
    const sourceStart = body.marks[document * 3 + 1]!;
    const sourceEnd = body.marks[document * 3 + 2]!;
    // A memmove towards the start: `at` never passes `start`, so nothing unread is overwritten.
    body.bytes.copyWithin(at, start, sourceEnd + 1);
    marks.push(at, at + sourceStart - start, at + sourceEnd - start);
    at += sourceEnd + 1 - start;
  }
  body.marks = marks;
  body.used = at;
}

export function createBulkLoader(client: Client, options: BulkLoaderOptions): BulkLoader {
  const concurrency = Math.max(1, options.concurrency ?? 3);
  const bulkBytes = options.budget ? options.budget.requestBytes(options.bulkBytes) : (options.bulkBytes ?? DEFAULT_BULK_BYTES);
  const budget = options.budget ?? createBulkBytesBudget((concurrency + 1) * bulkBytes);
  let body: RequestBody | undefined;
  let written = 0;
  let rejected = 0;
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();

  /** A body to fill, once the budget has room for it: a pooled one, or one sized for a single larger document. */
  async function takeBody(size: number): Promise<RequestBody> {
    const reusable = size <= bulkBytes;
    const reserved = reusable ? bulkBytes : size;
    await budget.acquire(reserved, options.signal);
    return { bytes: reusable ? budget.bodies.take(bulkBytes) : Buffer.allocUnsafeSlow(size), used: 0, marks: [], reserved, reusable };
  }

  function giveBack(done: RequestBody): void {
    budget.release(done.reserved);
    if (done.reusable) budget.bodies.give(done.bytes);
  }

  async function send(request: RequestBody, refresh: boolean): Promise<void> {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const wait = pushbackDelay(attempt + 1);
      const mayRetry = attempt < MAX_PUSHBACK_RETRIES && waited + wait <= PUSHBACK_WAIT_BUDGET_MS;
      const waitBeforeRetry = async () => {
        waited += wait;
        await sleep(wait, options.signal);
      };
      const bytes = request.used;
      const documents = request.marks.length / 3;
      let answerBytes: Buffer;
      try {
        answerBytes = await rawRequest(
          client,
          {
            method: 'POST',
            path: options.path,
            querystring: { filter_path: 'errors,items.*.status,items.*.error', ...(refresh ? { refresh: 'true' } : {}) },
            bulkBody: request.bytes.subarray(0, bytes),
          },
          options.context,
          { signal: options.signal },
        );
      } catch (error) {
        // The whole request pushed back (indexing pressure, a full queue): wait, send it again.
        if (!mayRetry || !isPushback(error) || options.signal?.aborted) throw error;
        await waitBeforeRetry();
        continue;
      }
      const answer = JSON.parse(answerBytes.toString('utf8')) as { errors: boolean; items?: Record<string, BulkAnswerItem>[] };
      if (!answer.errors) {
        written += documents;
        options.onWritten?.(documents, bytes);
        return;
      }
      const retry: number[] = [];
      let writtenNow = 0;
      const items = answer.items ?? [];
      for (let index = 0; index < items.length; index++) {
        const item = Object.values(items[index]!)[0]!;
        if (item.status < 300) {
          writtenNow++;
          continue;
        }
        if (item.status === 429 && mayRetry) {
          retry.push(index);
          continue;
        }
        const reason = [item.error?.reason, item.error?.caused_by?.reason].filter(Boolean).join(': ') || 'no reason given';
        const action = request.bytes.subarray(request.marks[index * 3]!, request.marks[index * 3 + 1]! - 1);
        const rejection: BulkRejection = {
          action,
          source: request.bytes.subarray(request.marks[index * 3 + 1]!, request.marks[index * 3 + 2]!),
          status: item.status,
          type: item.error?.type,
          reason,
        };
        if (!options.onRejected) {
          throw new A4cAdminError(
            'IMPORT_REJECTED',
            `Elasticsearch rejected a document while ${options.context}: ${item.error?.type ?? item.status}: ${reason}`,
            {
              hint: 'The document does not fit the index mappings (or the cluster refused it): fix or delete that document where it comes from, then run again.',
              details: { status: item.status, type: item.error?.type, action: action.toString('utf8').slice(0, 300) },
            },
          );
        }
        rejected++;
        await options.onRejected(rejection);
      }
      written += writtenNow;
      options.onWritten?.(writtenNow, bytes);
      if (retry.length === 0) return;
      // Pushed back by a full write queue: wait a little longer each time, then resend only those.
      await waitBeforeRetry();
      keepDocuments(request, retry);
    }
  }

  /** Sends the body being built; waits while `concurrency` requests of this loader are in flight. */
  async function sendBody(refresh = false): Promise<void> {
    const request = body!;
    body = undefined;
    const sending = send(request, refresh)
      .catch((error: unknown) => {
        failure ??= error;
        // The transport may still hold the bytes of a request that failed: they are not reused.
        request.reusable = false;
      })
      .finally(() => giveBack(request));
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
  }

  return {
    add(action, source) {
      if (failure) return Promise.reject(failure);
      if (body !== undefined && appendDocument(body, action, source)) return undefined;
      return (async () => {
        // The request is full: off it goes, and the document starts the next one.
        if (body !== undefined) await sendBody();
        body = await takeBody(Math.max(bulkBytes, byteSize(action) + byteSize(source) + 2));
        if (!appendDocument(body, action, source)) throw new Error(`a new bulk body of ${body.bytes.length} bytes did not hold one document`);
      })();
    },
    async finish() {
      const last = body !== undefined && body.marks.length > 0 && !failure;
      const refreshed = options.refreshWithLast === true && last;
      if (refreshed) while (inFlight.size > 0) await Promise.race(inFlight);
      if (last && !failure) await sendBody(refreshed).catch(() => undefined);
      else if (body !== undefined) {
        giveBack(body);
        body = undefined;
      }
      while (inFlight.size > 0) await Promise.race(inFlight);
      if (failure) throw failure;
      return { written, rejected, refreshed };
    },
  };
}
