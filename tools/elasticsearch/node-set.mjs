// @ts-check
// Starts, stops and reports a named set of real Elasticsearch nodes on loopback: one
// single-node cluster, or a 3-node cluster sharing one path.repo folder (8.x); or one
// legacy node (1.7 to 7.17, see versions.mjs) for A4C's own Elasticsearch.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DEFAULT_VERSION, ensureDistribution, javaHome, makeTraversable, nodesHome } from './distribution.mjs';
import { javaOptionsFor, withJavaOptions } from './java-options.mjs';
import { startLegacyNode } from './legacy-node.mjs';
import { createCertificates, securitySettings, waitForSecureHealth, writeBootstrapPassword } from './security.mjs';
import { ensureSecurityAnalysisPlugin } from './security-plugin.mjs';
import { isAlive, stopProcessesUnder } from './set-processes.mjs';
import { versionProfile } from './versions.mjs';

const run = promisify(execFile);

/** The system user that runs the nodes when we are root (Elasticsearch refuses root). */
export const NODE_USER = 'a4c-es';

/**
 * @typedef {{ name: string, httpPort: number, transportPort: number, pid?: number, home: string }} NodeRecord
 * @typedef {{ name: string, version: string, clusterName?: string, url: string, urls: string[], repoPath: string, nodes: NodeRecord[], security: boolean, caFile?: string, caFingerprint?: string }} NodeSetState
 * @typedef {{
 *   name?: string, nodes?: number, httpPort?: number, transportPort?: number, heap?: string,
 *   fresh?: boolean, version?: string, clusterName?: string, settings?: Record<string, unknown>, log?: (line: string) => void,
 *   timeoutMs?: number, security?: import('./security.mjs').SecurityOptions,
 *   javaOptions?: readonly string[]
 * }} StartOptions
 */

function setFolder(/** @type {string} */ name) {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`Node set name "${name}" must be lower-case letters, digits and dashes.`);
  return join(nodesHome(), name);
}

/** @param {string} name @returns {Promise<NodeSetState | undefined>} */
export async function readState(name) {
  const file = join(setFolder(name), 'state.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8'));
}

/** Elasticsearch refuses root: as root, the nodes run as NODE_USER. */
export const runsAsRoot = () => process.getuid?.() === 0;

async function ensureNodeUser() {
  if (!runsAsRoot()) return;
  try {
    await run('id', [NODE_USER]);
  } catch {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', NODE_USER]);
  }
}

/**
 * Asks the cluster for its health until it reports the wanted status and node count. `check`
 * runs between two questions and throws to give up early (a node that died, a set stopped
 * from outside): a start waits for readiness, not for a fixed budget.
 * @param {string} url @param {{ nodes: number, status: 'yellow' | 'green', timeoutMs: number, headers?: Record<string, string>, check?: () => Promise<void> }} wanted
 */
export async function waitForHealth(url, wanted) {
  const deadline = Date.now() + wanted.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    await wanted.check?.();
    try {
      const response = await fetch(`${url}/_cluster/health?wait_for_status=${wanted.status}&wait_for_nodes=${wanted.nodes}&timeout=1s`, {
        headers: wanted.headers,
        signal: AbortSignal.timeout(5000),
      });
      const body = await response.json();
      last = JSON.stringify(body);
      if (response.ok && !body.timed_out && body.number_of_nodes >= wanted.nodes) return body;
    } catch (error) {
      last = String(/** @type {Error} */ (error).cause ?? error);
    }
    await sleep(500);
  }
  throw new Error(`Elasticsearch at ${url} did not reach ${wanted.status} with ${wanted.nodes} node(s) in time: ${last}`);
}

/**
 * How long a start waits for its nodes to answer while they run: long, because a loaded
 * machine takes minutes (a secured 3-node set took more than 4 at load 20), and a node that
 * dies or a set stopped from outside ends the wait at once anyway.
 */
export const DEFAULT_READINESS_TIMEOUT_MS = 15 * 60_000;

/**
 * The mark of a start under way: the state file names the start and its nodes before any
 * node runs, so that `stopNodeSet` from elsewhere (a test's afterAll after its beforeAll timed
 * out, a Ctrl-C) finds the set, and the start, seeing its mark gone, stops what it launched.
 * @param {string} folder @param {string} startId
 */
