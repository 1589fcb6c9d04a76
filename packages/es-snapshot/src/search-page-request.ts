// One page of a search, whichever way an index is paged through (point in time, scroll, scan):
// its bytes parsed, and every failure said in terms of the index being read.
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { AnswerTooLarge, type RawRequest, rawRequest } from './raw-request.js';
import { parseRawSearchPage, type RawSearchPage } from './raw-search-page.js';
import type { ReusableBuffer } from './reusable-buffer.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** A page may pass its `pageBytes` this many times over before it is dropped and asked again with fewer documents. */
const ANSWER_PAGES = 4;

/**
 * The bytes an answer asking for `documents` documents may reach, when pages hold about
 * `pageBytes` (unbounded without): past it, it is dropped with AnswerTooLarge. An answer of one
 * document is read whatever its size: there is no smaller page to ask.
 */
export function answerLimit(pageBytes: number | undefined, documents: number): number | undefined {
  return pageBytes === undefined || documents <= 1 ? undefined : pageBytes * ANSWER_PAGES;
}

/** How many of `documents` to ask for again after their answer was dropped: as many as fit in `pageBytes` at the size it had reached. */
export function documentsThatFit(documents: number, pageBytes: number, dropped: AnswerTooLarge): number {
  return Math.max(1, Math.floor((documents * pageBytes) / dropped.bytes));
}

/** How a page is read: into which buffer, up to how many bytes, and who sees its bytes before they are read. */
export interface PageReading {
  /** The buffer the page's bytes are read into (see AlternatingBuffers). */
  into?: ReusableBuffer;
  /** A page past this many bytes fails with AnswerTooLarge (the caller asks again for fewer documents). */
  maxBytes?: number;
  /** Sees the bytes as they arrived, before they are read (point-in-time-pages.ts asks the next page from there). */
  beforeParse?: (bytes: Buffer) => void;
}

/**
 * The page `request` answers. A page with failed shards is a short page: continuing would lose
 * documents silently, so it fails the read like a refused request.
 */
export async function requestSearchPage(
  client: Client,
  request: RawRequest,
  index: string,
  signal: AbortSignal | undefined,
  reading: PageReading = {},
): Promise<RawSearchPage> {
  let page: RawSearchPage;
  try {
    const bytes = await rawRequest(client, request, `reading ${index}`, { signal, into: reading.into, maxBytes: reading.maxBytes });
    reading.beforeParse?.(bytes);
    page = parseRawSearchPage(bytes);
  } catch (error) {
    if (error instanceof AnswerTooLarge) throw error;
    throw await explainReadFailure(client, index, error);
  }
  if (page.failedShards > 0) {
    throw await explainReadFailure(
      client,
      index,
      new A4cAdminError('ES_REQUEST_FAILED', `${page.failedShards} shard(s) of ${index} failed while reading it: ${page.failure ?? 'no reason given'}`, {
        hint: 'Check the health of the index (GET /_cluster/health/<index>) and retry once it is green or yellow.',
      }),
    );
  }
  return page;
}

/** Failed reads of an index that was deleted meanwhile say so, instead of a generic search error. */
export async function explainReadFailure(client: Client, index: string, error: unknown): Promise<A4cAdminError> {
  const wrapped = isA4cAdminError(error) ? error : wrapElasticsearchError(error, `reading ${index}`);
  if (wrapped.code === 'CANCELLED') return wrapped;
  // A node closes the shards of a deleted index while it applies the new cluster state, and
  // answers from the old state until it has applied it: a read can fail on the closed shards
  // while the index still "exists". Waiting until the master has no pending task left (the
  // deletion's publication included) closes that window; it only costs time on a failed read.
  await client.cluster.health({ wait_for_events: 'languid', timeout: '10s' }).catch(() => undefined);
  const exists = await client.indices.exists({ index }).catch(() => true);
  if (!exists) {
    return new A4cAdminError('INDEX_NOT_FOUND', `Index ${index} disappeared while it was being read: the copy is incomplete.`, {
      hint: 'Something deleted the index during the export (A4C itself, another tool). Stop the writers and run the export again.',
      details: { index },
      cause: wrapped,
    });
  }
  return wrapped;
}
