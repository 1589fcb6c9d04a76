// @ts-check
// Runs `weed mini` (SeaweedFS: master, volume, filer and S3 gateway in one process) on
// loopback as a detached process, with every port set explicitly (left to defaults, one admin
// port binds outside the chosen range) and its own s3.json credentials. State (pid, ports,
// credentials) is kept in a folder per name, so `stop` finds the process of `start`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ensureSeaweedfs } from './build.mjs';

/** Where the servers' data and state live; A4C_S3_RUN_HOME overrides it. */
export function serversHome() {
  return process.env.A4C_S3_RUN_HOME ?? '/var/tmp/a4c-admin-s3';
}

/**
 * @typedef {object} S3ServerState
 * @property {string} name
 * @property {number} pid
 * @property {number} port  the S3 port (the others are port+1 ... port+10)
 * @property {string} endpoint  http://127.0.0.1:port
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} dataDir
 * @property {string} logFile
 */

/** The ten other ports of one server, all at `port`+1 ... `port`+10. @param {number} port */
function portFlags(port) {
  return [
    `-s3.port=${port}`,
    `-s3.port.grpc=${port + 1}`,
    `-master.port=${port + 2}`,
    `-master.port.grpc=${port + 3}`,
    `-volume.port=${port + 4}`,
    `-volume.port.grpc=${port + 5}`,
    `-filer.port=${port + 6}`,
    `-filer.port.grpc=${port + 7}`,
    `-admin.port=${port + 8}`,
    `-admin.port.grpc=${port + 9}`,
    '-admin.port.legacy=0',
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
  ];
}

/** @param {string} name */
function stateFile(name) {
  return join(serversHome(), name, 'state.json');
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} endpoint @param {number} timeoutMs */
async function waitReady(endpoint, timeoutMs, /** @type {number} */ pid) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return false;
    const ok = await fetch(`${endpoint}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/**
 * The state of the server `name` when it runs, else undefined.
 * @param {string} name @returns {Promise<S3ServerState | undefined>}
 */
export async function s3ServerStatus(name) {
  const state = await readFile(stateFile(name), 'utf8').then(
    (text) => /** @type {S3ServerState} */ (JSON.parse(text)),
    () => undefined,
  );
  return state && alive(state.pid) ? state : undefined;
}

/**
 * Starts (or reuses, when it runs) the server `name` with its S3 port `port`, building the
 * binary first when needed, and creates `buckets`.
 * @param {{ name: string, port: number, buckets?: string[], fresh?: boolean, log?: (line: string) => void }} options
 * @returns {Promise<S3ServerState>}
 */
export async function startS3Server(options) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const running = await s3ServerStatus(options.name);
  if (running && running.port === options.port && !options.fresh) {
    await createBuckets(running, options.buckets ?? []);
    return running;
  }
  if (running) await stopS3Server(options.name, { log });
  const { binary } = await ensureSeaweedfs({ log });
  const home = join(serversHome(), options.name);
  const dataDir = join(home, 'data');
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  // Own credentials per server; kept in its state file (mode 0600) for the tests and the CLI.
  const accessKeyId = `a4c${randomBytes(8).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  const s3Config = join(home, 's3.json');
  const identity = {
    name: 'a4c-admin',
    credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
    actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'],
  };
  await writeFile(s3Config, JSON.stringify({ identities: [identity] }), { mode: 0o600 });
  const logFile = join(home, 'weed.log');
  const output = openSync(logFile, 'a');
  const child = spawn(
    binary,
    [
      'mini',
      `-dir=${dataDir}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-s3.config=${s3Config}`,
      ...portFlags(options.port),
      '-admin.ui=false',
      '-webdav=false',
    ],
    { detached: true, stdio: ['ignore', output, output] },
  );
  child.unref();
  const pid = /** @type {number} */ (child.pid);
  const endpoint = `http://127.0.0.1:${options.port}`;
  /** @type {S3ServerState} */
  const state = { name: options.name, pid, port: options.port, endpoint, accessKeyId, secretAccessKey, dataDir, logFile };
  await writeFile(stateFile(options.name), JSON.stringify(state), { mode: 0o600 });
  if (!(await waitReady(endpoint, 60_000, pid))) {
    await stopS3Server(options.name, { log });
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
    throw new Error(
      `SeaweedFS "${options.name}" did not answer ${endpoint}/healthz within 60 s (ports ${options.port}-${options.port + 9} free?). Its log ${logFile} ends with:\n${tail}`,
    );
  }
  log(`SeaweedFS "${options.name}" ready at ${endpoint} (pid ${pid}, data ${dataDir})`);
  await createBuckets(state, options.buckets ?? []);
  return state;
}

/** @param {S3ServerState} state @param {string[]} buckets */
async function createBuckets(state, buckets) {
  if (buckets.length === 0) return;
  const client = s3ClientFor(state);
  for (const bucket of buckets) {
    await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error) => {
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(error?.name)) throw error;
    });
  }
  client.destroy();
}