export async function assertStillStarting(folder, startId) {
  const state = await readFile(join(folder, 'state.json'), 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => undefined);
  if (state?.starting === startId) return;
  await stopProcessesUnder(folder);
  throw new Error(`The start of node set "${folder.split('/').pop()}" was stopped from outside: its nodes are stopped.`);
}

/**
 * Fails the wait when one of the pids no longer runs: a node that died while starting
 * (a port taken, a bad setting) fails the start at once.
 * @param {number[]} pids @param {string} what
 */
export async function assertRunning(pids, what) {
  if (pids.every(isAlive)) return;
  throw new Error(`${what} exited while starting.`);
}

/**
 * Starts the named node set, or reuses it when it already runs and answers.
 * @param {StartOptions} [options]
 * @returns {Promise<NodeSetState & { reused: boolean, downloaded: boolean }>}
 */
export async function startNodeSet(options = {}) {
  const name = options.name ?? 'dev';
  const count = options.nodes ?? 1;
  const httpPort = options.httpPort ?? 9200;
  const transportPort = options.transportPort ?? httpPort + 100;
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  const folder = setFolder(name);
  const version = options.version ?? process.env.A4C_ES_VERSION ?? DEFAULT_VERSION;
  const profile = versionProfile(version);
  const clusterName = options.clusterName ?? profile.defaultClusterName(name);
  if (profile.legacy && count !== 1) throw new Error(`Elasticsearch ${version} runs as a single node here: drop --cluster (3-node sets are 8.x only).`);
  if (profile.legacy && options.security) throw new Error(`Elasticsearch ${version} runs without security here: security is 8.x only.`);

  const existing = await readState(name);
  if (existing?.nodes.every((node) => isAlive(node.pid))) {
    const sameKind = existing.version === version && (existing.clusterName ?? `a4c-${name}`) === clusterName;
    if (!sameKind && !options.fresh) {
      throw new Error(
        `Node set "${name}" already runs Elasticsearch ${existing.version} (cluster "${existing.clusterName ?? `a4c-${name}`}"), ` +
          `not ${version} (cluster "${clusterName}"). Stop it first, start with --fresh to replace it, or choose another --name.`,
      );
    }
    if (options.fresh) {
      await stopNodeSet(name, { log });
    } else {
      if (existing.security && options.security) {
        await waitForSecureHealth(existing.url, {
          nodes: existing.nodes.length,
          status: 'yellow',
          timeoutMs: 30_000,
          caFile: existing.caFile,
          password: options.security.password,
        });
      } else {
        await waitForHealth(existing.url, { nodes: existing.nodes.length, status: 'yellow', timeoutMs: 30_000 });
      }
      log(`node set "${name}" already runs at ${existing.urls.join(', ')}`);
      return { ...existing, reused: true, downloaded: false };
    }
  } else if (existing) {
    // A set whose processes are gone (machine restarted, node crashed): clean up what is left.
    await stopNodeSet(name, { log });
  }

  const distribution = await ensureDistribution({ version, log });
  await ensureNodeUser();
  const java = await javaHome();
  // With security, API keys and native users live in the .security index, which the
  // integ-test distribution can only create with our analysis plugin installed.
  if (options.security) await ensureSecurityAnalysisPlugin({ distributionHome: distribution.home, version: distribution.version, java, log });
  if (options.fresh) await rm(folder, { recursive: true, force: true });
  const repoPath = join(folder, 'repo');
  await mkdir(repoPath, { recursive: true });

  const nodes = Array.from({ length: count }, (_, index) => ({
    name: `${name}-${index}`,
    httpPort: httpPort + index,
    transportPort: transportPort + index,
    home: join(folder, `node-${index}`),
  }));
  const startId = randomUUID();
  await writeFile(join(folder, 'state.json'), JSON.stringify({ name, version: distribution.version, clusterName, starting: startId, nodes }, null, 2));
  const stillStarting = () => assertStillStarting(folder, startId);
  if (profile.legacy)
    return startLegacyNode({
      name,
      folder,
      repoPath,
      httpPort,
      transportPort,
      clusterName,
      profile,
      distribution,
      java,
      options,
      timeoutMs,
      log,
      stillStarting,
    });
  const settings = {
    'cluster.name': clusterName,
    'network.host': '127.0.0.1',
    'path.repo': [repoPath],
    'xpack.security.enabled': false,
    'action.destructive_requires_name': false,
    // Disks here are sometimes nearly full; the watermarks would turn indices read-only.
    'cluster.routing.allocation.disk.threshold_enabled': false,
    ...(options.security ? securitySettings(options.security) : {}),
    ...options.settings,
  };
  // One CA and one certificate (for 127.0.0.1) serve every node of the set.
  const certificates = options.security ? await createCertificates(join(folder, 'certs')) : undefined;
  const tls = Boolean(options.security && options.security.tls !== false);

  await Promise.all(
    nodes.map(async (node) => {
      const config = join(node.home, 'config');
      await mkdir(node.home, { recursive: true });
      await rm(config, { recursive: true, force: true });
      await cp(join(distribution.home, 'config'), config, { recursive: true });
      for (const sub of ['data', 'logs', 'tmp']) await mkdir(join(node.home, sub), { recursive: true });
      const nodeSettings = {
        ...settings,
        'node.name': node.name,
        'http.port': node.httpPort,
        'transport.port': node.transportPort,
        'path.data': join(node.home, 'data'),
        'path.logs': join(node.home, 'logs'),
        ...(count === 1
          ? { 'discovery.type': 'single-node' }
          : {
              'discovery.seed_hosts': nodes.map((other) => `127.0.0.1:${other.transportPort}`),
              'cluster.initial_master_nodes': nodes.map((other) => other.name),
            }),
      };
      const yaml = Object.entries(nodeSettings)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
        .join('\n');
      await appendFile(join(config, 'elasticsearch.yml'), `\n# written by tools/elasticsearch\n${yaml}\n`);
      if (certificates && options.security) {
        await mkdir(join(config, 'certs'), { recursive: true });
        for (const file of [certificates.caFile, certificates.certificateFile, certificates.keyFile]) {
          await cp(file, join(config, 'certs', file.split('/').pop() ?? ''));
        }
        await writeBootstrapPassword({ distributionHome: distribution.home, configFolder: config, java, password: options.security.password });
      }
    }),
  );
  if (runsAsRoot()) await run('chown', ['-R', `${NODE_USER}:`, folder]);
  await makeTraversable(folder);

  log(`starting ${count} node(s) of "${name}" (Elasticsearch ${distribution.version}, heap ${options.heap ?? '512m'})`);
  const javaOptions = javaOptionsFor(options.javaOptions);
  const starts = await Promise.allSettled(nodes.map((node) => startNode(distribution.home, node, java, options.heap ?? '512m', javaOptions)));
  await stillStarting();
  const failedStart = starts.find((start) => start.status === 'rejected');
  if (failedStart) {
    // The nodes of the set that did start would run on with nobody to stop them: stop them
    // before reporting the failure.
    await stopNodeSet(name, { log });
    throw failedStart.reason;
  }
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${httpPort}`;
  /** @type {NodeSetState} */
  const state = {
    name,
    version: distribution.version,
    clusterName,
    url,
    urls: nodes.map((node) => `${scheme}://127.0.0.1:${node.httpPort}`),
    repoPath,
    security: settings['xpack.security.enabled'] === true,
    ...(certificates ? { caFile: certificates.caFile, caFingerprint: certificates.caFingerprint } : {}),
    nodes: await Promise.all(nodes.map(async (node) => ({ ...node, pid: Number((await readFile(join(node.home, 'pid'), 'utf8')).trim()) }))),
  };
  const pids = state.nodes.map((node) => /** @type {number} */ (node.pid));
  if (!state.security || options.security) {
    try {
      const check = async () => {
        await stillStarting();
        await assertRunning(pids, `A node of "${name}" (Elasticsearch ${distribution.version})`);
      };
      const wanted = { nodes: count, status: /** @type {'yellow' | 'green'} */ (count === 1 ? 'yellow' : 'green'), timeoutMs, check };
      if (options.security) await waitForSecureHealth(url, { ...wanted, caFile: certificates?.caFile, password: options.security.password });
      else await waitForHealth(url, wanted);
    } catch (error) {
      const tail = await logTail(nodes[0]?.home, clusterName);
      await stopNodeSet(name, { log });
      throw new Error(`${/** @type {Error} */ (error).message}\nLast lines of the node's log:\n${tail}`);
    }
  }
  // Ready: the state file now names the pids, and the start's mark goes.
  await stillStarting();
  await writeFile(join(folder, 'state.json'), JSON.stringify(state, null, 2));
  log(`node set "${name}" ready at ${state.urls.join(', ')}`);
  return { ...state, reused: false, downloaded: distribution.downloaded };
}

