// Turns whatever the Elasticsearch client threw into an A4cAdminError that says what
// happened, what to do about it, and never shows a credential.
import { A4cAdminError, isA4cAdminError, redactSecrets } from '@a4c-admin/core';
import { errors } from '@elastic/elasticsearch';

// A TLS hello answered in plain HTTP: OpenSSL reads the HTTP answer as a record of a wrong
// version or length. The CA is not the problem then, the scheme is.
const PLAIN_HTTP_PATTERN = /wrong version number|packet length too long|http request/i;
const TLS_PATTERN = /certificate|self[- ]signed|SSL|TLS|EPROTO|CERT_|DEPTH_ZERO|UNABLE_TO_VERIFY|ERR_TLS|fingerprint|wrong version number/i;

/** Elasticsearch's own explanation of a failed request: the root cause's type and reason. */
export interface ElasticsearchReason {
  type?: string;
  reason?: string;
  index?: string;
}

/**
 * The type of a 1.x error, which is a string (`IndexMissingException[[x] missing]`, possibly
 * `...; nested: SnapshotMissingException[...]`), in the snake case later versions use for it:
 * the innermost exception, as 2.x+ give the root cause.
 */
export function legacyErrorType(error: string): string | undefined {
  const names = [...error.matchAll(/(?:^|nested: )([A-Z]\w*Exception)\[/g)].map((match) => match[1]!);
  const name = names[names.length - 1];
  return name
    ?.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The type/reason of an error response body (root cause first), when there is one. */
export function elasticsearchReason(body: unknown): ElasticsearchReason {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body ? { reason: body } : {};
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') {
    const type = legacyErrorType(error);
    return type ? { type, reason: error } : { reason: error };
  }
  if (typeof error !== 'object' || error === null) return {};
  const top = error as { type?: string; reason?: string; index?: string; root_cause?: ElasticsearchReason[]; caused_by?: ElasticsearchReason };
  const root = top.root_cause?.[0];
  // The top-level type is often a generic wrapper (search_phase_execution_exception): say both.
  const reason = [top.reason, root && root.reason !== top.reason ? root.reason : undefined, top.caused_by?.reason]
    .filter((part): part is string => Boolean(part))
    .join(': ');
  return { type: root?.type ?? top.type, reason: reason || undefined, index: top.index ?? root?.index };
}

function causeText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const value = current as { message?: string; code?: string; cause?: unknown };
    if (value.message) parts.push(value.message);
    if (value.code) parts.push(value.code);
    current = value.cause;
  }
  return parts.join(' ');
}

/**
 * The http:// form of the https:// address that failed (never its credentials): the one the
 * client names, else the first https:// one configured.
 */
function plainHttpAddress(error: unknown, addresses: readonly string[]): string | undefined {
  const named = (error as { meta?: { meta?: { connection?: { url?: unknown } } } }).meta?.meta?.connection?.url;
  const candidates = [...(named instanceof URL ? [named.href] : []), ...addresses];
  for (const candidate of candidates) {
    const url = URL.canParse(candidate) ? new URL(candidate) : undefined;
    if (url?.protocol === 'https:') return `http://${url.host}`;
  }
  return undefined;
}

/**
 * The error as an A4cAdminError. `context` says what the tool was doing
 * ("reading index a4c-topology"), so the message makes sense on its own; `addresses` (the
 * configured ones) let a hint name the address to write.
 */