/** An S3 client with the server's own credentials (for the tests' own look at the store). @param {S3ServerState} state */
export function s3ClientFor(state) {
  return new S3Client({
    endpoint: state.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: state.accessKeyId, secretAccessKey: state.secretAccessKey },
  });
}

/**
 * Stops the server `name`: SIGTERM, then SIGKILL after `graceMs` (30 s: a stop right after large
 * uploads once took 26 s). With `kill: true`, SIGKILL at once (the fault tests' crash).
 * Its data is kept unless `removeData`.
 * @param {string} name @param {{ kill?: boolean, graceMs?: number, removeData?: boolean, log?: (line: string) => void }} [options]
 */
export async function stopS3Server(name, options = {}) {
  const state = await readFile(stateFile(name), 'utf8').then(
    (text) => /** @type {S3ServerState} */ (JSON.parse(text)),
    () => undefined,
  );
  if (state && alive(state.pid)) {
    const signalGroup = (/** @type {NodeJS.Signals} */ signal) => {
      try {
        process.kill(-state.pid, signal);
      } catch {
        try {
          process.kill(state.pid, signal);
        } catch {}
      }
    };
    signalGroup(options.kill ? 'SIGKILL' : 'SIGTERM');
    const deadline = Date.now() + (options.graceMs ?? 30_000);
    while (alive(state.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (alive(state.pid)) {
      options.log?.(`SeaweedFS "${name}" did not stop on SIGTERM: SIGKILL`);
      signalGroup('SIGKILL');
      while (alive(state.pid)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (options.removeData && existsSync(join(serversHome(), name))) await rm(join(serversHome(), name), { recursive: true, force: true });
}

/**
 * Starts the server `name` again on its port with its data and credentials (after a stop or a
 * crash), as an operator restarting the store would.
 * @param {string} name @param {{ log?: (line: string) => void }} [options]
 */
export async function restartS3Server(name, options = {}) {
  const state = /** @type {S3ServerState} */ (JSON.parse(await readFile(stateFile(name), 'utf8')));
  if (alive(state.pid)) return state;
  const { binary } = await ensureSeaweedfs(options);
  const home = join(serversHome(), name);
  const output = openSync(state.logFile, 'a');
  const child = spawn(
    binary,
    [
      'mini',
      `-dir=${state.dataDir}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-s3.config=${join(home, 's3.json')}`,
      ...portFlags(state.port),
      '-admin.ui=false',
      '-webdav=false',
    ],
    { detached: true, stdio: ['ignore', output, output] },
  );
  child.unref();
  const restarted = { ...state, pid: /** @type {number} */ (child.pid) };
  await writeFile(stateFile(name), JSON.stringify(restarted), { mode: 0o600 });
  if (!(await waitReady(state.endpoint, 60_000, restarted.pid))) throw new Error(`SeaweedFS "${name}" did not come back at ${state.endpoint}`);
  return restarted;
}
