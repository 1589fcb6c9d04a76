// The exit status and the hint of the binary when the cluster cannot be used, against real
// sockets: a closed port (nothing listens) and an https:// address on the plain-HTTP node.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, parseJsonResult, runBinary } from './binary.test-support.js';

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('exit statuses and hints when the cluster cannot be used', () => {
  let folder: string;

  beforeAll(async () => {
    assertBuilt();
    folder = await mkdtemp(join(tmpdir(), 'a4c-exit-'));
    await mkdir(join(folder, 'data'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function doctorAt(address: string) {
    const configFile = join(folder, `config-${Math.random().toString(36).slice(2)}.yml`);
    const config = {
      elasticsearch: { addresses: [address], request_timeout_ms: 5000 },
      alien4cloud: { dir: join(folder, 'data') },
      backup: { files_dir: join(folder, 'backups') },
    };
    await writeFile(configFile, `${JSON.stringify(config)}\n`);
    return {
      text: await runBinary(['-c', configFile, 'doctor']),
      json: await runBinary(['-c', configFile, 'doctor', '--json']),
    };
  }

  it('doctor exits 4 (cluster) when nothing listens at the address, as docs/exit-codes.md says', async () => {
    const { text, json } = await doctorAt(`http://127.0.0.1:${await closedPort()}`);
    expect(text.code, describeRun(text)).toBe(4);
    expect(text.stderr).toMatch(/fail cluster: Cannot reach Elasticsearch/);
    expect(json.code, describeRun(json)).toBe(4);
    expect(parseJsonResult(json).error).toMatchObject({ code: 'CLUSTER_UNREACHABLE', category: 'cluster', exitCode: 4 });
  });

  it('says the node speaks plain HTTP, and gives the http:// address, for an https:// address on a plain-HTTP node', async () => {
    const { host } = new URL(testElasticsearch().url);
    const { text, json } = await doctorAt(`https://${host}`);
    expect(text.code, describeRun(text)).toBe(4);
    expect(text.stderr).toContain(`speaks plain HTTP`);
    expect(text.stderr).toContain(`use http://${host} in elasticsearch.addresses`);
    // Not sent looking for a CA: the certificate is not the problem.
    expect(text.stderr).not.toMatch(/ca_file/);
    expect(parseJsonResult(json).error).toMatchObject({ code: 'TLS_FAILED', exitCode: 4 });
  });
});