export function wrapElasticsearchError(error: unknown, context: string, addresses: readonly string[] = []): A4cAdminError {
  if (isA4cAdminError(error)) return error;
  if (error instanceof errors.ResponseError) {
    return wrapElasticsearchResponse(error.meta.statusCode ?? 0, error.meta.body, context, error);
  }

  const text = redactSecrets(causeText(error));
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError || error instanceof errors.TimeoutError) {
    if (PLAIN_HTTP_PATTERN.test(text)) {
      const address = plainHttpAddress(error, addresses);
      return new A4cAdminError('TLS_FAILED', `Elasticsearch${address ? ` at ${address}` : ''} speaks plain HTTP, not TLS (while ${context}): ${text}`, {
        hint: `The node speaks plain HTTP: use ${address ?? 'http://<host>:<port>'} in elasticsearch.addresses (http://, not https://), or turn on TLS on the node (xpack.security.http.ssl).`,
        details: address ? { address } : {},
        cause: error,
      });
    }
    if (TLS_PATTERN.test(text)) {
      return new A4cAdminError('TLS_FAILED', `TLS handshake with Elasticsearch failed while ${context}: ${text}`, {
        hint: 'Set elasticsearch.tls.ca_file to the CA that signed the node certificate (or tls.fingerprint), and use https:// addresses.',
        cause: error,
      });
    }
    const timeout = error instanceof errors.TimeoutError;
    return new A4cAdminError('CLUSTER_UNREACHABLE', `Cannot reach Elasticsearch while ${context}: ${text}`, {
      hint: timeout
        ? 'The cluster did not answer in time: check its load and health, or raise elasticsearch.request_timeout_ms.'
        : 'Check elasticsearch.addresses, that Elasticsearch runs, and that you give its HTTP port (usually 9200, not the 9300 transport port).',
      cause: error,
    });
  }
  if (error instanceof errors.RequestAbortedError || (error as { name?: string })?.name === 'AbortError') {
    return new A4cAdminError('CANCELLED', `Cancelled while ${context}.`, { cause: error });
  }
  if (error instanceof errors.ElasticsearchClientError) {
    return new A4cAdminError('ES_REQUEST_FAILED', `Elasticsearch request failed while ${context}: ${text}`, {
      hint: 'Read the reason above; check the cluster health with GET /_cluster/health.',
      cause: error,
    });
  }
  return new A4cAdminError('INTERNAL', `Unexpected failure while ${context}: ${text}`, { cause: error });
}

/** An error answer of Elasticsearch (status + body) as an A4cAdminError. */
export function wrapElasticsearchResponse(status: number, body: unknown, context: string, cause?: unknown): A4cAdminError {
  const details: Record<string, unknown> = {};
  const { type, reason, index } = elasticsearchReason(body);
  details.status = status;
  if (type) details.type = type;
  if (index) details.index = index;
  const said = redactSecrets(`${type ?? 'error'}${reason ? `: ${reason}` : ''}`);
  if (status === 401) {
    return new A4cAdminError('AUTH_FAILED', `Elasticsearch refused the credentials while ${context} (401).`, {
      hint: 'Check elasticsearch.auth (username/password or api_key), or A4C_ADMIN_ES_PASSWORD / A4C_ADMIN_ES_API_KEY.',
      details,
      cause,
    });
  }
  if (status === 403) {
    return new A4cAdminError('AUTH_FAILED', `Elasticsearch denied the request while ${context} (403): ${said}`, {
      hint: 'The user or API key lacks a privilege: give it the cluster "manage" and index "all" privileges on the A4C indices.',
      details,
      cause,
    });
  }
  if (status === 404 && (type === 'index_not_found_exception' || type === 'index_missing_exception')) {
    return new A4cAdminError('INDEX_NOT_FOUND', `Index ${index ?? '(unknown)'} does not exist (while ${context}).`, {
      hint: 'Check the index name and elasticsearch.index_prefix; list the indices with GET /_cat/indices.',
      details,
      cause,
    });
  }
  return new A4cAdminError('ES_REQUEST_FAILED', `Elasticsearch answered ${status} while ${context}: ${said}`, {
    hint:
      status === 429 || status === 503
        ? 'The cluster is overloaded or not ready: wait, check GET /_cluster/health, and retry.'
        : 'Read the reason above; the Elasticsearch logs of the node have the details.',
    details,
    cause,
  });
}