/**
 * Runs bin/elasticsearch -d, which returns once the node has started (or failed to).
 * @param {string} distributionHome @param {Omit<NodeRecord, 'pid'>} node @param {string} java @param {string} heap
 * @param {readonly string[]} javaOptions
 */
async function startNode(distributionHome, node, java, heap, javaOptions) {
  const environment = withJavaOptions(
    [`ES_JAVA_HOME=${java}`, `ES_PATH_CONF=${join(node.home, 'config')}`, `ES_TMPDIR=${join(node.home, 'tmp')}`, `ES_JAVA_OPTS=-Xms${heap} -Xmx${heap}`],
    javaOptions,
  );
  const pidFile = join(node.home, 'pid');
  const command = [join(distributionHome, 'bin', 'elasticsearch'), '-d', '-p', pidFile];
  const [file, ...args] = runsAsRoot() ? ['runuser', '-u', NODE_USER, '--', 'env', ...environment, ...command] : ['env', ...environment, ...command];
  await new Promise((resolve, reject) => {
    const child = spawn(/** @type {string} */ (file), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    const settle = (/** @type {() => void} */ outcome) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      outcome();
    };
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => settle(() => reject(error)));
    child.on('exit', (code) =>
      settle(() =>
        code === 0 ? resolve(undefined) : reject(new Error(`Elasticsearch node ${node.name} did not start (exit ${code}):\n${output.slice(-4000)}`)),
      ),
    );
    // The 8.x launcher (`-d`) exits once its server has closed its stderr, which on a loaded
    // machine was seen not to happen for 15 minutes after the server had started and answered.
    // A server that runs (its pid file) and listens on its HTTP port has started: go on, readiness
    // is then the cluster's health. The launcher, left running with its output still read, ends on
    // its own or with the set. (A server that fails to start never listens: its launcher's exit
    // status and output tell why, as before.)
    const watch = setInterval(async () => {
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      if (settled || !(pid > 0 && isAlive(pid)) || !(await listens(node.httpPort))) return;
      settle(() => resolve(undefined));
      child.unref();
      for (const stream of [child.stdout, child.stderr]) /** @type {any} */ (stream).unref?.();
    }, 1000);
  });
}

