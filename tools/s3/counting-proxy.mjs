// @ts-check
// A pass-through HTTP proxy in front of a store that counts what the store is sent: the
// tests' measure of "bytes uploaded" is the bytes that crossed the wire, whatever the tool
// reports of itself (request bodies: object bytes, multipart parts, and the encryption's and
// the manifests' overhead). Headers go through unchanged, so the SigV4 signatures still hold.
import { createServer, request } from 'node:http';

/**
 * @typedef {object} TrafficCounts
 * @property {number} requests  requests forwarded
 * @property {number} bodyBytes  bytes of the request bodies (what the store received)
 * @property {Record<string, number>} bodyBytesByMethod  the same, per HTTP method
 * @property {{ method: string, path: string, bytes: number }[]} bodies  each request that had a body (multipart parts apart)
 */

/**
 * Starts a counting proxy on a free loopback port in front of `target` (http://host:port).
 * @param {string} target
 */
export async function startCountingProxy(target) {
  const upstream = new URL(target);
  /** @type {TrafficCounts} */
  let counts = { requests: 0, bodyBytes: 0, bodyBytesByMethod: {}, bodies: [] };
  const server = createServer((incoming, outgoing) => {
    counts.requests += 1;
    const method = incoming.method ?? 'GET';
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    const counted = counts;
    let bytes = 0;
    incoming.on('data', (/** @type {Buffer} */ part) => {
      bytes += part.length;
      counted.bodyBytes += part.length;
      counted.bodyBytesByMethod[method] = (counted.bodyBytesByMethod[method] ?? 0) + part.length;
    });
    incoming.on('end', () => {
      if (bytes > 0) counted.bodies.push({ method, path: incoming.url ?? '', bytes });
    });
    incoming.pipe(forwarded);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    /** What was counted since the start or the last reset. @returns {TrafficCounts} */
    counts: () => ({ ...counts, bodyBytesByMethod: { ...counts.bodyBytesByMethod }, bodies: [...counts.bodies] }),
    reset() {
      counts = { requests: 0, bodyBytes: 0, bodyBytesByMethod: {}, bodies: [] };
    },
    /** @returns {Promise<void>} */
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
