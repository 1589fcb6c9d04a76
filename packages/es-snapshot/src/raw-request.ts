// One Elasticsearch request whose answer is kept as raw bytes, so that documents can be
// passed through without being parsed and re-serialized. It does not retry on its own: the
// client's transport (pushback-retrying-transport.ts) is the one retry layer, raw answers included.
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import type { ReusableBuffer } from './reusable-buffer.js';
import { wrapElasticsearchError, wrapElasticsearchResponse } from './wrap-elasticsearch-error.js';

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  querystring?: Record<string, string | number | boolean>;
  body?: unknown;
  /** NDJSON bytes for _bulk. */
  bulkBody?: Buffer;
}

export async function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    // The abort's own reason (a CANCELLED error from the CLI), not the timer's AbortError.
    throw signal?.aborted ? signal.reason : error;
  }
}

/**
 * An answer that outgrew the `maxBytes` it was read with: it is dropped unread (the request is
 * closed), and the caller asks again for less (point-in-time-pages.ts, document-pages.ts).
 */
export class AnswerTooLarge extends Error {
  constructor(
    /** The bytes it had reached when it was dropped (at least `maxBytes`). */
    readonly bytes: number,
    /** Its first bytes (up to 4 KB, copied): where a scroll's id is (scroll-pages.ts). */
    readonly head: Buffer,
  ) {
    super(`The answer passed ${bytes} bytes`);
  }
}

const HEAD_BYTES = 4096;

async function collect(body: unknown, into: ReusableBuffer | undefined, maxBytes: number | undefined): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (into) {
    into.reset();
    // 'data' events hand over each piece as it came; an async iterator would first join the
    // pieces waiting in the stream into a new buffer, copying every answer twice.
    const stream = body as Readable;
    stream.on('data', (part: Buffer | string) => {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      if (maxBytes !== undefined && into.byteLength + bytes.length > maxBytes) {
        const length = into.byteLength + bytes.length;
        stream.destroy(new AnswerTooLarge(length, Buffer.concat([into.bytes(), bytes], Math.min(length, HEAD_BYTES))));
      } else into.append(bytes);
    });
    await finished(stream);
    return into.bytes();
  }
  const parts: Buffer[] = [];
  let length = 0;
  for await (const part of body as AsyncIterable<Buffer | string>) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    length += bytes.length;
    parts.push(bytes);
    // Leaving the loop destroys the stream: the rest of the answer is never read.
    if (maxBytes !== undefined && length > maxBytes) throw new AnswerTooLarge(length, Buffer.concat(parts, Math.min(length, HEAD_BYTES)));
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * The answer's bytes; an error answer becomes an A4cAdminError saying what `context` was doing.
 * With `into`, the bytes are read into that buffer (a view of it comes back, valid until its next
 * use), and a successful answer that passes `maxBytes` fails with AnswerTooLarge.
 */
export async function rawRequest(
  client: Client,
  request: RawRequest,
  context: string,
  options: { signal?: AbortSignal; into?: ReusableBuffer; maxBytes?: number } = {},
): Promise<Buffer> {
  let status: number;
  let bytes: Buffer;
  try {
    const response = await client.transport.request(
      { method: request.method, path: request.path, querystring: request.querystring, body: request.body as never, bulkBody: request.bulkBody as never },
      { asStream: true, meta: true, signal: options.signal },
    );
    status = response.statusCode ?? 0;
    bytes = await collect(response.body, options.into, status >= 200 && status < 300 ? options.maxBytes : undefined);
  } catch (error) {
    if (error instanceof AnswerTooLarge) throw error;
    throw wrapElasticsearchError(error, context);
  }
  if (status >= 200 && status < 300) return bytes;
  let body: unknown = bytes.toString('utf8');
  try {
    body = JSON.parse(body as string);
  } catch {
    // Not JSON (a proxy's HTML page): keep the text as the reason.
  }
  throw wrapElasticsearchResponse(status, body, context);
}
