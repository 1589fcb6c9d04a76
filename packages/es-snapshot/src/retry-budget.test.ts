// A protocol test of our one retry layer (pushback-retrying-transport.ts), not of any
// Elasticsearch operation: a tiny local HTTP server answers 429, 503 or closes the connection
// a number of times, and counts how many attempts one request makes, through the client's
// API and through rawRequest.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createElasticsearchClient } from './create-elasticsearch-client.js';
import { rawRequest } from './raw-request.js';

type Failure = 429 | 503 | 'closed';

interface FlakyServer {
  url: string;
  /** Requests received so far. */
  attempts(): number;
  close(): Promise<void>;
}

/** Fails the first `failures` requests with `failure`, then answers 200 `{"ok":true}`. */
async function flakyServer(failure: Failure, failures: number): Promise<FlakyServer> {
  let attempts = 0;
  const server: Server = createServer((request, response) => {
    attempts += 1;
    request.resume();
    request.on('end', () => {
      if (attempts <= failures) {
        if (failure === 'closed') {
          request.socket.destroy();
          return;
        }
        response.writeHead(failure, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        response.end(JSON.stringify({ error: { type: 'pushback', reason: `answer ${failure}` }, status: failure }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    attempts: () => attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const servers: FlakyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

type Path = 'client' | 'raw';

/** One request through `path` to a server failing `failures` times; the attempts it made and how it ended. */
async function oneRequest(path: Path, failure: Failure, failures: number, maxRetries: number): Promise<{ attempts: number; ok: boolean }> {
  const server = await flakyServer(failure, failures);
  servers.push(server);
  const client = createElasticsearchClient({ addresses: [server.url], max_retries: maxRetries, request_timeout_ms: 5_000 });
  try {
    if (path === 'client') await client.transport.request({ method: 'GET', path: '/_cluster/health' });
    else await rawRequest(client, { method: 'POST', path: '/_search', body: {} }, 'searching');
    return { attempts: server.attempts(), ok: true };
  } catch {
    return { attempts: server.attempts(), ok: false };
  } finally {
    await client.close();
  }
}

describe('the retry budget of one Elasticsearch request (elasticsearch.max_retries)', () => {
  for (const path of ['client', 'raw'] as const) {
    for (const failure of [429, 503, 'closed'] as const) {
      it(`${path} path, ${failure}: 1 + max_retries attempts when it never stops, then it fails`, async () => {
        expect(await oneRequest(path, failure, 1_000, 2)).toEqual({ attempts: 3, ok: false });
      });

      it(`${path} path, ${failure}: retried through when it stops in time`, async () => {
        expect(await oneRequest(path, failure, 2, 2)).toEqual({ attempts: 3, ok: true });
      });
    }

    it(`${path} path: max_retries 0 makes exactly one attempt`, async () => {
      expect(await oneRequest(path, 429, 1_000, 0)).toEqual({ attempts: 1, ok: false });
      expect(await oneRequest(path, 503, 1_000, 0)).toEqual({ attempts: 1, ok: false });
      expect(await oneRequest(path, 'closed', 1_000, 0)).toEqual({ attempts: 1, ok: false });
    });
  }

  it('a 400 is never retried', async () => {
    const server = await flakyServer(400 as never, 1_000);
    servers.push(server);
    const client = createElasticsearchClient({ addresses: [server.url], max_retries: 3 });
    await expect(rawRequest(client, { method: 'POST', path: '/_search', body: {} }, 'searching')).rejects.toThrow();
    expect(server.attempts()).toBe(1);
    await client.close();
  });
});
