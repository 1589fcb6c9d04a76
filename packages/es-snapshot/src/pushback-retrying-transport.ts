// The ONE place where a request to Elasticsearch is retried. Nothing else retries an HTTP
// request: the base transport is called with maxRetries 0, and rawRequest (raw bytes) goes
// through this transport like every call of the client.
//
// The retry budget of one request (elasticsearch.max_retries, default 3):
//   - retried: an answer 429 (Elasticsearch pushing back before it ran the request: a full
//     thread-pool queue, a tripped circuit breaker), 502, 503 or 504, and a connection error
//     (refused, reset, closed before the answer). Everything else fails at once, and so does a
//     timeout (elasticsearch.request_timeout_ms): the request may still be running on the
//     cluster. A streamed body cannot be sent again and is never retried.
//   - attempts: at most 1 + max_retries (4 by default; max_retries <= 20).
//   - backoff before retry n: up to 250 ms * 2^(n-1), capped at 8 s, at least half of that
//     (jitter): 125-250 ms, 250-500 ms, 500 ms-1 s, 1-2 s ... 4-8 s.
//   - total wait: the pauses of one request add up to at most RETRY_WAIT_BUDGET_MS (30 s);
//     a retry that would go over it is not made. With the default: at most 1.75 s of pauses.
//   So one request takes at most (1 + max_retries) * request_timeout_ms + 30 s.
// The bulk loader's re-sending of the documents a 200 answer rejected one by one (429 items)
// is not an HTTP retry: it is its own budget (bulk-loader.ts).
// It also says why no node is left when the answer is "no living connections".
import { errors, Transport } from '@elastic/elasticsearch';
import { sleep } from './raw-request.js';
import { latestConnectionFailure } from './remembering-connection.js';

type RequestParams = Parameters<Transport['request']>[0];
type RequestOptions = NonNullable<Parameters<Transport['request']>[1]>;

/** The most the pauses between the attempts of one request add up to, in milliseconds. */
export const RETRY_WAIT_BUDGET_MS = 30_000;

/** The HTTP answers that are retried: pushback (429) and a node or proxy not able to answer now. */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Milliseconds before retry `attempt` (1-based): at most 250, 500, 1000 ... 8000, at least half of that (jitter). */
export function pushbackDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(8000, 250 * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function isRetriedError(error: unknown): boolean {
  if (error instanceof errors.ResponseError) return RETRIED_STATUSES.has(error.statusCode ?? 0);
  // TimeoutError is not a ConnectionError subclass: a timed-out request is not retried.
  return error instanceof errors.ConnectionError;
}

function isStream(body: unknown): boolean {
  return typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function';
}

interface StreamedAnswer {
  statusCode?: number | null;
  body?: unknown;
}

export class PushbackRetryingTransport extends Transport {
  /** The retries the client was configured with (elasticsearch.max_retries). */
  retriesOnPushback = 3;

  // One signature for all the overloads of Transport#request: the answer is passed through as is.
  override async request(params: RequestParams, options?: RequestOptions): Promise<any> {
    const retries = typeof options?.maxRetries === 'number' ? options.maxRetries : this.retriesOnPushback;
    // A streamed body is consumed by the first attempt: it cannot be sent again.
    const retriable = !isStream(params.body) && !isStream(params.bulkBody);
    // An answer asked as a stream comes back whatever its status: its status is read here,
    // so the meta (status, headers) is always asked for and unwrapped if the caller did not want it.
    const asStream = options?.asStream === true;
    const attemptOptions = { ...options, maxRetries: 0, ...(asStream ? { meta: true } : {}) } as RequestOptions;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const wait = pushbackDelay(attempt);
      const mayRetry = retriable && attempt <= retries && waited + wait <= RETRY_WAIT_BUDGET_MS;
      try {
        const answer = await super.request(params, attemptOptions as never);
        if (asStream) {
          const streamed = answer as StreamedAnswer;
          if (mayRetry && RETRIED_STATUSES.has(streamed.statusCode ?? 0)) {
            discard(streamed.body);
          } else {
            return options?.meta === true ? answer : streamed.body;
          }
        } else {
          return answer;
        }
      } catch (error) {
        if (error instanceof errors.NoLivingConnectionsError) throw this.withLastFailure(error);
        if (!mayRetry || !isRetriedError(error)) throw error;
      }
      waited += wait;
      await sleep(wait, options?.signal);
    }
  }

  /** "No living connections", with the failure that marked the last node dead (TLS, refused...). */
  private withLastFailure(error: InstanceType<typeof errors.NoLivingConnectionsError>): Error {
    const failure = latestConnectionFailure(this.connectionPool);
    if (!failure) return error;
    return new errors.NoLivingConnectionsError(`${error.message}; the last node failed with: ${failure.message}`, error.meta);
  }
}

/**
 * The same transport for a server older than 8: no product check (the 8.x client refuses a
 * server that does not send `x-elastic-product`), and plain `application/json` /
 * `application/x-ndjson` instead of `compatible-with=8` (which 6.x and 7.x refuse).
 */
export class LegacyServerTransport extends PushbackRetryingTransport {
  constructor(options: ConstructorParameters<typeof Transport>[0]) {
    super({ ...options, productCheck: undefined, vendoredHeaders: undefined });
  }
}

/** Lets go of the body of an answer that will not be read (its socket goes back to the pool or is closed). */
function discard(body: unknown): void {
  const stream = body as { destroy?: () => void; resume?: () => void } | undefined;
  if (typeof stream?.resume === 'function') stream.resume();
  else stream?.destroy?.();
}
