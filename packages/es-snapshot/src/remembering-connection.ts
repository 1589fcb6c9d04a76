// With several addresses, the transport tries each node, marks each one that fails dead, and
// once none is left answers "There are no living connections": the reason the nodes failed
// (a wrong CA, a refused port) is gone. Each connection keeps its last failure here, so that
// the transport can say why (see PushbackRetryingTransport).
import { type BaseConnectionPool, UndiciConnection } from '@elastic/elasticsearch';

type RequestParams = Parameters<UndiciConnection['request']>[0];
type RequestOptions = Parameters<UndiciConnection['request']>[1];

export class RememberingConnection extends UndiciConnection {
  lastFailure: { error: Error; at: number } | undefined;

  // One signature for both overloads of Connection#request: the answer is passed through as is.
  override async request(params: RequestParams, options: RequestOptions): Promise<any> {
    try {
      return await super.request(params, options as never);
    } catch (error) {
      this.lastFailure = { error: error as Error, at: Date.now() };
      throw error;
    }
  }
}

/** The most recent failure of any connection of the pool, if any. */
export function latestConnectionFailure(pool: BaseConnectionPool): Error | undefined {
  let latest: RememberingConnection['lastFailure'];
  for (const connection of pool.connections) {
    const failure = (connection as Partial<RememberingConnection>).lastFailure;
    if (failure && (!latest || failure.at > latest.at)) latest = failure;
  }
  return latest?.error;
}
