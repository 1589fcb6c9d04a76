// Off-host backups against a real SeaweedFS (built once by tools/s3, started here) and a real
// Elasticsearch: backup -> push -> wipe the backup folder, the data folder and the indices ->
// restore from the store alone, every document and file equal by SHA-256; a second push of an
// unchanged installation sends < 1 % of the first's bytes; faults (the store killed during a
// push and a pull, wrong credentials, a missing bucket, objects deleted or altered behind the
// tool's back) each give a clear error, lose nothing local and never list a partial backup.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type A4cAdminConfig, isA4cAdminError } from '@a4c-admin/core';
import { EncryptionKey } from '@a4c-admin/core/internal';
import { createElasticsearchClient } from '@a4c-admin/es-snapshot';
import { bucketObjects, restartS3Server, startS3Server, stopS3Server } from '@a4c-admin/s3-launcher';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../api/api.js';
import { createInstallation, documentFingerprints, FEW_SAMPLE_INDICES, type TestInstallation, treeFingerprint } from '../api/installation.test-support.js';
import { listRemote, pruneRemote, pull, push, removeRemote, restoreRemote, verifyRemote } from '../api/remote-api.js';

const S3_PORT = Number(process.env.A4C_TEST_S3_PORT ?? 18310);
const SERVER = `test-s3-${S3_PORT}`;
const BUCKET = 'a4c-offhost';
/** A cold build of SeaweedFS takes ~10 min on two cores (once; cached in the home folder). */
const FIRST_BUILD_MS = 25 * 60_000;
/** The encryption key of the tests (64 hex digits), in a file as an operator would keep it. */
const KEY_TEXT = '5e3c1a9b7d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c2e4b6d8f1a3c5e7b9d0f2a4c';
/** Its id, which names every object sealed with it. */
const KEY_ID = EncryptionKey.fromBytes(Buffer.from(KEY_TEXT, 'hex')).id;
/** The key an operator rotates to (see "after a key rotation" below). */
const ROTATED_KEY_TEXT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
let keyFile = '';

type Server = Awaited<ReturnType<typeof startS3Server>>;

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isA4cAdminError(error), `expected an a4c-admin error, got ${String(error)}`).toBe(true);
  return error as { code: string; message: string; hint?: string };
}

function withRemote(config: A4cAdminConfig, server: Server, remote: Partial<NonNullable<A4cAdminConfig['remote']>> = {}): A4cAdminConfig {
  return {
    ...config,
    remote: {
      endpoint: server.endpoint,
      bucket: BUCKET,
      prefix: 'site-a/',
      region: 'us-east-1',
      path_style: true,
      access_key_id: server.accessKeyId,
      secret_access_key: server.secretAccessKey,
      concurrency: 4,
      part_size_mb: 5,
      allow_unencrypted: false,
      ...remote,
    },
    encryption: { key_file: keyFile, key_env: 'A4C_TEST_NO_SUCH_KEY_VARIABLE' },
  };
}

/** Path -> SHA-256 of the files of the parts a backup copies (the sample folder also holds upload/, never backed up). */
async function backedUpFiles(dataDir: string): Promise<Record<string, string>> {
  const parts = ['csar/', 'artifacts/', 'images/', 'plugins/', 'work/plugins/'];
  return Object.fromEntries(Object.entries(await treeFingerprint(dataDir)).filter(([path]) => parts.some((part) => path.startsWith(part))));
}

/** SIGKILL of the store, at once (the fault: the store's host dies). */
function killStore(server: Server): void {
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    process.kill(server.pid, 'SIGKILL');
  }
}

async function wipeInstallation(installation: TestInstallation, names: string[]): Promise<void> {
  const client = createElasticsearchClient(installation.config.elasticsearch);
  await client.indices.delete({ index: names, ignore_unavailable: true });
  await client.snapshot.deleteRepository({ name: installation.config.elasticsearch.repository.name }, { ignore: [404] });
  await client.close();
  await rm(installation.backupDir, { recursive: true, force: true });
  await rm(installation.dataDir, { recursive: true, force: true });
  await rm(installation.config.elasticsearch.repository.location, { recursive: true, force: true });
}

