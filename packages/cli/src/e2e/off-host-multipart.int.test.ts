// The S3 store's own multipart uploads (es-snapshot's s3-multipart-upload.ts) against a real
// SeaweedFS: objects larger than one part, more of them at once than the store has part
// buffers, read back byte-exact; an upload cancelled or failing mid-way leaves neither an
// object nor an open multipart upload (whose parts would take room in the bucket, unlisted).
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { A4cAdminConfig, ObjectStore } from '@a4c-admin/core';
import { openObjectStore } from '@a4c-admin/es-snapshot';
import { bucketObjects, startS3Server, stopS3Server } from '@a4c-admin/s3-launcher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const S3_PORT = Number(process.env.A4C_TEST_S3_PARTS_PORT ?? 18340);
const SERVER = `test-s3-parts-${S3_PORT}`;
const BUCKET = 'a4c-parts';
const MIB = 1024 * 1024;
/** A cold build of SeaweedFS takes ~10 min on two cores (once; cached in the home folder). */
const FIRST_BUILD_MS = 25 * 60_000;

type Server = Awaited<ReturnType<typeof startS3Server>>;

/** `bytes` handed out in pieces of 64 KiB, as a file's read stream does; `onPiece` sees the count so far. */
function streamOf(bytes: Buffer, onPiece?: (sent: number, stream: Readable) => void): Readable {
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= bytes.length) {
        this.push(null);
        return;
      }
      const piece = bytes.subarray(sent, Math.min(bytes.length, sent + 64 * 1024));
      sent += piece.length;
      this.push(piece);
      onPiece?.(sent, stream);
    },
  });
  return stream;
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('multipart uploads of the S3 store', () => {
  let server: Server;
  let store: ObjectStore;

  beforeAll(async () => {
    server = await startS3Server({ name: SERVER, port: S3_PORT, buckets: [BUCKET], fresh: true, log: (line) => console.log(`[s3] ${line}`) });
    const remote = {
      endpoint: server.endpoint,
      bucket: BUCKET,
      prefix: 'parts/',
      region: 'us-east-1',
      path_style: true,
      access_key_id: server.accessKeyId,
      secret_access_key: server.secretAccessKey,
      concurrency: 4,
      part_size_mb: 5,
      allow_unencrypted: true,
    };
    store = await openObjectStore({ remote } as unknown as A4cAdminConfig);
  }, FIRST_BUILD_MS);

  afterAll(async () => {
    await stopS3Server(SERVER, { removeData: true });
  });

  it('stores objects of several parts, four at once, each read back byte-exact', async () => {
    // 3 parts, exactly one part, 2 parts and a bit, less than a part: four uploads share the
    // store's three part buffers (two in flight and one being filled per object, at most).
    const bodies = [12 * MIB + 1, 5 * MIB, 11 * MIB, 3 * MIB].map((size, index) => ({ key: `objects/${index}.bin`, bytes: randomBytes(size) }));
    const sent = new Map<string, number>();
    await Promise.all(
      bodies.map(({ key, bytes }) =>
        store.put(key, streamOf(bytes), {
          onBytes: (count) => sent.set(key, (sent.get(key) ?? 0) + count),
        }),
      ),
    );
    for (const { key, bytes } of bodies) {
      expect(sent.get(key), `bytes counted for ${key}`).toBe(bytes.length);
      expect(await sha256Of(await store.get(key)), key).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const listed = new Map<string, number>();
    for await (const object of store.list('objects/')) listed.set(object.key, object.size);
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(bodies.map(({ key, bytes }) => [key, bytes.length])));
    const objects = bucketObjects(server, BUCKET);
    expect(await objects.uploadsInProgress()).toEqual([]);
    objects.close();
  });

  it('leaves neither the object nor an open multipart upload when cancelled or when its body fails mid-way', async () => {
    const bytes = randomBytes(24 * MIB);
    const controller = new AbortController();
    let taken = 0;
    const cancelled = store
      .put('cut/cancelled.bin', streamOf(bytes), {
        signal: controller.signal,
        onBytes: (count) => {
          taken += count;
          // Past two parts: a multipart upload is open, with parts sent or in flight.
          if (taken > 11 * MIB && !controller.signal.aborted) controller.abort(new Error('cancelled by the test'));
        },
      })
      .then(
        () => 'stored',
        () => 'refused',
      );
    expect(await cancelled).toBe('refused');

    const failing = store
      .put(
        'cut/failing.bin',
        streamOf(bytes, (sent, stream) => {
          if (sent >= 13 * MIB) stream.destroy(new Error('the disk failed under the test'));
        }),
      )
      .then(
        () => 'stored',
        (error: Error) => error.message,
      );
    expect(await failing).toMatch(/the disk failed under the test/);

    const left: string[] = [];
    for await (const object of store.list('cut/')) left.push(object.key);
    expect(left).toEqual([]);
    const objects = bucketObjects(server, BUCKET);
    expect(await objects.uploadsInProgress()).toEqual([]);
    objects.close();
  });
});
