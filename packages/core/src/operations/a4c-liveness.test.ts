import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkA4cRunning } from './a4c-liveness.js';

describe('checkA4cRunning', () => {
  it('says running when something answers at the URL, even with an error status', async () => {
    const server = createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await checkA4cRunning(`http://127.0.0.1:${port}/`);
      expect(result).toEqual({ running: true, detail: `http://127.0.0.1:${port}/ answered HTTP 503` });
    } finally {
      server.close();
    }
  });

  it('says stopped when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const result = await checkA4cRunning(`http://127.0.0.1:${port}/`);
    expect(result.running).toBe(false);
    expect(result.detail).toMatch(/connection refused|ECONNREFUSED/);
  });
});
