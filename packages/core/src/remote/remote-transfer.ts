// Moving one object's bytes between a local file and the store, through the codec, with the
// SHA-256 of the plain bytes checked on the way (a packed blob is gunzipped first): the one
// place a push or a pull touches bytes.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, createGzip, gzip } from 'node:zlib';
import { readSmallFileSync } from '../copy-file-hashed.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import type { ObjectCodec, ObjectStore } from '../object-store.js';
import { readRegularFileDirectly } from '../read-regular-file.js';
import { type BlobName, blobKey } from './remote-layout.js';

const gzipped = promisify(gzip);

/** A stream that hashes what passes through it; `digest()` once it has ended. */
function hashingStream(): Transform & { digest(): string; bytes(): number } {
  const hash = createHash('sha256');
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      count += chunk.length;
      callback(null, chunk);
    },
  }) as Transform & { digest(): string; bytes(): number };
  let digest: string | undefined;
  stream.digest = () => {
    digest ??= hash.digest('hex');
    return digest;
  };
  stream.bytes = () => count;
  return stream;
}

/** `source` piped into `next`, an error of `source` destroying `next` (which `pipe` alone does not). */
function forwardErrors<T extends NodeJS.WritableStream & Readable>(source: Readable, next: T): T {
  source.on('error', (error) => next.destroy(error));
  // The consumer's pipeline reports the failure; a second emission after it let go (a sealed
  // object failing its last tag under the gunzip) must not crash the process.
  next.on('error', () => undefined);
  return source.pipe(next);
}

/**
 * Uploads the file at `path` as the blob of `sha256` (gzipped when `packed`). The plain bytes
 * are hashed as they are read: when they do not hash to `sha256` (the file changed since it was
 * recorded), CHECKSUM_MISMATCH is thrown and the store keeps no object of that name, so a blob
 * never holds other content than its name. `whole`: the file is small enough to be held in
 * memory, and goes in one request without a stream (most files of a data folder are a few KiB,
 * where the streams' and the multipart upload's fixed costs per object dominate).
 */
export async function uploadBlob(
  store: ObjectStore,
  codec: ObjectCodec,
  file: BlobName & { path: string; size: number },
  options: {
    signal?: AbortSignal;
    onBytes?: (bytes: number) => void;
    whole?: boolean;
    /**
     * With `whole`: a file smaller than this buffer is read into it with synchronous calls (one
     * thread-pool round trip per call costs more than the call on a small file, see
     * copySmallFileSync), then hashed and encoded before anything else runs, so that the uploads
     * of a push share one buffer.
     */
    scratch?: Buffer;
    /**
     * With `whole`: a buffer the encoded object is written into when it fits (and is not
     * gzipped), and sent from; the caller reuses it once this function has returned. A fresh
     * buffer per object would be held by the SDK's request objects, which V8 promotes while the
     * request waits on the network, until a full collection: tens of MB of garbage at 20 000 files.
     */
    body?: Buffer;
  } = {},
): Promise<void> {
  const key = blobKey(file);
  const putOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  };
  if (options.whole) {
    const inScratch = options.scratch ? readSmallFileSync(file.path, options.scratch) : undefined;
    const plain = inScratch && options.scratch ? options.scratch.subarray(0, inScratch.size) : await readRegularFileDirectly(file.path, { noFollow: true });
    const digest = createHash('sha256').update(plain).digest('hex');
    if (digest !== file.sha256) throw changedSinceRecorded(file, digest);
    if (options.body && file.packed === undefined && codec.encodedSize(plain.length) <= options.body.length) {
      const length = codec.encodeBytesInto(plain, key, options.body);
      await store.put(key, options.body.subarray(0, length), putOptions);
      return;
    }
    // The scratch buffer is the next file's once this function waits: what is sent from here on
    // must not be a view of it (the identity codec hands the bytes back as they are).
    const own = (bytes: Buffer) => (inScratch && bytes.buffer === plain.buffer ? Buffer.from(bytes) : bytes);
    const body = file.packed === 'gzip' ? codec.encodeBytes(await gzipped(own(plain), { level: 9 }), key) : own(codec.encodeBytes(plain, key));
    await store.put(key, body, putOptions);
    return;
  }
  const hasher = hashingStream();
  const hashed = forwardErrors(createReadStream(file.path), hasher);
  const plain = file.packed === 'gzip' ? forwardErrors(hashed, createGzip({ level: 9 })) : hashed;
  const body = codec.encode(plain, key);
  await store.put(key, body instanceof Readable ? body : Readable.from(body), {
    ...(codec.id === 'identity' && file.packed === undefined ? { size: file.size } : {}),
    ...putOptions,
  });
  if (hasher.digest() !== file.sha256) {
    await store.remove([key]).catch(() => undefined);
    throw changedSinceRecorded(file, hasher.digest());
  }
}

