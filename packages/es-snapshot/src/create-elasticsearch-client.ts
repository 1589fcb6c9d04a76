// Builds the @elastic/elasticsearch client from the tool's configuration: several nodes,
// basic auth or API key, TLS by CA file or fingerprint, timeouts, and retries: those are made by
// PushbackRetryingTransport alone (its budget is described there), never by the base transport.
import { A4cAdminError, type ElasticsearchConfig, isA4cAdminError, redactSecrets } from '@a4c-admin/core';
import { readRegularFileSync, registerSecret } from '@a4c-admin/core/internal';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { ServerDialect } from './dialect/server-dialect.js';
import { LegacyServerTransport, PushbackRetryingTransport } from './pushback-retrying-transport.js';
import { RememberingConnection } from './remembering-connection.js';

/** The parts of the configuration the client needs; the rest (repository, prefix) is optional here. */
export type ClientConfig = Pick<ElasticsearchConfig, 'addresses'> & Partial<Pick<ElasticsearchConfig, 'auth' | 'tls' | 'request_timeout_ms' | 'max_retries'>>;

/**
 * A client for the configured cluster. It never calls `GET /` (info/ping) itself: some
 * distributions answer it with 400, readiness is checked through `_cluster/health`.
 * `connectElasticsearch` (connect.ts) asks `GET /` once and passes the server's dialect: a
 * server older than 8 gets a transport without the 8.x product check and vendored headers.
 */
export function createElasticsearchClient(config: ClientConfig, dialect?: ServerDialect): Client {
  const auth = config.auth;
  if (auth?.api_key && (auth.username || auth.password)) {
    throw new A4cAdminError('CONFIG_INVALID', 'elasticsearch.auth sets both an API key and a username/password.', {
      hint: 'Keep one: either elasticsearch.auth.api_key, or elasticsearch.auth.username and password.',
    });
  }
  if (auth && Boolean(auth.username) !== Boolean(auth.password)) {
    throw new A4cAdminError('CONFIG_INVALID', 'elasticsearch.auth needs both username and password for basic authentication.', {
      hint: 'Set elasticsearch.auth.password (or A4C_ADMIN_ES_PASSWORD) along with the username.',
    });
  }
  registerSecret(auth?.password);
  registerSecret(auth?.api_key);
  const nodes = config.addresses.map((address) => {
    const url = new URL(address);
    // Credentials written into an address are taken out of it: the client would log them.
    if (url.password) registerSecret(decodeURIComponent(url.password));
    return url.toString();
  });

  const options: ClientOptions = {
    node: nodes,
    requestTimeout: config.request_timeout_ms ?? 60_000,
    // The base transport never retries: PushbackRetryingTransport is the one retry layer.
    maxRetries: 0,
    // Node discovery would replace the configured addresses with publish addresses that
    // are often unreachable from the admin machine (containers, NAT).
    sniffOnStart: false,
    compression: false,
    Transport: dialect && !dialect.vendoredHeaders ? LegacyServerTransport : PushbackRetryingTransport,
    Connection: RememberingConnection,
  };
  if (auth?.api_key) options.auth = { apiKey: auth.api_key };
  else if (auth?.username && auth.password) options.auth = { username: auth.username, password: auth.password };

  const tls = config.tls;
  if (tls) {
    // A fingerprint without a CA file pins the CA instead of the chain check: Node cannot verify a
    // chain whose root it does not hold, so the client checks the pinned CA's fingerprint itself.
    const pinnedOnly = Boolean(tls.fingerprint) && !tls.ca_file;
    const tlsOptions: NonNullable<ClientOptions['tls']> = { rejectUnauthorized: tls.verify !== false && !pinnedOnly };
    if (tls.ca_file) {
      try {
        tlsOptions.ca = readRegularFileSync(tls.ca_file, { what: 'The CA file (elasticsearch.tls.ca_file)', code: 'CONFIG_INVALID' });
      } catch (error) {
        if (isA4cAdminError(error)) throw error;
        throw new A4cAdminError('CONFIG_INVALID', `Cannot read the CA file ${tls.ca_file}: ${redactSecrets(String((error as Error).message))}`, {
          hint: 'Check elasticsearch.tls.ca_file: it must be a readable PEM file (often config/certs/http_ca.crt on the node).',
          cause: error,
        });
      }
    }
    options.tls = tlsOptions;
    if (tls.fingerprint) options.caFingerprint = tls.fingerprint;
  }
  const client = new Client(options);
  (client.transport as PushbackRetryingTransport).retriesOnPushback = config.max_retries ?? 3;
  return client;
}
