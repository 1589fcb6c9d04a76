// Connecting to a cluster of any generation from 1.7 to 8.x: `GET /` says the version, which
// chooses the dialect (dialect/server-dialect.ts) and the client's transport. One client per
// connection, built by createElasticsearchClient like every other (auth, TLS, the retry layer).
import { type Client, errors } from '@elastic/elasticsearch';
import { type ClientConfig, createElasticsearchClient } from './create-elasticsearch-client.js';
import { DEFAULT_DIALECT, dialectFor, type ServerDialect } from './dialect/server-dialect.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface ElasticsearchConnection {
  client: Client;
  dialect: ServerDialect;
}

/**
 * The client and dialect for the configured cluster. `GET /` is asked with plain JSON headers
 * (which every generation accepts); a server of 8.x or more then gets the 8.x client as before.
 * A user that may not call `GET /` (401/403 for a restricted role), or a distribution that
 * answers it with 400, is taken for 8.x, as a4c-admin always did.
 */
export async function connectElasticsearch(config: ClientConfig, options: { signal?: AbortSignal } = {}): Promise<ElasticsearchConnection> {
  const probe = createElasticsearchClient(config, dialectFor('7.0.0'));
  let version: string | undefined;
  try {
    const answer = (await probe.transport.request({ method: 'GET', path: '/' }, { signal: options.signal })) as { version?: { number?: string } };
    version = answer.version?.number;
  } catch (error) {
    const status = error instanceof errors.ResponseError ? error.statusCode : undefined;
    if (status === undefined || ![400, 401, 403, 404, 405].includes(status)) {
      await probe.close().catch(() => undefined);
      throw wrapElasticsearchError(error, 'asking the cluster its version (GET /)', config.addresses);
    }
  }
  const dialect = version && /^\d+\.\d+/.test(version) ? dialectFor(version) : DEFAULT_DIALECT;
  if (!dialect.vendoredHeaders) return { client: probe, dialect };
  await probe.close().catch(() => undefined);
  return { client: createElasticsearchClient(config, dialect), dialect };
}
