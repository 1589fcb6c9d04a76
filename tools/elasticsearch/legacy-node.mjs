// @ts-check
// Starts one legacy Elasticsearch node (1.7 to 7.17) for A4C's own data: each major takes
// its settings its own way (versions.mjs), and the 1.x/2.x start script backgrounds the
// JVM itself, so the node counts as started once its pid file is there and it answers.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { appendFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { makeTraversable } from './distribution.mjs';
import { javaOptionsFor, withJavaOptions } from './java-options.mjs';
import { assertRunning, NODE_USER, runsAsRoot, stopNodeSet, waitForHealth } from './node-set.mjs';

const run = promisify(execFile);

/**
 * @param {{
 *   name: string, folder: string, repoPath: string, httpPort: number, transportPort: number, clusterName: string,
 *   profile: import('./versions.mjs').VersionProfile, distribution: { home: string, version: string, downloaded: boolean },
 *   java: string, options: import('./node-set.mjs').StartOptions, timeoutMs: number, log: (line: string) => void,
 *   stillStarting: () => Promise<void>,
 * }} start
 * @returns {Promise<import('./node-set.mjs').NodeSetState & { reused: boolean, downloaded: boolean }>}
 */
export async function startLegacyNode(start) {
  const { name, folder, repoPath, httpPort, transportPort, clusterName, profile, distribution, java, options, log } = start;
  const node = { name: `${name}-0`, httpPort, transportPort, home: join(folder, 'node-0') };
  const config = join(node.home, 'config');
  const tmp = join(node.home, 'tmp');
  for (const sub of ['data', 'logs', 'tmp']) await mkdir(join(node.home, sub), { recursive: true });
  const settings = {
    'cluster.name': clusterName,
    'node.name': node.name,
    'path.data': join(node.home, 'data'),
    'path.logs': join(node.home, 'logs'),
    'path.repo': [repoPath],
    ...profile.nodeSettings(node),
    ...options.settings,
  };
  const present = Object.entries(settings).filter(([, value]) => value !== undefined);
  /** @type {string[]} */
  let settingArguments = [];
  if (profile.settingsStyle === 'config-folder') {
    // 6.x+ write into their config folder (the keystore), so each node gets its own copy.
    await cp(join(distribution.home, 'config'), config, { recursive: true });
    const yaml = present.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join('\n');
    await appendFile(join(config, 'elasticsearch.yml'), `\n# written by tools/elasticsearch\n${yaml}\n`);
    // jvm.options points GC logs, error files and heap dumps into the distribution (logs/, data),
    // which the node user may not write: point them into the node's own folder.
    const jvmOptions = join(config, 'jvm.options');
    if (existsSync(jvmOptions)) {
      const text = await readFile(jvmOptions, 'utf8');
      await writeFile(
        jvmOptions,
        text.replace(/(file=|ErrorFile=)logs\//g, `$1${join(node.home, 'logs')}/`).replace(/HeapDumpPath=data\b/g, `HeapDumpPath=${join(node.home, 'data')}`),
      );
    }
  } else {
    const flag = profile.settingsStyle === 'system-properties' ? '-Des.' : '-E';
    settingArguments = present.map(([key, value]) => `${flag}${key}=${Array.isArray(value) ? value.join(',') : value}`);
  }
  if (runsAsRoot()) await run('chown', ['-R', `${NODE_USER}:`, folder]);
  await makeTraversable(folder);

  const heap = options.heap ?? profile.defaultHeap;
  log(`starting node "${name}" (Elasticsearch ${distribution.version}, cluster "${clusterName}", heap ${heap})`);
  const pidFile = join(node.home, 'pid');
  const environment = withJavaOptions(profile.environment({ java, heap, config, tmp }), javaOptionsFor(options.javaOptions));
  const command = [join(distribution.home, 'bin', 'elasticsearch'), '-d', '-p', pidFile, ...settingArguments];
  const [file, ...args] = runsAsRoot() ? ['runuser', '-u', NODE_USER, '--', 'env', ...environment, ...command] : ['env', ...environment, ...command];
  // The 1.x/2.x script leaves the JVM holding its stdout: a file (not a pipe) keeps this process free to exit.
  const startupLog = join(node.home, 'startup.log');
  const output = openSync(startupLog, 'w');
  try {
    await new Promise((resolve, reject) => {
      const child = spawn(/** @type {string} */ (file), args, { cwd: node.home, stdio: ['ignore', output, output] });
      child.on('error', reject);
      child.on('exit', async (code) =>
        code === 0 ? resolve(undefined) : reject(new Error(`Elasticsearch node ${node.name} did not start (exit ${code}):\n${await tail(startupLog)}`)),
      );
    });
  } finally {
    closeSync(output);
  }

  const url = `http://127.0.0.1:${httpPort}`;
  /** @type {import('./node-set.mjs').NodeSetState} */
  let state;
  try {
    const pid = await waitForPidFile(pidFile, start.timeoutMs, start.stillStarting);
    state = { name, version: distribution.version, clusterName, url, urls: [url], repoPath, security: false, nodes: [{ ...node, pid }] };
    const check = async () => {
      await start.stillStarting();
      await assertRunning([pid], `Elasticsearch ${distribution.version} node ${node.name}`);
    };
    await waitForHealth(url, { nodes: 1, status: 'yellow', timeoutMs: start.timeoutMs, check });
  } catch (error) {
    const logs = `${await tail(join(node.home, 'logs', `${clusterName}.log`))}\n${await tail(startupLog)}`;
    await stopNodeSet(name, { log });
    throw new Error(`${/** @type {Error} */ (error).message}\nLast lines of the node's logs:\n${logs}`);
  }
  // Ready: the state file now names the pid, and the start's mark goes.
  await start.stillStarting();
  await writeFile(join(folder, 'state.json'), JSON.stringify(state, null, 2));
  log(`node set "${name}" ready at ${url}`);
  return { ...state, reused: false, downloaded: distribution.downloaded };
}

/** @param {string} pidFile @param {number} timeoutMs @param {() => Promise<void>} stillStarting */
async function waitForPidFile(pidFile, timeoutMs, stillStarting) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await stillStarting();
    const text = existsSync(pidFile) ? (await readFile(pidFile, 'utf8')).trim() : '';
    if (/^\d+$/.test(text)) return Number(text);
    await sleep(200);
  }
  throw new Error(`The node wrote no pid file (${pidFile}) in time.`);
}

/** @param {string} file */
async function tail(file) {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-40).join('\n');
  } catch {
    return `(no ${file})`;
  }
}