function changedSinceRecorded(file: { path: string; sha256: string }, found: string): A4cAdminError {
  return new A4cAdminError('CHECKSUM_MISMATCH', `${file.path} changed since the backup recorded it (SHA-256 ${found}, recorded ${file.sha256}).`, {
    hint: 'The local backup is damaged: run `a4c-admin verify <name>`, and push a backup that verifies.',
    details: { path: file.path },
  });
}

/**
 * Downloads the blob of `sha256` into `target` (its folder is made), checking the SHA-256 of
 * the plain bytes; on any failure the partial file is removed.
 * @throws A4cAdminError CHECKSUM_MISMATCH (the object was altered), REMOTE_OBJECT_MISSING, REMOTE_UNREACHABLE.
 */
export async function downloadBlob(
  store: ObjectStore,
  codec: ObjectCodec,
  file: BlobName & { size: number; path: string },
  target: string | undefined,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<void> {
  const key = blobKey(file);
  const stored = await store.get(key, options.signal ? { signal: options.signal } : {});
  const hasher = hashingStream();
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      options.onBytes?.(chunk.length);
      callback(null, chunk);
    },
  });
  const decoded = codec.decode(forwardErrors(stored, counter), key);
  const plain = file.packed === 'gzip' ? forwardErrors(decoded, createGunzip()) : decoded;
  if (target !== undefined) await mkdir(dirname(target), { recursive: true });
  const sink = target === undefined ? new PassThrough().resume() : createWriteStream(target, { mode: 0o600 });
  try {
    await pipeline(plain, hasher, sink, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (target !== undefined) await rm(target, { force: true });
    if (isA4cAdminError(error)) throw error;
    // Bytes that do not gunzip were altered in the store (an encrypted codec catches it before).
    if (/^Z_/.test(String((error as NodeJS.ErrnoException).code ?? ''))) throw altered(store, key, file, (error as Error).message);
    throw new A4cAdminError('REMOTE_UNREACHABLE', `Reading ${store.description}/${key} (${file.path}) failed: ${(error as Error).message}`, {
      hint: 'Check that the object store is up and reachable, then run the command again: what was read completely is kept.',
      cause: error,
    });
  }
  if (hasher.digest() !== file.sha256 || hasher.bytes() !== file.size) {
    if (target !== undefined) await rm(target, { force: true });
    throw altered(store, key, file, `SHA-256 ${hasher.digest()} and ${hasher.bytes()} bytes, expected ${file.sha256} and ${file.size} bytes`);
  }
}

function altered(store: ObjectStore, key: string, file: { path: string }, found: string): A4cAdminError {
  return new A4cAdminError(
    'CHECKSUM_MISMATCH',
    `The object ${key} (${file.path}) in ${store.description} does not hold what the backup recorded: ${found}. It was altered in the store.`,
    {
      hint: 'This remote backup cannot be restored as it is: restore another one (`a4c-admin list --remote`), and push a good local backup again (a push stores the content anew).',
      details: { key, path: file.path },
    },
  );
}
