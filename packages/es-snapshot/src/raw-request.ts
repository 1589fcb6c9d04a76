// One Elasticsearch request whose answer is kept as raw bytes, so that documents can be
// passed through without being parsed and re-serialized. Retries 429/502/503/504.
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError, wrapElasticsearchResponse } from './wrap-elasticsearch-error.js';

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  querystring?: Record<string, string | number | boolean>;
  body?: unknown;
  /** NDJSON bytes for _bulk. */
  bulkBody?: Buffer;
}

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

export async function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    // The abort's own reason (a CANCELLED error from the CLI), not the timer's AbortError.
    throw signal?.aborted ? signal.reason : error;
  }
}

async function collect(body: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const parts: Buffer[] = [];
  for await (const part of body as AsyncIterable<Buffer | string>) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** The answer's bytes; an error answer becomes an A4cAdminError saying what `context` was doing. */
export async function rawRequest(
  client: Client,
  request: RawRequest,
  context: string,
  options: { signal?: AbortSignal; attempts?: number } = {},
): Promise<Buffer> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    let status: number;
    let bytes: Buffer;
    try {
      const response = await client.transport.request(
        { method: request.method, path: request.path, querystring: request.querystring, body: request.body as never, bulkBody: request.bulkBody as never },
        { asStream: true, meta: true, signal: options.signal },
      );
      status = response.statusCode ?? 0;
      bytes = await collect(response.body);
    } catch (error) {
      throw wrapElasticsearchError(error, context);
    }
    if (status >= 200 && status < 300) return bytes;
    if (RETRIED_STATUSES.has(status) && attempt < attempts) {
      // Exponential backoff with jitter: a busy cluster needs room, not a synchronized stampede.
      await sleep(Math.min(200 * 2 ** (attempt - 1), 5_000) * (0.5 + Math.random()), options.signal);
      continue;
    }
    let body: unknown = bytes.toString('utf8');
    try {
      body = JSON.parse(body as string);
    } catch {
      // Not JSON (a proxy's HTML page): keep the text as the reason.
    }
    throw wrapElasticsearchResponse(status, body, context);
  }
}
