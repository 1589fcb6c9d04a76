import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FULL_TRIALS } from '@a4c-admin/test-support';
import { describe, expect, it } from 'vitest';
import { EncryptionKey } from './encryption-key.js';
import { decrypting, encrypting } from './encryption-streams.js';
import { openBuffer, sealBuffer, sealBufferInto } from './sealed-buffer.js';
import { DEFAULT_CHUNK_BYTES, SEALED_HEADER_BYTES, sealedSize, TAG_BYTES } from './sealed-format.js';

const key = EncryptionKey.fromBytes(randomBytes(32));
const name = 'nightly-1/files/csar.tar';

/** Runs `input` through a transform, written in pieces of `pieceBytes`, and collects the output. */
async function through(transform: NodeJS.ReadWriteStream, input: Buffer, pieceBytes = 10_000): Promise<Buffer> {
  const pieces = Array.from({ length: Math.ceil(input.length / pieceBytes) }, (_, index) => input.subarray(index * pieceBytes, (index + 1) * pieceBytes));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(pieces),
    transform,
    new Writable({
      write(bytes: Buffer, _encoding, done) {
        out.push(bytes);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('encrypting / decrypting streams', () => {
  const chunk = DEFAULT_CHUNK_BYTES;
  for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 5 * 1024 * 1024 + 7]) {
    it(`round-trips ${size} bytes, and the sealed size is header + one tag per chunk`, async () => {
      const plaintext = randomBytes(size);
      const sealed = await through(encrypting(key, { name }), plaintext);
      const chunks = Math.max(1, Math.ceil(size / chunk));
      expect(sealed.length).toBe(SEALED_HEADER_BYTES + size + chunks * TAG_BYTES);
      expect(sealed.includes(plaintext.subarray(0, 64)) && size >= 64).toBe(false);
      expect((await through(decrypting(key, { name }), sealed, 777)).equals(plaintext)).toBe(true);
      expect(openBuffer(key, { name }, sealed).equals(plaintext)).toBe(true);
    });
  }

  it('seals a buffer in the same format as the stream (one allocation, the stream opens it), at every chunk boundary', async () => {
    for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 3 * chunk + 5]) {
      const plaintext = randomBytes(size);
      const sealed = sealBuffer(key, { name }, plaintext);
      const streamed = await through(encrypting(key, { name }), plaintext);
      expect(sealed.length, `${size} bytes`).toBe(streamed.length);
      // Same header but for its random nonce prefix.
      expect(sealed.subarray(0, SEALED_HEADER_BYTES - 12).equals(streamed.subarray(0, SEALED_HEADER_BYTES - 12))).toBe(true);
      expect((await through(decrypting(key, { name }), sealed, 777)).equals(plaintext), `${size} bytes`).toBe(true);
      expect(() => openBuffer(key, { name: 'another/name' }, sealed)).toThrow();
    }
  });

  it('seals into a reused buffer what the stream opens, object after object, and refuses a buffer too small', async () => {
    const reused = Buffer.alloc(sealedSize(3 * chunk + 5));
    for (const size of [3 * chunk + 5, 1, chunk, 0]) {
      const plaintext = randomBytes(size);
      const length = sealBufferInto(key, { name }, plaintext, reused);
      expect(length, `${size} bytes`).toBe(sealedSize(size));
      expect((await through(decrypting(key, { name }), reused.subarray(0, length), 777)).equals(plaintext), `${size} bytes`).toBe(true);
    }
    expect(() => sealBufferInto(key, { name }, randomBytes(chunk), Buffer.alloc(sealedSize(chunk) - 1))).toThrow(RangeError);
  });

  it('seals the same bytes differently every time (random nonce prefix)', () => {
    const plaintext = Buffer.from('same bytes');
    expect(sealBuffer(key, { name }, plaintext).equals(sealBuffer(key, { name }, plaintext))).toBe(false);
  });

  it('fails the stream with DECRYPTION_FAILED on damage, whatever the piece size', async () => {
    const sealed = sealBuffer(key, { name }, randomBytes(3 * chunk + 5));
    sealed[SEALED_HEADER_BYTES + chunk + 100]! ^= 1;
    await expect(through(decrypting(key, { name }), sealed, 4096)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  // 64 MiB costs about a second; the full tier (A4C_TRIALS=full) streams 1 GiB.
  const streamMiB = FULL_TRIALS ? 1024 : 64;
  it(`keeps memory bounded on a ${streamMiB} MiB stream (about a chunk, not the object)`, async () => {
    const piece = randomBytes(1024 * 1024);
    let produced = 0;
    const total = streamMiB * 1024 * 1024;
    const source = new Readable({
      read() {
        if (produced >= total) return this.push(null);
        produced += piece.length;
        this.push(piece);
      },
    });
    let opened = 0;
    let peakGrowth = 0;
    const before = process.memoryUsage().rss;
    await pipeline(
      source,
      encrypting(key, { name }),
      decrypting(key, { name }),
      new Writable({
        write(bytes: Buffer, _encoding, done) {
          opened += bytes.length;
          if (opened % (32 * 1024 * 1024) < bytes.length) peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - before);
          done();
        },
      }),
    );
    expect(opened).toBe(total);
    // The whole stream is larger than the limit; what stays in flight is a few chunks and the streams' buffers.
    expect(peakGrowth).toBeLessThan(48 * 1024 * 1024);
  }, 120_000);
});
