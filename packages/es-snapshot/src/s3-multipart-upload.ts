// A large object into S3 in parts filled in the store's part buffers (part-buffer-pool.ts),
// instead of lib-storage's Upload, which cannot be handed buffers to reuse. Like Upload: parts
// of the store's part size, two in flight while the next is filled, a SHA-256 checksum per part
// that the store verifies (and in the completion), the multipart upload aborted on any failure,
// and a body shorter than one part sent in one PutObject.
import type { Readable } from 'node:stream';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import type { PartBufferPool } from './part-buffer-pool.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/** Parts sent at once per object (lib-storage's queueSize as the push used it). */
export const PARTS_IN_FLIGHT = 2;
/** S3 refuses a multipart upload of more parts. */
const MAX_PARTS = 10_000;

export interface MultipartTarget {
  client: S3Client;
  sdk: Pick<
    S3Sdk,
    'AbortMultipartUploadCommand' | 'CompleteMultipartUploadCommand' | 'CreateMultipartUploadCommand' | 'PutObjectCommand' | 'UploadPartCommand'
  >;
  bucket: string;
  key: string;
  pool: PartBufferPool;
  signal?: AbortSignal;
  /** Bytes taken from the body, as they are. */
  onBytes?: (bytes: number) => void;
}

/**
 * Uploads `body` to `target.key`. The buffers it fills go back to the pool only once no request
 * reads them any more; at most PARTS_IN_FLIGHT + 1 of them per object, fewer when other objects
 * hold the rest (an object that holds none waits for one; one that holds some reuses its own).
 */
export async function uploadInParts(target: MultipartTarget, body: Readable): Promise<void> {
  const { client, sdk, bucket, key, pool, signal } = target;
  const sendOptions = signal ? { abortSignal: signal } : {};
  const spare: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const parts: CompletedPart[] = [];
  let uploadId: string | undefined;
  let creating: Promise<string> | undefined;
  let failure: unknown;

  const multipartUpload = () => {
    creating ??= client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256' }), sendOptions).then((answer) => {
      if (!answer.UploadId) throw new Error('the store gave no UploadId');
      uploadId = answer.UploadId;
      return uploadId;
    });
    return creating;
  };
  const sendPart = (buffer: Buffer, length: number, partNumber: number) => {
    const sending = (async () => {
      const UploadId = await multipartUpload();
      const answer = await client.send(
        new sdk.UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: partNumber,
          Body: buffer.subarray(0, length),
          ContentLength: length,
          ChecksumAlgorithm: 'SHA256',
        }),
        sendOptions,
      );
      if (!answer.ETag) throw new Error(`the store gave no ETag for part ${partNumber}`);
      parts.push({ PartNumber: partNumber, ETag: answer.ETag, ...(answer.ChecksumSHA256 ? { ChecksumSHA256: answer.ChecksumSHA256 } : {}) });
    })()
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        inFlight.delete(sending);
        spare.push(buffer);
      });
    inFlight.add(sending);
  };
  const throwIfFailed = () => {
    if (failure !== undefined) throw failure;
  };
  /** A buffer to fill: one of this object's own, else a free one of the pool, else the next of its own that a part gives back. */
  const nextBuffer = async (): Promise<Buffer> => {
    for (;;) {
      throwIfFailed();
      const own = spare.pop();
      if (own) return own;
      if (inFlight.size === 0) return pool.acquire(signal);
      const free = pool.tryAcquire();
      if (free) return free;
      await Promise.race(inFlight);
    }
  };

  let buffer: Buffer | undefined;
  try {
    buffer = await nextBuffer();
    let filled = 0;
    let partNumber = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      target.onBytes?.(chunk.length);
      let offset = 0;
      while (offset < chunk.length) {
        if (filled === buffer.length) {
          // A full buffer followed by more bytes is not the last part: send it.
          if (partNumber + 1 >= MAX_PARTS) throw new Error(`more than ${MAX_PARTS} parts of ${buffer.length} bytes`);
          while (inFlight.size >= PARTS_IN_FLIGHT) await Promise.race(inFlight);
          throwIfFailed();
          sendPart(buffer, filled, ++partNumber);
          buffer = undefined;
          buffer = await nextBuffer();
          filled = 0;
        }
        const copied = chunk.copy(buffer, filled, offset);
        filled += copied;
        offset += copied;
      }
    }
    if (partNumber === 0) {
      // Smaller than one part: one request, as lib-storage does.
      await client.send(
        new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: buffer.subarray(0, filled), ContentLength: filled, ChecksumAlgorithm: 'SHA256' }),
        sendOptions,
      );
      return;
    }
    sendPart(buffer, filled, ++partNumber);
    buffer = undefined;
    while (inFlight.size > 0) await Promise.race(inFlight);
    throwIfFailed();
    parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(
      new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: await multipartUpload(), MultipartUpload: { Parts: parts } }),
      sendOptions,
    );
  } catch (error) {
    body.destroy();
    // The parts already sent are dropped with the upload, so that no half object waits in the
    // store for a lifecycle rule. Best effort: the error that stopped the upload is the one reported.
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (uploadId === undefined && creating) await creating.catch(() => undefined);
    if (uploadId !== undefined) {
      await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    }
    throw failure ?? error;
  } finally {
    // Every request that read a buffer has settled by now (or none was sent): the pool may reuse them.
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (buffer) pool.release(buffer);
    for (const own of spare.splice(0)) pool.release(own);
  }
}
