// Sends documents to _bulk in requests of a few MB with a few requests in flight,
// retrying documents Elasticsearch pushed back (429) and reporting the ones it rejected.
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { type BulkBytesBudget, DEFAULT_BULK_BYTES } from './bulk-bytes-budget.js';
import { pushbackDelay } from './pushback-retrying-transport.js';
import { rawRequest, sleep } from './raw-request.js';

/** A document Elasticsearch refused, with its bulk lines and the reason. */
export interface BulkRejection {
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
  /** The bytes in flight, shared with the other loaders of the same import or writer (bulk-bytes-budget.ts). */
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

const NEWLINE = Buffer.from('\n');

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

export interface BulkLoader {
  /**
   * Queues one document (action line and source, no newlines). Returns a promise only when the
   * document filled a request: await it, it waits while enough requests are in flight. Most
   * documents return undefined, so that a load of 200k documents does not await 200k times.
   */
  add(action: Buffer, source: Buffer): Promise<void> | undefined;
  /** Sends what is left and waits for every request. */
  finish(): Promise<{ written: number; rejected: number; refreshed: boolean }>;
}

/**
 * The NDJSON body of a request. The lines are then replaced by views into it: a request in
 * flight holds its documents once, not twice (they stay at hand for a retry or a rejection).
 */
function bulkBody(actions: Buffer[], sources: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (let index = 0; index < actions.length; index++) parts.push(actions[index]!, NEWLINE, sources[index]!, NEWLINE);
  const body = Buffer.concat(parts);
  let offset = 0;
  for (let index = 0; index < actions.length; index++) {
    const actionEnd = offset + actions[index]!.length;
    const sourceEnd = actionEnd + 1 + sources[index]!.length;
    actions[index] = body.subarray(offset, actionEnd);
    sources[index] = body.subarray(actionEnd + 1, sourceEnd);
    offset = sourceEnd + 1;
  }
  return body;
}

export function createBulkLoader(client: Client, options: BulkLoaderOptions): BulkLoader {
  const budget = options.budget;
  const bulkBytes = budget ? budget.requestBytes(options.bulkBytes) : (options.bulkBytes ?? DEFAULT_BULK_BYTES);
  const concurrency = Math.max(1, options.concurrency ?? 3);
  let actions: Buffer[] = [];
  let sources: Buffer[] = [];
  let pendingBytes = 0;
  let written = 0;
  let rejected = 0;
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();

  async function send(batchActions: Buffer[], batchSources: Buffer[], refresh: boolean): Promise<void> {
    let currentActions = batchActions;
    let currentSources = batchSources;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const wait = pushbackDelay(attempt + 1);
      const mayRetry = attempt < MAX_PUSHBACK_RETRIES && waited + wait <= PUSHBACK_WAIT_BUDGET_MS;
      const waitBeforeRetry = async () => {
        waited += wait;
        await sleep(wait, options.signal);
      };
      const body = bulkBody(currentActions, currentSources);
      const bytes = body.length;
      let answerBytes: Buffer;
      try {
        answerBytes = await rawRequest(
          client,
          {
            method: 'POST',
            path: options.path,
            querystring: { filter_path: 'errors,items.*.status,items.*.error', ...(refresh ? { refresh: 'true' } : {}) },
            bulkBody: body,
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
        written += currentActions.length;
        options.onWritten?.(currentActions.length, bytes);
        return;
      }
      const retryActions: Buffer[] = [];
      const retrySources: Buffer[] = [];
      let writtenNow = 0;
      const items = answer.items ?? [];
      for (let index = 0; index < items.length; index++) {
        const item = Object.values(items[index]!)[0]!;
        if (item.status < 300) {
          writtenNow++;
          continue;
        }
        if (item.status === 429 && mayRetry) {
          retryActions.push(currentActions[index]!);
          retrySources.push(currentSources[index]!);
          continue;
        }
        const reason = [item.error?.reason, item.error?.caused_by?.reason].filter(Boolean).join(': ') || 'no reason given';
        const rejection: BulkRejection = {
          action: currentActions[index]!,
          source: currentSources[index]!,
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
              details: { status: item.status, type: item.error?.type, action: currentActions[index]!.toString('utf8').slice(0, 300) },
            },
          );
        }
        rejected++;
        await options.onRejected(rejection);
      }
      written += writtenNow;
      options.onWritten?.(writtenNow, bytes);
      if (retryActions.length === 0) return;
      // Pushed back by a full write queue: wait a little longer each time, then resend only those.
      await waitBeforeRetry();
      currentActions = retryActions;
      currentSources = retrySources;
    }
  }

  async function flush(refresh = false): Promise<void> {
    if (actions.length === 0) return;
    const batchActions = actions;
    const batchSources = sources;
    const bytes = pendingBytes;
    actions = [];
    sources = [];
    pendingBytes = 0;
    await budget?.acquire(bytes, options.signal);
    const request = send(batchActions, batchSources, refresh)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => budget?.release(bytes));
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }

  return {
    add(action, source) {
      if (failure) return Promise.reject(failure);
      actions.push(action);
      sources.push(source);
      pendingBytes += action.length + source.length + 2;
      if (pendingBytes < bulkBytes) return undefined;
      return (async () => {
        await flush();
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        if (failure) throw failure;
      })();
    },
    async finish() {
      const refreshed = options.refreshWithLast === true && actions.length > 0;
      if (refreshed) while (inFlight.size > 0) await Promise.race(inFlight);
      if (!failure) await flush(refreshed);
      while (inFlight.size > 0) await Promise.race(inFlight);
      if (failure) throw failure;
      return { written, rejected, refreshed };
    },
  };
}