/** True when something accepts a TCP connection on 127.0.0.1:port. @param {number} port */
function listens(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    const done = (/** @type {boolean} */ answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** @param {string | undefined} home @param {string} clusterName */
async function logTail(home, clusterName) {
  if (!home) return '';
  try {
    const text = await readFile(join(home, 'logs', `${clusterName}.log`), 'utf8');
    return text.split('\n').slice(-40).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Stops every node of the set, and a start of it still under way: SIGTERM, then SIGKILL after
 * a grace period, for the recorded pids and every process running from the set's folder.
 * @param {string} name @param {{ log?: (line: string) => void, keepData?: boolean }} [options]
 */
export async function stopNodeSet(name, options = {}) {
  const log = options.log ?? (() => {});
  const folder = setFolder(name);
  const state = await readState(name).catch(() => undefined);
  if (!state && !existsSync(folder)) {
    log(`node set "${name}" is not running`);
    return false;
  }
  // The state file goes first: a start under way sees its mark gone and stops what it launches.
  await rm(join(folder, 'state.json'), { force: true });
  const stopped = await stopProcessesUnder(folder, state?.nodes.map((node) => node.pid) ?? []);
  if (!options.keepData) await rm(folder, { recursive: true, force: true });
  log(`node set "${name}" stopped (${stopped} process(es))`);
  return true;
}

/** @param {string} name */
export async function nodeSetStatus(name) {
  const state = await readState(name);
  if (!state) return { name, running: false };
  const alive = state.nodes.filter((node) => isAlive(node.pid)).length;
  let health;
  try {
    const response = await fetch(`${state.url}/_cluster/health`, { signal: AbortSignal.timeout(5000) });
    health = await response.json();
  } catch (error) {
    health = { error: String(error) };
  }
  return { name, running: alive === state.nodes.length, alive, ...state, health };
}
