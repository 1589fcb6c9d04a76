#!/usr/bin/env node
// @ts-check
// Shell entry of the launcher: `node tools/elasticsearch/cli.mjs start|stop|status [--cluster] [--name N] [--port P] [--fresh]
// [--version V] [--cluster-name C]`.
import { parseArgs } from 'node:util';
import { DEFAULT_VERSION } from './distribution.mjs';
import { nodeSetStatus, startNodeSet, stopNodeSet } from './node-set.mjs';
import { A4C_LEGACY_CLUSTER_NAME, LEGACY_VERSIONS } from './versions.mjs';

const usage = `Usage: es <start|stop|status> [--cluster] [--name NAME] [--port HTTP_PORT] [--fresh] [--heap 512m]
                           [--version VERSION] [--cluster-name CLUSTER]
  start    start a single node (or a 3-node cluster with --cluster) on loopback; reuses a running one
  stop     stop the nodes of the set and remove their data
  status   print the set's state and cluster health as JSON
Defaults: name "dev" (single node, port 9200) or "cluster" (--cluster, ports 9201-9203).
  --version       Elasticsearch version (default ${DEFAULT_VERSION}, or A4C_ES_VERSION); legacy single
                  nodes for A4C's own data: ${LEGACY_VERSIONS.join(', ')}
  --cluster-name  cluster name (default "a4c-NAME" on 8.x, "${A4C_LEGACY_CLUSTER_NAME}" (A4C's) on legacy versions)
Environment: A4C_ES_JAVA_OPTS adds JVM options to the nodes it starts (the test suite sets
  -XX:TieredStopAtLevel=1 for its short-lived nodes; keep the default JIT for benchmarks).
  A4C_ES_HOME (default /var/tmp/a4c-admin-es) holds the unpacked distributions and the nodes;
  A4C_ES_NODES_HOME moves the nodes' folders elsewhere (the test suite: /dev/shm when it can).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    cluster: { type: 'boolean', default: false },
    name: { type: 'string' },
    port: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    heap: { type: 'string' },
    version: { type: 'string' },
    'cluster-name': { type: 'string' },
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
      version: values.version,
      clusterName: values['cluster-name'],
      log,
    });
    const health = await (await fetch(`${state.url}/_cluster/health`)).json();
    console.log(
      JSON.stringify({
        name: state.name,
        version: state.version,
        clusterName: state.clusterName,
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
