// Tells whether Alien4Cloud is running: a restore or a migration under a live A4C would be
// overwritten by its caches, so the seed asks operators to stop it first. `alien4cloud.url`
// is not required (the seed's config never sets it), so A4C is also looked for where it
// says it listens (`server.port` / `server.address` in the alien4cloud yaml that
// `backup.config_files` lists) and at its default local address. Only "refused" on every
// candidate means stopped; a port that accepts but never answers, or an answer that is not
// clearly A4C's, is unknown, and unknown is never taken for stopped.
import { stat } from 'node:fs/promises';
import yaml from 'js-yaml';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import { readRegularTextFile } from '../read-regular-file.js';

/** A4C's own default (`server.port` in the alien4cloud-config.yml it ships). */
export const A4C_DEFAULT_URL = 'http://127.0.0.1:8088/';
const DEFAULT_TIMEOUT_MS = 3000;
/** Enough of a page to recognise A4C's UI or REST answer. */
const MAX_BODY_BYTES = 64 * 1024;

export type A4cState = 'running' | 'stopped' | 'unknown';

/** Where A4C might listen, and why we think so. */
export interface A4cCandidate {
  url: string;
  source: string;
}

export interface A4cProbe extends A4cCandidate {
  /** refused: nothing listens; a4c: answered as A4C; silent: accepted, no answer in time; other: an answer or failure that does not tell. */
  outcome: 'refused' | 'a4c' | 'silent' | 'other';
  detail: string;
}

export interface A4cLiveness {
  state: A4cState;
  /** One sentence for messages: what answered, or that nothing did. */
  detail: string;
  probes: A4cProbe[];
}

export interface LivenessResult {
  running: boolean;
  /** What answered (status) or why nothing did. */
  detail: string;
}

