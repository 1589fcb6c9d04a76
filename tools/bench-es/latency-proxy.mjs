// A TCP proxy that adds a round-trip time between a client and Elasticsearch, as a remote
// cluster has: every chunk is held rtt/2 on its way in and rtt/2 on its way out (order kept:
// timers of the same delay fire in the order they were set). Bandwidth is not limited.
// Usage: node latency-proxy.mjs <target host:port> <rtt ms>; prints {"url": "http://127.0.0.1:<port>"}.
import { connect, createServer } from 'node:net';

const [target, rttText] = process.argv.slice(2);
const [host, port] = target.split(':');
const half = Number(rttText) / 2;

/** Forwards `from`'s data to `to`, each chunk `half` ms later; ends `to` once `from` ended and everything was sent. */
function delayed(from, to) {
  let pending = 0;
  let ended = false;
  from.on('data', (chunk) => {
    pending += 1;
    setTimeout(() => {
      pending -= 1;
      if (!to.destroyed) to.write(chunk);
      if (ended && pending === 0) to.end();
    }, half);
  });
  from.on('end', () => {
    ended = true;
    if (pending === 0) setTimeout(() => to.end(), half);
  });
}

const server = createServer((client) => {
  client.setNoDelay(true);
  const upstream = connect({ host, port: Number(port) }, () => upstream.setNoDelay(true));
  delayed(client, upstream);
  delayed(upstream, client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`));
process.on('SIGTERM', () => process.exit(0));
