// The client's transport retries 502/503/504 and connection errors, never 429. But a 429 is
// Elasticsearch pushing back (a full thread-pool queue, a tripped circuit breaker) before it
// ran the request, so sending it again later is safe, for reads and writes alike. Without
// this, one busy moment of the cluster failed a whole backup.
// It also says why no node is left when the answer is "no living connections".
import { Transport, errors } from '@elastic/elasticsearch';
import { sleep } from './raw-request.js';
import { latestConnectionFailure } from './remembering-connection.js';

type RequestParams = Parameters<Transport['request']>[0];
type RequestOptions = NonNullable<Parameters<Transport['request']>[1]>;

/** Milliseconds before retry `attempt` (1-based): at most 250, 500, 1000 ... 8000, at least half of that (jitter). */
export function pushbackDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(8000, 250 * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function isPushback(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 429;
}

function isStream(body: unknown): boolean {
  return typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function';
}

export class PushbackRetryingTransport extends Transport {
  /** The retries the client was configured with (elasticsearch.max_retries). */
  retriesOnPushback = 3;

  // One signature for all the overloads of Transport#request: the answer is passed through as is.
  override async request(params: RequestParams, options?: RequestOptions): Promise<any> {
    const retries = typeof options?.maxRetries === 'number' ? options.maxRetries : this.retriesOnPushback;
    // A streamed body is consumed by the first attempt: it cannot be sent again.
    const retriable = !isStream(params.body) && !isStream(params.bulkBody);
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.request(params, options as never);
      } catch (error) {
        if (error instanceof errors.NoLivingConnectionsError) throw this.withLastFailure(error);
        if (!retriable || !isPushback(error) || attempt > retries) throw error;
        await sleep(pushbackDelay(attempt), options?.signal);
      }
    }
  }

  /** "No living connections", with the failure that marked the last node dead (TLS, refused...). */
  private withLastFailure(error: InstanceType<typeof errors.NoLivingConnectionsError>): Error {
    const failure = latestConnectionFailure(this.connectionPool);
    if (!failure) return error;
    return new errors.NoLivingConnectionsError(`${error.message}; the last node failed with: ${failure.message}`, error.meta);
  }
}
