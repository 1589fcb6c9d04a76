#!/usr/bin/env node
// @ts-check
// Shell entry of the launcher: `node tools/elasticsearch/cli.mjs start|stop|status [--cluster] [--name N] [--port P] [--fresh]`.
import { parseArgs } from 'node:util';
import { nodeSetStatus, startNodeSet, stopNodeSet } from './node-set.mjs';

const usage = `Usage: es <start|stop|status> [--cluster] [--name NAME] [--port HTTP_PORT] [--fresh] [--heap 512m]
  start    start a single node (or a 3-node cluster with --cluster) on loopback; reuses a running one
  stop     stop the nodes of the set and remove their data
  status   print the set's state and cluster health as JSON
Defaults: name "dev" (single node, port 9200) or "cluster" (--cluster, ports 9201-9203).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    cluster: { type: 'boolean', default: false },
    name: { type: 'string' },
    port: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    heap: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const [command] = positionals;
const name = values.name ?? (values.cluster ? 'cluster' : 'dev');
const log = (/** @type {string} */ line) => console.error(`[es] ${line}`);

try {
  if (values.help || !command) {
    console.log(usage);
    process.exit(command || values.help ? 0 : 2);
  } else if (command === 'start') {
    const state = await startNodeSet({
      name,
      nodes: values.cluster ? 3 : 1,
      httpPort: Number(values.port ?? (values.cluster ? 9201 : 9200)),
      fresh: values.fresh,
      heap: values.heap,
      log,
    });
    const health = await (await fetch(`${state.url}/_cluster/health`)).json();
    console.log(
      JSON.stringify({
        name: state.name,
        version: state.version,
        urls: state.urls,
        repoPath: state.repoPath,
        status: health.status,
        nodes: health.number_of_nodes,
        reused: state.reused,
        downloaded: state.downloaded,
      }),
    );
  } else if (command === 'stop') {
    await stopNodeSet(name, { log });
  } else if (command === 'status') {
    const status = await nodeSetStatus(name);
    console.log(JSON.stringify(status, null, 2));
    process.exit(status.running ? 0 : 1);
  } else {
    console.error(`Unknown command "${command}".\n${usage}`);
    process.exit(2);
  }
} catch (error) {
  console.error(`[es] ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}
