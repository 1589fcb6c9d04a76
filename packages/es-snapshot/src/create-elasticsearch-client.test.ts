// The client's failures must say why: with several addresses, the transport marks each node
// dead as it fails, and its own last word ("no living connections") hides the reason.
import { createServer } from 'node:net';
import { isA4cAdminError } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { createElasticsearchClient, describeCluster } from './index.js';
import { pushbackDelay } from './pushback-retrying-transport.js';

/** Ports that were free a moment ago: nothing listens there. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

describe('createElasticsearchClient', () => {
  it('names the reason the last node failed when no node is left (three addresses, retries on)', async () => {
    const ports = await freePorts(3);
    const client = createElasticsearchClient({ addresses: ports.map((port) => `http://127.0.0.1:${port}`), max_retries: 3, request_timeout_ms: 5_000 });
    try {
      const failure = await describeCluster(client).catch((error: unknown) => error);
      expect(isA4cAdminError(failure) && failure.code).toBe('CLUSTER_UNREACHABLE');
      expect((failure as Error).message).toMatch(/no living connections; the last node failed with: .*ECONNREFUSED/);
    } finally {
      await client.close();
    }
  });
});

describe('pushbackDelay', () => {
  it('doubles from 250 ms up to 8 s, with jitter within the upper half', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => pushbackDelay(attempt, low))).toEqual([125, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect([1, 2, 3, 6, 9].map((attempt) => pushbackDelay(attempt, high))).toEqual([250, 500, 1000, 8000, 8000]);
  });
});