describe('off-host backups in a real object store', () => {
  let server: Server;
  let installation: TestInstallation;
  let names: string[];
  let config: A4cAdminConfig;
  /** Every message and result the tool gave, for the secrets scan. */
  const outputs: string[] = [];

  beforeAll(async () => {
    server = await startS3Server({ name: SERVER, port: S3_PORT, buckets: [BUCKET], fresh: true, log: (line) => console.log(`[s3] ${line}`) });
    const es = testElasticsearch();
    installation = await createInstallation({ urls: [es.url], repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo', indices: FEW_SAMPLE_INDICES });
    keyFile = join(installation.root, 'backup.key');
    await writeFile(keyFile, `${KEY_TEXT}\n`, { mode: 0o600 });
    names = Object.keys(installation.indices).map((index) => (index.startsWith(installation.prefix) ? index : `${installation.prefix}${index}`));
    config = withRemote(installation.config, server);
  }, FIRST_BUILD_MS);

  afterAll(async () => {
    await installation?.cleanup();
    await stopS3Server(SERVER, { removeData: true });
  });

  for (const format of ['export', 'snapshot'] as const) {
    it(`restores a ${format} backup on a bare host from the store alone, every document and file equal`, async () => {
      const documentsBefore = await documentFingerprints(config, names);
      const filesBefore = await backedUpFiles(installation.dataDir);
      const name = `${format}-1`;
      await backup(config, { version: '1.1.0', name, format });
      const pushed = await push(config, { name });
      outputs.push(JSON.stringify(pushed));
      expect(pushed.alreadyPushed).toBe(false);
      expect(pushed.uploadedBytes).toBeGreaterThan(0);
      expect((await listRemote(config)).find((entry) => entry.name === name)?.state).toBe('complete');

      await wipeInstallation(installation, names);
      const restored = await restoreRemote(config, { name, version: '1.1.0', a4cStopped: true });
      outputs.push(JSON.stringify(restored));
      expect(restored.pulled.alreadyLocal).toBe(false);
      expect(await documentFingerprints(config, names)).toEqual(documentsBefore);
      expect(await backedUpFiles(installation.dataDir)).toEqual(filesBefore);
    });
  }

  // The < 1 % of the issue is counted on the wire at realistic size in off-host-dedupe.int.test.ts;
  // on this 0.5 MB sample the new backup's own metadata alone is a few %.
  it("sends only the new backup's own metadata when nothing changed since", async () => {
    // The bare-host restores above wiped the backup folder: fetch export-1 back, then push it again.
    await pull(config, { name: 'export-1' });
    const first = await push(config, { name: 'export-1' });
    expect(first.alreadyPushed).toBe(true);
    await backup(config, { version: '1.1.0', name: 'export-2', format: 'export' });
    const second = await push(config, { name: 'export-2' });
    outputs.push(JSON.stringify(second));
    const firstBytes = (await listRemote(config)).find((entry) => entry.name === 'export-1')!.bytes!;
    console.log(`second push: ${second.uploadedBytes} of ${second.bytes} bytes sent (first push held ${firstBytes})`);
    // Its marker, manifest.json and export-manifest.json: every data-folder file and export chunk is already stored.
    expect(second.uploadedObjects).toBe(3);
    expect(second.uploadedBytes).toBeLessThan(firstBytes * 0.05);
    expect((await verifyRemote(config, { name: 'export-2' })).objects).toBeGreaterThan(10);
  });

  it('refuses wrong credentials and a missing bucket with a clear error, changing nothing', async () => {
    const wrong = await failure(push(withRemote(installation.config, server, { secret_access_key: 'not-the-secret-key-0123' }), { name: 'export-2' }));
    expect(wrong.code).toBe('REMOTE_AUTH_FAILED');
    expect(wrong.hint).toMatch(/A4C_ADMIN_S3_SECRET_ACCESS_KEY/);
    const missing = await failure(listRemote(withRemote(installation.config, server, { bucket: 'no-such-bucket' })));
    expect(missing.code).toBe('REMOTE_BUCKET_MISSING');
    expect(missing.hint).toMatch(/Create the bucket/);
    const unencrypted = await failure(push({ ...withRemote(installation.config, server), encryption: undefined }, { name: 'export-2' }));
    expect(unencrypted.code).toBe('ENCRYPTION_KEY_MISSING');
    expect(unencrypted.hint).toMatch(/allow_unencrypted/);
    outputs.push(JSON.stringify(wrong), JSON.stringify(missing), wrong.message, missing.message, unencrypted.message);
  });

  it('finds objects deleted or altered behind its back: list, verify and restore say so, nothing local is lost', async () => {
    const objects = bucketObjects(server, BUCKET);
    // The remote manifests are sealed: the content of each backup is known from its local folder.
    const filesOf = async (name: string) =>
      Object.entries(await treeFingerprint(join(installation.backupDir, name))).map(([path, sha256]) => ({ path, sha256 }));
    const first = await filesOf('export-1');
    // export-1's own files only (export-2 shares most content: pick one only export-1 names).
    const shared = new Set((await filesOf('export-2')).map((file) => file.sha256));
    // Two objects only export-1 names: a damaged object shared with other backups would damage them too.
    const [chunk, own] = first.filter((file) => !shared.has(file.sha256));
    if (!chunk || !own) throw new Error('export-1 names fewer than two objects of its own');
    // JSON files are stored gzipped, under `<sha256>.gz`.
    const key = (file: { path: string; sha256: string }) =>
      `site-a/blobs/${file.sha256.slice(0, 2)}/${file.sha256}.k-${KEY_ID}${file.path.endsWith('.json') ? '.gz' : ''}`;
    const sealed = await objects.read(key(chunk));
    sealed[sealed.length - 1] = sealed[sealed.length - 1]! ^ 1;
    await objects.write(key(chunk), sealed);
    await objects.remove(key(own));
    objects.close();

    const listed = (await listRemote(config)).find((entry) => entry.name === 'export-1')!;
    expect(listed.state).toBe('broken');
    expect(listed.problem).toMatch(/missing/);
    const verified = await failure(verifyRemote(config, { name: 'export-1' }));
    expect(verified.code).toBe('CHECKSUM_MISMATCH');
    expect(verified.message).toContain('altered');
    const localBefore = await treeFingerprint(installation.backupDir);
    await rm(join(installation.backupDir, 'export-1'), { recursive: true });
    const pulled = await failure(pull(config, { name: 'export-1' }));
    expect(['CHECKSUM_MISMATCH', 'DECRYPTION_FAILED', 'REMOTE_OBJECT_MISSING']).toContain(pulled.code);
    expect(pulled.hint).toBeTruthy();
    // Nothing half-fetched looks like a backup; the other local backups are untouched.
    expect((await readdir(installation.backupDir)).filter((entry) => !entry.startsWith('.')).sort()).toEqual(['export-2', 'snapshot-1']);
    const localAfter = await treeFingerprint(installation.backupDir);
    for (const [path, hash] of Object.entries(localBefore)) if (!path.startsWith('export-1/')) expect(localAfter[path]).toBe(hash);
    outputs.push(verified.message, pulled.message, JSON.stringify(listed));

    // A new push stores the content anew: the damaged remote backups are deleted, the good one stays whole.
    await removeRemote(config, { name: 'export-2' });
    await removeRemote(config, { name: 'export-1' });
    expect((await listRemote(config)).map((entry) => [entry.name, entry.state])).toEqual([['snapshot-1', 'complete']]);
    await verifyRemote(config, { name: 'snapshot-1' });
  });

  it('never lists a remote backup whose push was cut by the store dying, and resumes', async () => {
    // Enough bytes for the store to die mid-push: 40 MiB of fresh content in the data folder.
    await writeFile(join(installation.dataDir, 'artifacts', 'big-artifact.bin'), Buffer.alloc(96 * 1024 * 1024, Date.now() % 251));
    await backup(config, { version: '1.1.0', name: 'big-1', format: 'export' });
    let killed = false;
    const cut = failure(
      push(config, {
        name: 'big-1',
        onProgress: (event) => {
          if (!killed && event.phase === 'upload' && (event.bytes ?? 0) > 5 * 1024 * 1024) {
            killed = true;
            killStore(server);
          }
        },
      }),
    );
    const error = await cut;
    expect(killed).toBe(true);
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.hint).toMatch(/run the command again/);
    server = await restartS3Server(SERVER);
    expect((await listRemote(config)).map((entry) => entry.name)).not.toContain('big-1');
    const resumed = await push(config, { name: 'big-1' });
    expect((await listRemote(config)).find((entry) => entry.name === 'big-1')?.state).toBe('complete');
    await verifyRemote(config, { name: 'big-1' });
    outputs.push(error.message, JSON.stringify(resumed));

    // The same for a pull: the store dies mid-download, nothing appears locally, the next pull resumes.
    await rm(join(installation.backupDir, 'big-1'), { recursive: true });
    killed = false;
    const pullCut = await failure(
      pull(config, {
        name: 'big-1',
        onProgress: (event) => {
          if (!killed && event.phase === 'download' && (event.bytes ?? 0) > 0) {
            killed = true;
            killStore(server);
          }
        },
      }),
    );
    expect(['REMOTE_UNREACHABLE']).toContain(pullCut.code);
    expect(await readdir(installation.backupDir)).not.toContain('big-1');
    server = await restartS3Server(SERVER);
    const pulled = await pull(config, { name: 'big-1' });
    expect(pulled.alreadyLocal).toBe(false);
    expect(await readdir(installation.backupDir)).toContain('big-1');
    outputs.push(pullCut.message, JSON.stringify(pulled));
  });

  it('prunes remote backups by the keep rules, keeping the objects the kept ones name', async () => {
    const result = await pruneRemote(config, { keepLast: 1 });
    outputs.push(JSON.stringify(result));
    expect(result.kept.map((entry) => entry.name)).toEqual(['big-1']);
    expect(result.deleted).toEqual(['snapshot-1']);
    await verifyRemote(config, { name: 'big-1' });
  });

  it('refuses to push a file changed since the backup recorded it, small or in parts, storing nothing under its name', async () => {
    const objects = bucketObjects(server, BUCKET);
    const stamp = `${Date.now()}`;
    // Content no earlier push stored (so the push must read it): a file sent whole, then one in parts of 5 MiB.
    const cases = [
      { file: 'changed-small.txt', content: Buffer.from(`small ${stamp}\n`.repeat(100)) },
      { file: 'changed-large.bin', content: Buffer.alloc(12 * 1024 * 1024, `large ${stamp}`) },
    ];
    for (const [index, { file, content }] of cases.entries()) {
      const name = `changed-${index + 1}`;
      await writeFile(join(installation.dataDir, 'artifacts', file), content);
      await backup(config, { version: '1.1.0', name, format: 'export' });
      const sha256 = (await treeFingerprint(join(installation.backupDir, name)))[`files/artifacts/${file}`];
      expect(sha256, `${file} is in the backup`).toBeTruthy();
      await writeFile(join(installation.backupDir, name, 'files', 'artifacts', file), 'altered after the backup', { flag: 'a' });
      const refused = await failure(push(config, { name }));
      outputs.push(refused.message);
      expect(refused.code).toBe('CHECKSUM_MISMATCH');
      expect(refused.message).toContain(file);
      expect(refused.message).toMatch(/changed since the backup recorded it/);
      expect((await listRemote(config)).map((entry) => entry.name)).not.toContain(name);
      // No object holds other bytes than its name says: there is no blob of the recorded content.
      expect((await objects.keys()).filter((key) => key.includes(sha256!))).toEqual([]);
      await rm(join(installation.backupDir, name), { recursive: true, force: true });
    }
    objects.close();
  });

  it('sends again a stored object of the wrong size (cut short behind its back) instead of reusing it, repairing the backups that name it', async () => {
    const objects = bucketObjects(server, BUCKET);
    // big-1 is the remote backup the prune kept; its local folder was pulled back above.
    const recorded = Object.entries(await treeFingerprint(join(installation.backupDir, 'big-1')));
    const [, sha256] = recorded.find(([path]) => path.startsWith('files/') && !path.endsWith('.json'))!;
    const key = `site-a/blobs/${sha256.slice(0, 2)}/${sha256}.k-${KEY_ID}`;
    const sealed = await objects.read(key);
    await objects.write(key, sealed.subarray(0, sealed.length - 1));
    expect(['DECRYPTION_FAILED', 'CHECKSUM_MISMATCH']).toContain((await failure(verifyRemote(config, { name: 'big-1' }))).code);

    await backup(config, { version: '1.1.0', name: 'reuse-1', format: 'export' });
    const warnings: string[] = [];
    const pushed = await push(config, {
      name: 'reuse-1',
      onProgress: (event) => {
        if (event.kind === 'warning') warnings.push(event.message ?? '');
      },
    });
    outputs.push(JSON.stringify(pushed), ...warnings);
    expect(warnings.join('\n')).toMatch(/^1 object\(s\) in the store had another size than their content encoded/);
    expect((await objects.read(key)).length).toBe(sealed.length);
    objects.close();
    await verifyRemote(config, { name: 'reuse-1' });
    await verifyRemote(config, { name: 'big-1' });
  });

  it('after a key rotation, stores the content anew under the new key: each backup restores with its own key, and deleting one keeps the other whole', async () => {
    const rotatedKeyFile = join(installation.root, 'rotated.key');
    await writeFile(rotatedKeyFile, `${ROTATED_KEY_TEXT}\n`, { mode: 0o600 });
    const rotated: A4cAdminConfig = { ...config, encryption: { key_file: rotatedKeyFile, key_env: 'A4C_TEST_NO_SUCH_KEY_VARIABLE' } };
    const rotatedKeyId = EncryptionKey.fromBytes(Buffer.from(ROTATED_KEY_TEXT, 'hex')).id;
    // reuse-1 was pushed with the old key; the same installation, unchanged, is backed up and pushed with the new one.
    await backup(config, { version: '1.1.0', name: 'rotated-1', format: 'export' });
    const pushed = await push(rotated, { name: 'rotated-1' });
    outputs.push(JSON.stringify(pushed));
    // Nothing sealed with the old key is taken for the new key's: every content of the backup is sent, under the new key's id.
    const contents = new Set(Object.values(await treeFingerprint(join(installation.backupDir, 'rotated-1'))));
    expect(pushed.uploadedObjects).toBe(contents.size);
    const objects = bucketObjects(server, BUCKET);
    const keys = await objects.keys();
    objects.close();
    expect(keys.filter((key) => key.includes(`.k-${rotatedKeyId}`)).length).toBe(contents.size);

    const listedWithNew = await listRemote(rotated);
    expect(listedWithNew.find((entry) => entry.name === 'rotated-1')).toMatchObject({ state: 'complete', keyId: rotatedKeyId });
    // The old key's backups are listed with the key they need.
    expect(listedWithNew.find((entry) => entry.name === 'reuse-1')).toMatchObject({ state: 'broken', keyId: KEY_ID });
    await verifyRemote(rotated, { name: 'rotated-1' });
    await verifyRemote(config, { name: 'reuse-1' });

    // What an older release left after a rotation: an object of the new key's backup that the old key sealed. verify says so.
    const store = bucketObjects(server, BUCKET);
    const newKeyObject = keys.find((key) => key.includes(`.k-${rotatedKeyId}`) && keys.includes(key.replace(rotatedKeyId, KEY_ID)))!;
    const genuine = await store.read(newKeyObject);
    await store.write(newKeyObject, await store.read(newKeyObject.replace(rotatedKeyId, KEY_ID)));
    const damaged = await failure(verifyRemote(rotated, { name: 'rotated-1' }));
    expect(damaged.code).toBe('CHECKSUM_MISMATCH');
    expect(damaged.message).toMatch(/\(sealed with another key\)/);
    await store.write(newKeyObject, genuine);
    store.close();
    await verifyRemote(rotated, { name: 'rotated-1' });

    // Deleting the new key's backup with the new key removes its objects (the old key's backups cannot be
    // read with it, yet cannot name them) and leaves the old key's backups whole.
    const removed = await removeRemote(rotated, { name: 'rotated-1' });
    expect(removed.removedObjects).toBe(contents.size);
    await verifyRemote(config, { name: 'reuse-1' });
    const documentsBefore = await documentFingerprints(config, names);
    await wipeInstallation(installation, names);
    await restoreRemote(config, { name: 'reuse-1', version: '1.1.0', a4cStopped: true });
    expect(await documentFingerprints(config, names)).toEqual(documentsBefore);
  });

  it('leaves no credential in any output, manifest or object', async () => {
    const objects = bucketObjects(server, BUCKET);
    const texts = [...outputs];
    for (const key of await objects.keys()) texts.push((await objects.read(key)).toString('latin1'));
    // Sealed: no stored object holds a readable manifest.
    expect(texts.slice(outputs.length).some((text) => text.includes('"formatVersion"'))).toBe(false);
    objects.close();
    for (const text of texts) {
      expect(text).not.toContain(server.secretAccessKey);
      expect(text).not.toContain(server.accessKeyId);
      expect(text).not.toContain('not-the-secret-key-0123');
      expect(text).not.toContain(KEY_TEXT);
      expect(text).not.toContain(ROTATED_KEY_TEXT);
    }
    expect(texts.length).toBeGreaterThan(10);
  });
});
