// A loopback HTTP proxy placed in front of a real Elasticsearch node, answering some
// requests itself with 429 or 503 (as an overloaded cluster does) and forwarding the rest.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  /** Which requests the rule may fault, e.g. /_bulk/. */
  path: RegExp;
  status: 429 | 503;
  /** Fault the first `times` matching requests (Infinity: all of them). */
  times: number;
}

export interface FaultProxy {
  url: string;
  /** Requests answered with a fault, per status. */
  injected: Record<number, number>;
  forwarded: number;
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rules: Array<FaultRule & { used: number }> = [];
  const proxy: FaultProxy = {
    url: '',
    injected: {},
    forwarded: 0,
    setRules(next) {
      rules = next.map((rule) => ({ ...rule, used: 0 }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const rule = rules.find((candidate) => candidate.path.test(incoming.url ?? '') && candidate.used < candidate.times);
    if (rule) {
      rule.used += 1;
      proxy.injected[rule.status] = (proxy.injected[rule.status] ?? 0) + 1;
      incoming.resume();
      const type = rule.status === 429 ? 'es_rejected_execution_exception' : 'cluster_block_exception';
      outgoing.writeHead(rule.status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      outgoing.end(JSON.stringify({ error: { type, reason: `injected ${rule.status} by the reliability suite` }, status: rule.status }));
      return;
    }
    proxy.forwarded += 1;
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
