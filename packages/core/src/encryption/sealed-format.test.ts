import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isA4cAdminError } from '../errors.js';
import { EncryptionKey } from './encryption-key.js';
import { openBuffer, sealBuffer } from './sealed-buffer.js';
import { DEFAULT_CHUNK_BYTES, parseSealedHeader, SEALED_HEADER_BYTES, sealedSize, TAG_BYTES } from './sealed-format.js';

// Small chunks, so that every bit of several chunks can be flipped in a unit test.
const chunkBytes = 32;
const sealedChunk = chunkBytes + TAG_BYTES;
const key = EncryptionKey.fromBytes(randomBytes(32));
const name = 'nightly-1/indices/chunk-0001.ndjson.gz';
const plaintext = randomBytes(3 * chunkBytes + 7);
const sealed = sealBuffer(key, { name, chunkBytes }, plaintext);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isA4cAdminError(error)) return error.code;
    throw error;
  }
  return 'opened';
}
const open = (bytes: Buffer, as = name, withKey = key) => codeOf(() => openBuffer(withKey, { name: as }, bytes));

describe('sealed objects refuse every change', () => {
  it('opens the untouched object', () => {
    expect(openBuffer(key, { name }, sealed).equals(plaintext)).toBe(true);
    expect(sealed.length).toBe(SEALED_HEADER_BYTES + plaintext.length + 4 * TAG_BYTES);
  });

  it('rejects every single-bit flip, in the header and in every chunk', () => {
    const accepted: number[] = [];
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const flipped = Buffer.from(sealed);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      if (open(flipped) === 'opened') accepted.push(bit);
    }
    expect(accepted).toEqual([]);
  });

  it('rejects truncation at every byte, chunk boundaries included, and bytes added at the end', () => {
    for (let length = 0; length < sealed.length; length++) expect(open(sealed.subarray(0, length)), `cut at ${length}`).not.toBe('opened');
    const boundaries = [1, 2, 3].map((chunks) => SEALED_HEADER_BYTES + chunks * sealedChunk);
    for (const boundary of boundaries) expect(open(sealed.subarray(0, boundary))).toBe('DECRYPTION_FAILED');
    expect(open(Buffer.concat([sealed, Buffer.alloc(1)]))).toBe('DECRYPTION_FAILED');
    expect(open(Buffer.concat([sealed, sealed.subarray(SEALED_HEADER_BYTES, SEALED_HEADER_BYTES + sealedChunk)]))).toBe('DECRYPTION_FAILED');
  });

  it('rejects two chunks swapped, a chunk dropped, and a chunk from another object of the same key', () => {
    const chunkAt = (bytes: Buffer, index: number) =>
      bytes.subarray(SEALED_HEADER_BYTES + index * sealedChunk, SEALED_HEADER_BYTES + (index + 1) * sealedChunk);
    const header = sealed.subarray(0, SEALED_HEADER_BYTES);
    const last = sealed.subarray(SEALED_HEADER_BYTES + 3 * sealedChunk);
    expect(open(Buffer.concat([header, chunkAt(sealed, 1), chunkAt(sealed, 0), chunkAt(sealed, 2), last]))).toBe('DECRYPTION_FAILED');
    expect(open(Buffer.concat([header, chunkAt(sealed, 0), chunkAt(sealed, 2), last]))).toBe('DECRYPTION_FAILED');
    const other = sealBuffer(key, { name, chunkBytes }, randomBytes(plaintext.length));
    expect(open(Buffer.concat([header, chunkAt(sealed, 0), chunkAt(other, 1), chunkAt(sealed, 2), last]))).toBe('DECRYPTION_FAILED');
    // Another object's header with this object's chunks (the nonce prefix differs).
    expect(open(Buffer.concat([other.subarray(0, SEALED_HEADER_BYTES), sealed.subarray(SEALED_HEADER_BYTES)]))).toBe('DECRYPTION_FAILED');
  });

  it('rejects an object opened under another name (objects cannot be swapped)', () => {
    expect(open(sealed, 'nightly-1/indices/chunk-0002.ndjson.gz')).toBe('DECRYPTION_FAILED');
    expect(open(sealed, 'nightly-2/indices/chunk-0001.ndjson.gz')).toBe('DECRYPTION_FAILED');
  });

  it('refuses a wrong key before any chunk, naming both key ids and not the keys', () => {
    const other = EncryptionKey.fromBytes(randomBytes(32));
    let message = '';
    try {
      openBuffer(other, { name }, sealed);
    } catch (error) {
      expect(isA4cAdminError(error) && error.code).toBe('ENCRYPTION_KEY_WRONG');
      message = (error as Error).message;
    }
    expect(message).toContain(key.id);
    expect(message).toContain(other.id);
    expect(parseSealedHeader(sealed, name).keyId).toBe(key.id);
  });

  it('refuses what is not a sealed object, and an empty one', () => {
    expect(open(Buffer.from('{"plain": "json manifest"}'))).toBe('DECRYPTION_FAILED');
    expect(open(Buffer.alloc(0))).toBe('DECRYPTION_FAILED');
  });
});

describe('sealedSize (what a push checks a stored object against)', () => {
  it('is the length sealing gives, at and around chunk boundaries and for an empty object', () => {
    for (const size of [0, 1, chunkBytes - 1, chunkBytes, chunkBytes + 1, 3 * chunkBytes, 3 * chunkBytes + 7]) {
      expect(sealBuffer(key, { name, chunkBytes }, randomBytes(size)).length, `${size} bytes`).toBe(sealedSize(size, chunkBytes));
    }
    for (const size of [0, 40_000, DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_BYTES + 1, 5 * DEFAULT_CHUNK_BYTES - 3]) {
      expect(sealBuffer(key, { name }, randomBytes(size)).length, `${size} bytes`).toBe(sealedSize(size));
    }
  });
});
