// A loopback HTTP proxy put in front of the real node for elasticdump's runs only.
//
// Why: elasticdump (every 6.x) learns the Elasticsearch version from `GET /` before its first
// request. The integ-test distribution of Elasticsearch that our launcher runs has no
// `GET /` handler and answers 405, so elasticdump falls back to "version 5.0.0" and then sends
// requests ES 8 refuses (typed URLs, old scroll bodies): it cannot be measured at all. This
// proxy answers `GET /` (and `HEAD /`) itself, with the real cluster's name, uuid and version
// read from `_nodes` and `_cluster/state` of the real node, in the shape ES 8 answers it; every
// other request goes to the real node unchanged and streamed both ways (no buffering, no
// parsing), over keep-alive connections. It runs in its own process so that its CPU and memory
// are not counted as elasticdump's and the benchmark's blocking spawnSync calls cannot stall it.
// Its cost is measured by the benchmark (a raw scroll run through it): one extra loopback hop.
//
// Usage: node es-root-proxy.mjs <node-url> [port]; prints {"url": "..."} once it listens.
import { Agent, createServer, request } from 'node:http';

/** What ES 8 answers to GET /, built from what the real node tells through other APIs. */
export async function rootAnswer(target) {
  const get = async (path) => {
    const response = await fetch(new URL(path, target));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };
  const nodes = await get('/_nodes/_local?filter_path=cluster_name,nodes.*.name,nodes.*.version,nodes.*.build_flavor,nodes.*.build_type,nodes.*.build_hash');
  const state = await get('/_cluster/state/metadata?filter_path=metadata.cluster_uuid');
  const node = Object.values(nodes.nodes)[0];
  return {
    name: node.name,
    cluster_name: nodes.cluster_name,
    cluster_uuid: state.metadata.cluster_uuid,
    version: {
      number: node.version,
      build_flavor: node.build_flavor,
      build_type: node.build_type,
      build_hash: node.build_hash,
      build_snapshot: false,
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

/** Starts the proxy; resolves with its URL and a close function. */
export async function startRootProxy(target, port = 0) {
  const upstream = new URL(target);
  const body = Buffer.from(`${JSON.stringify(await rootAnswer(target), null, 2)}\n`);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((incoming, outgoing) => {
    if ((incoming.method === 'GET' || incoming.method === 'HEAD') && (incoming.url === '/' || incoming.url?.startsWith('/?'))) {
      outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-elastic-product': 'Elasticsearch' });
      outgoing.end(incoming.method === 'HEAD' ? undefined : body);
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(String(error));
    });
    incoming.pipe(forwarded);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [target, port] = process.argv.slice(2);
  const proxy = await startRootProxy(target, Number(port ?? 0));
  process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`);
  process.on('SIGTERM', () => proxy.close().then(() => process.exit(0)));
}
