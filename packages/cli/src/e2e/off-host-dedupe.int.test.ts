// A second nightly push of an unchanged installation sends < 1 % of the first's bytes, counted
// on the wire by a proxy in front of a real SeaweedFS (object bytes, multipart parts, the
// encryption's overhead and the remote manifest alike), for both backup formats. The content
// is stored by SHA-256 and unchanged data gives the same bytes (data-folder files, export
// chunks, Elasticsearch's shard files), so what a second push sends is the new backup's own
// metadata: its manifests, and for a snapshot the repository's few new metadata files.
// A ~20 MB data folder and ~2,400 documents, in the full tier (A4C_TRIALS=full): the default tier
// leaves this file out (a minute on a busy machine); off-host-backup.int.test.ts shows the same
// class there on the sample installation (a second push sends the new backup's 3 metadata
// objects and nothing else).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { A4cAdminConfig } from '@a4c-admin/core';
import { startCountingProxy, startS3Server, stopS3Server } from '@a4c-admin/s3-launcher';
import { FULL_TRIALS, testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../api/api.js';
import { createInstallation, type TestInstallation } from '../api/installation.test-support.js';
import { listRemote, push } from '../api/remote-api.js';

const S3_PORT = Number(process.env.A4C_TEST_S3_DEDUPE_PORT ?? 18320);
const SERVER = `test-s3-dedupe-${S3_PORT}`;
const BUCKET = 'a4c-dedupe';
/** A cold build of SeaweedFS takes ~10 min on two cores (once; cached in the home folder). */
const FIRST_BUILD_MS = 25 * 60_000;
/** The sample holds 32 documents; each copy of its application adds 8. */
const SIZE = { dataScale: 60, multiply: 300 };
const KEY_TEXT = '7a1c3e5b9d2f4a6c8e0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a0c2e4b6d8f0a1c';

describe.runIf(FULL_TRIALS)('a second push of an unchanged installation', () => {
  let server: Awaited<ReturnType<typeof startS3Server>>;
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let installation: TestInstallation;
  let config: A4cAdminConfig;

  beforeAll(async () => {
    server = await startS3Server({ name: SERVER, port: S3_PORT, buckets: [BUCKET], fresh: true, log: (line) => console.log(`[s3] ${line}`) });
    proxy = await startCountingProxy(server.endpoint);
    const es = testElasticsearch();
    installation = await createInstallation({ urls: [es.url], repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo', ...SIZE });
    const keyFile = join(installation.root, 'backup.key');
    await writeFile(keyFile, `${KEY_TEXT}\n`, { mode: 0o600 });
    config = {
      ...installation.config,
      remote: {
        endpoint: proxy.endpoint,
        bucket: BUCKET,
        prefix: 'nightly/',
        region: 'us-east-1',
        path_style: true,
        access_key_id: server.accessKeyId,
        secret_access_key: server.secretAccessKey,
        concurrency: 4,
        part_size_mb: 5,
        allow_unencrypted: false,
      },
      encryption: { key_file: keyFile, key_env: 'A4C_TEST_NO_SUCH_KEY_VARIABLE' },
    };
  }, FIRST_BUILD_MS);

  afterAll(async () => {
    await proxy?.close();
    await installation?.cleanup();
    await stopS3Server(SERVER, { removeData: true });
  });

  /** Each format pushes to its own prefix: its first push finds an empty store. */
  const inPrefix = (format: string): A4cAdminConfig => ({ ...config, remote: { ...config.remote!, prefix: `nightly-${format}/` } });

  /** Backs up and pushes `name`; the bytes the store received for it, and the push's own account. */
  async function nightly(name: string, format: 'export' | 'snapshot') {
    await backup(config, { version: '1.1.0', name, format });
    proxy.reset();
    const pushed = await push(inPrefix(format), { name });
    return { pushed, traffic: proxy.counts() };
  }

  for (const format of ['export', 'snapshot'] as const) {
    it(`sends < 1 % of the first push's bytes (${format} format, counted on the wire)`, async () => {
      const documents = Object.values(installation.indices).reduce((sum, count) => sum + count, 0);
      const first = await nightly(`${format}-night-1`, format);
      const second = await nightly(`${format}-night-2`, format);
      const share = second.traffic.bodyBytes / first.traffic.bodyBytes;
      console.log(
        `${format}: ${documents} documents; first push ${first.traffic.bodyBytes} bytes on the wire (${first.pushed.uploadedObjects} objects), ` +
          `second ${second.traffic.bodyBytes} bytes (${second.pushed.uploadedObjects} objects): ${(share * 100).toFixed(3)} %`,
      );
      for (const body of second.traffic.bodies) console.log(`  ${format} second push sent ${body.method} ${body.path.slice(0, 90)} ${body.bytes}`);
      // The first push holds the whole installation: the data folder alone is tens of MB.
      expect(first.traffic.bodyBytes).toBeGreaterThan(first.pushed.bytes * 0.9);
      expect(share).toBeLessThan(0.01);
      // And the second backup is complete in the store (that its objects read back whole is off-host-backup's verify).
      expect((await listRemote(inPrefix(format))).find((entry) => entry.name === `${format}-night-2`)?.state).toBe('complete');
    });
  }
});
