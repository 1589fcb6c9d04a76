// The bytes of bulk requests in flight, bounded across every index of a load. Elasticsearch
// refuses (429) a bulk request that would take the bytes it is indexing over its
// indexing-pressure limit (`indexing_pressure.memory.limit`, 10 % of the heap by default: 53 MB
// on a 512 MB node). Four indices loaded at once, each with three 8 MB requests in flight, went
// over it; one budget for the whole load, half the smallest node's limit, stays under it and
// leaves room for the cluster's other writers. It also bounds the client's own memory: a body
// is reserved when a loader starts filling it, not when it is sent, so the bodies being built
// and the ones in flight together stay within the budget, however many indices load at once.
import type { Client } from '@elastic/elasticsearch';
import { BulkBodyPool } from './bulk-body-pool.js';
import { rawRequest } from './raw-request.js';

/** The bytes of a bulk request: 8 MB unless the budget is smaller (5-10 MB is the sweet spot). */
export const DEFAULT_BULK_BYTES = 8 * 1024 * 1024;

/** Used when the nodes do not say their limit (an older server, no monitor privilege): three 8 MB requests. */
const FALLBACK_BUDGET_BYTES = 3 * DEFAULT_BULK_BYTES;

/**
 * Never more than this, however large the heap: past it, more bytes do not load faster, and the
 * client's memory is held to 256 MB (a 200k migration against a 1 GB node, whose budget would be
 * 51 MB, peaked at 263-287 MB RSS).
 */
const MAX_BUDGET_BYTES = 32 * 1024 * 1024;

/** Never less than this: a node below it (a heap of ~40 MB) is refused by pushback retries instead. */
const MIN_BUDGET_BYTES = 2 * 1024 * 1024;

/**
 * Requests that fit in the budget: 4.5 MB requests on a 512 MB node. Each loader also holds the
 * request it is building and the one waiting for the budget: with 8 MB requests (3 in the
 * budget) an import of 4 large indices peaked at 281 MB RSS on a 512 MB node, with 4.5 MB at
 * 245 MB (and no slower: 26.4 s against 36.0 s, at lower load).
 */
const REQUESTS_IN_BUDGET = 6;

export interface BulkBytesBudget {
  /** The bytes in flight allowed. */
  readonly capacity: number;
  /** The size a request should have so that a few fit in the budget: at most `requested`. */
  requestBytes(requested?: number): number;
  /** Waits until `bytes` more may be sent (a request larger than the budget waits for it all). */
  acquire(bytes: number, signal?: AbortSignal): Promise<void>;
  /** Gives back what `acquire` took. */
  release(bytes: number): void;
  /** The body buffers of the loads sharing this budget, reused from request to request. */
  readonly bodies: BulkBodyPool;
}

export function createBulkBytesBudget(capacity: number): BulkBytesBudget {
  let available = capacity;
  const waiting: { bytes: number; resolve: () => void }[] = [];
  const wake = () => {
    // First come, first served: a large request is not starved by small ones passing it.
    while (waiting.length > 0 && available >= waiting[0]!.bytes) {
      const next = waiting.shift()!;
      available -= next.bytes;
      next.resolve();
    }
  };
  return {
    capacity,
    bodies: new BulkBodyPool(capacity),
    requestBytes(requested = DEFAULT_BULK_BYTES) {
      return Math.max(64 * 1024, Math.min(requested, Math.floor(capacity / REQUESTS_IN_BUDGET)));
    },
    acquire(bytes, signal) {
      const wanted = Math.min(bytes, capacity);
      if (waiting.length === 0 && available >= wanted) {
        available -= wanted;
        return Promise.resolve();
      }
      signal?.throwIfAborted();
      return new Promise<void>((resolve, reject) => {
        const entry = {
          bytes: wanted,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const position = waiting.indexOf(entry);
          if (position >= 0) waiting.splice(position, 1);
          wake();
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(entry);
      });
    },
    release(bytes) {
      available = Math.min(capacity, available + Math.min(bytes, capacity));
      wake();
    },
  };
}

interface NodeStats {
  nodes?: Record<string, { jvm?: { mem?: { heap_max_in_bytes?: number } }; indexing_pressure?: { memory?: { limit_in_bytes?: number } } }>;
}

async function nodeStats(client: Client, metric: string, filterPath: string, signal?: AbortSignal): Promise<NodeStats> {
  const answer = await rawRequest(
    client,
    { method: 'GET', path: `/_nodes/stats/${metric}`, querystring: { filter_path: filterPath } },
    `reading the nodes' ${metric} stats`,
    {
      signal,
    },
  );
  return JSON.parse(answer.toString('utf8')) as NodeStats;
}

/**
 * Half the indexing-pressure limit of the smallest node (from `_nodes/stats`: the limit itself
 * on 7.9 and later, else 10 % of the heap, which is how the limit defaults), clamped to sane
 * bounds. Two small requests; a server that does not answer them gets the fallback.
 */
export async function bulkBytesBudgetOf(client: Client, signal?: AbortSignal): Promise<BulkBytesBudget> {
  let limits: number[] = [];
  try {
    const jvm = await nodeStats(client, 'jvm', 'nodes.*.jvm.mem.heap_max_in_bytes', signal);
    // Older servers (before 7.9) answer 400 to this metric: their limit is the heap's share.
    const pressure = await nodeStats(client, 'indexing_pressure', 'nodes.*.indexing_pressure.memory.limit_in_bytes', signal).catch((error) => {
      if (signal?.aborted) throw error;
      return {} as NodeStats;
    });
    limits = Object.entries(jvm.nodes ?? {}).map(([id, node]) => {
      const limit = pressure.nodes?.[id]?.indexing_pressure?.memory?.limit_in_bytes;
      return typeof limit === 'number' && limit > 0 ? limit : (node.jvm?.mem?.heap_max_in_bytes ?? 0) / 10;
    });
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  const smallest = limits.filter((limit) => limit > 0).reduce((least, limit) => Math.min(least, limit), Number.POSITIVE_INFINITY);
  const capacity = Number.isFinite(smallest) ? Math.floor(smallest / 2) : FALLBACK_BUDGET_BYTES;
  return createBulkBytesBudget(Math.max(MIN_BUDGET_BYTES, Math.min(MAX_BUDGET_BYTES, capacity)));
}