/** Probes every place A4C may listen, at once. */
export async function detectA4c(config: A4cAdminConfig, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<A4cLiveness> {
  const candidates = await a4cCandidates(config);
  const probes = await Promise.all(candidates.map((candidate) => probeA4c(candidate, timeoutMs, candidate.source === 'alien4cloud.url')));
  const describe = (probe: A4cProbe) => `${probe.url} (${probe.source}): ${probe.detail}`;
  const running = probes.filter((probe) => probe.outcome === 'a4c');
  if (running.length > 0) return { state: 'running', detail: running.map(describe).join('; '), probes };
  const unclear = probes.filter((probe) => probe.outcome !== 'refused');
  if (unclear.length > 0) return { state: 'unknown', detail: unclear.map(describe).join('; '), probes };
  return { state: 'stopped', detail: `nothing listens at ${probes.map((probe) => `${probe.url} (${probe.source})`).join(', ')}`, probes };
}

/**
 * Refuses before anything changes when A4C runs, or when its state is unknown and the
 * operator has not said it is stopped (`a4cStopped`, the CLI's --a4c-stopped or a "y" on
 * the terminal). The library never asks: the caller decides how the operator answers.
 */
export async function assertA4cStopped(config: A4cAdminConfig, what: string, options: { a4cStopped?: boolean; timeoutMs?: number } = {}): Promise<A4cLiveness> {
  const liveness = await detectA4c(config, options.timeoutMs);
  if (liveness.state === 'running') {
    throw new A4cAdminError(
      'A4C_RUNNING',
      `Alien4Cloud is running (${liveness.detail}); ${what} under a running A4C would be overwritten by it. Nothing was changed.`,
      {
        hint: 'Stop A4C (not Elasticsearch), run the command again, then start A4C.',
        details: { probes: liveness.probes },
      },
    );
  }
  if (liveness.state === 'unknown' && !options.a4cStopped) {
    throw new A4cAdminError(
      'A4C_STATE_UNKNOWN',
      `Cannot tell whether Alien4Cloud is stopped (${liveness.detail}); ${what} under a running A4C would be overwritten by it. Nothing was changed.`,
      {
        hint: "Stop A4C and make sure nothing else answers there, or, if you know A4C is stopped, say so with --a4c-stopped (library: a4cStopped: true). Set alien4cloud.url to A4C's real address to be precise.",
        details: { probes: liveness.probes },
      },
    );
  }
  return liveness;
}

/** alien4cloud.url, then the server.port of every alien4cloud yaml of backup.config_files, then A4C's default address. */
export async function a4cCandidates(config: A4cAdminConfig): Promise<A4cCandidate[]> {
  const candidates: A4cCandidate[] = [];
  if (config.alien4cloud.url) candidates.push({ url: config.alien4cloud.url, source: 'alien4cloud.url' });
  for (const file of config.backup.config_files) {
    const url = await serverUrlOf(file);
    if (url) candidates.push({ url, source: `server.port in ${file}` });
  }
  candidates.push({ url: A4C_DEFAULT_URL, source: 'A4C default address' });
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = new URL(candidate.url).origin;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The address a Spring Boot yaml of A4C says it serves on (server.port, server.address, server.ssl). */
async function serverUrlOf(file: string): Promise<string | undefined> {
  if (!/\.ya?ml$/i.test(file)) return undefined;
  let document: unknown;
  try {
    // Only a regular file of sane size: never block on a FIFO or read a device.
    const info = await stat(file);
    if (!info.isFile() || info.size > 1024 * 1024) return undefined;
    document = yaml.load(await readRegularTextFile(file));
  } catch {
    return undefined;
  }
  if (document === null || typeof document !== 'object') return undefined;
  const lookup = (path: string): unknown => {
    const plain = document as Record<string, unknown>;
    if (path in plain) return plain[path];
    return path
      .split('.')
      .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), plain);
  };
  // Any listed yaml with a Spring Boot `server.port` is a candidate, whatever its name: a
  // port too many costs one refused connection, a port missed may cost A4C's data.
  // (Elasticsearch's own yaml says http.port, never server.port.)
  const port = Number(lookup('server.port'));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  const address = String(lookup('server.address') ?? '');
  const host = address === '' || address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  const ssl = lookup('server.ssl.enabled') === true || lookup('server.ssl.key-store') !== undefined || lookup('server.ssl.key_store') !== undefined;
  return `${ssl ? 'https' : 'http'}://${host}:${port}/`;
}

/**
 * One GET. Any answer from `alien4cloud.url` is A4C (the operator said so); elsewhere only
 * an answer that names Alien4Cloud is, since another program may own a guessed port.
 */
export async function probeA4c(candidate: A4cCandidate, timeoutMs = DEFAULT_TIMEOUT_MS, anyAnswerIsA4c = false): Promise<A4cProbe> {
  const { url } = candidate;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal });
    const body = await readStart(response, signal).catch(() => '');
    const headers = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
    if (anyAnswerIsA4c || /alien\s*4\s*cloud/i.test(`${headers}\n${body}`)) {
      return { ...candidate, outcome: 'a4c', detail: `answered HTTP ${response.status}` };
    }
    return { ...candidate, outcome: 'other', detail: `answered HTTP ${response.status}, but not as Alien4Cloud` };
  } catch (error) {
    const code = causeCode(error);
    if (code === 'ECONNREFUSED') return { ...candidate, outcome: 'refused', detail: 'connection refused' };
    if (signal.aborted) return { ...candidate, outcome: 'silent', detail: `accepted the connection but did not answer within ${timeoutMs} ms` };
    return { ...candidate, outcome: 'other', detail: `no answer (${code ?? (error as Error).message})` };
  }
}

/** @deprecated kept for library users: the first of `detectA4c`'s answers for one URL. */
export async function checkA4cRunning(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LivenessResult> {
  const probe = await probeA4c({ url, source: 'alien4cloud.url' }, timeoutMs, true);
  return { running: probe.outcome !== 'refused', detail: `${url} ${probe.detail}` };
}

async function readStart(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES && !signal.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
