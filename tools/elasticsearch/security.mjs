// @ts-check
// Security for a node set: a throw-away CA and node certificate made with openssl, the
// `elastic` password put in each node's keystore as bootstrap.password, and a health
// wait that speaks TLS with that CA and basic auth (fetch cannot take a private CA).
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * @typedef {{ password: string, tls?: boolean }} SecurityOptions
 * @typedef {{ caFile: string, caFingerprint: string, certificateFile: string, keyFile: string }} CertificateSet
 */

/**
 * Makes a CA and one node certificate for 127.0.0.1/localhost under `folder`. The node
 * certificate file holds the chain (node then CA), as Elasticsearch's own auto-configuration
 * does, so that clients pinning the CA by fingerprint find it in what the server sends.
 * @param {string} folder
 * @returns {Promise<CertificateSet>}
 */
export async function createCertificates(folder) {
  await mkdir(folder, { recursive: true });
  const caKey = join(folder, 'ca.key');
  const caFile = join(folder, 'ca.crt');
  const keyFile = join(folder, 'node.key');
  const request_ = join(folder, 'node.csr');
  const leaf = join(folder, 'node-only.crt');
  const certificateFile = join(folder, 'node.crt');
  const extensions = join(folder, 'node.ext');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '30', '-subj', '/CN=a4c-admin test CA']);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', request_, '-subj', '/CN=localhost']);
  await writeFile(extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    request_,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    leaf,
    '-days',
    '30',
    '-extfile',
    extensions,
  ]);
  await writeFile(certificateFile, `${await readFile(leaf, 'utf8')}${await readFile(caFile, 'utf8')}`);
  const caFingerprint = new X509Certificate(await readFile(caFile)).fingerprint256;
  return { caFile, caFingerprint, certificateFile, keyFile };
}

/**
 * elasticsearch.yml settings turning on security, with TLS on HTTP and transport when asked.
 * Paths are relative to the node's config folder, where the certificates are copied.
 * @param {SecurityOptions} security
 */
export function securitySettings(security) {
  const tls = security.tls !== false;
  return {
    'xpack.security.enabled': true,
    'xpack.security.authc.api_key.enabled': true,
    'xpack.security.http.ssl.enabled': tls,
    ...(tls
      ? {
          'xpack.security.http.ssl.key': 'certs/node.key',
          'xpack.security.http.ssl.certificate': 'certs/node.crt',
          'xpack.security.http.ssl.certificate_authorities': ['certs/ca.crt'],
        }
      : {}),
    // Security on a multi-node cluster requires TLS between nodes.
    'xpack.security.transport.ssl.enabled': true,
    'xpack.security.transport.ssl.verification_mode': 'certificate',
    'xpack.security.transport.ssl.key': 'certs/node.key',
    'xpack.security.transport.ssl.certificate': 'certs/node.crt',
    'xpack.security.transport.ssl.certificate_authorities': ['certs/ca.crt'],
  };
}

/**
 * Creates the node's keystore with the `elastic` password (bootstrap.password), through
 * the distribution's own elasticsearch-keystore tool.
 * @param {{ distributionHome: string, configFolder: string, java: string, password: string }} options
 */
export async function writeBootstrapPassword(options) {
  const tool = join(options.distributionHome, 'bin', 'elasticsearch-keystore');
  const environment = { ...process.env, ES_JAVA_HOME: options.java, ES_PATH_CONF: options.configFolder };
  await run(tool, ['create'], { env: environment });
  await new Promise((resolve, reject) => {
    const child = execFile(tool, ['add', '-x', '-f', 'bootstrap.password'], { env: environment }, (error) => (error ? reject(error) : resolve(undefined)));
    child.stdin?.end(options.password);
  });
}

/**
 * GET over https with a private CA and basic auth; resolves with the status and parsed body.
 * @param {string} url @param {{ ca?: Buffer, username?: string, password?: string, timeoutMs?: number }} options
 * @returns {Promise<{ status: number, body: any }>}
 */
export function secureGet(url, options) {
  return new Promise((resolve, reject) => {
    const headers = options.username ? { authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}` } : {};
    const outgoing = request(url, { method: 'GET', ca: options.ca, headers, timeout: options.timeoutMs ?? 5000 }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: response.statusCode ?? 0, body: text });
        }
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * waitForHealth for a secured set: https with the set's CA, as the `elastic` user.
 * @param {string} url @param {{ nodes: number, status: 'yellow' | 'green', timeoutMs: number, caFile?: string, password: string, check?: () => Promise<void> }} wanted
 */
export async function waitForSecureHealth(url, wanted) {
  const ca = wanted.caFile ? await readFile(wanted.caFile) : undefined;
  const deadline = Date.now() + wanted.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    await wanted.check?.();
    try {
      const { status, body } = await secureGet(`${url}/_cluster/health?wait_for_status=${wanted.status}&wait_for_nodes=${wanted.nodes}&timeout=1s`, {
        ca,
        username: 'elastic',
        password: wanted.password,
      });
      last = JSON.stringify(body);
      if (status === 200 && !body.timed_out && body.number_of_nodes >= wanted.nodes) return body;
    } catch (error) {
      last = String(/** @type {Error} */ (error).message ?? error);
    }
    await sleep(500);
  }
  throw new Error(`Elasticsearch at ${url} did not reach ${wanted.status} with ${wanted.nodes} node(s) in time (with security): ${last}`);
}
