// The format of an encrypted ("sealed") object, version 1:
//
//   header (36 bytes)  magic "A4CENC" (6) | format version 1 (1) | algorithm 1 = AES-256-GCM (1)
//                      | key id (16) | random nonce prefix (8) | chunk size, uint32 BE (4)
//   chunks             each: ciphertext of `chunk size` plaintext bytes (the last: 0 to
//                      `chunk size`) followed by its 16-byte GCM tag
//
// Every chunk is sealed with AES-256-GCM under the object key (an HKDF sub-key), with the
// nonce = nonce prefix (8) | chunk number, uint32 BE (4), and the associated data
// = the whole header | final flag (1 byte: 1 on the last chunk, 0 before) | the object's name.
// So a changed header, a chunk moved, dropped or taken from another object, a stream cut at a
// chunk boundary (its last chunk was sealed as not final) or bytes added after the end, and
// an object renamed to another's name all fail a tag. Only the framing is ours: the cipher
// is node:crypto's.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { A4cAdminError } from '../errors.js';
import { type EncryptionKey, KEY_ID_BYTES, subKeysOf } from './encryption-key.js';

export const SEALED_MAGIC = Buffer.from('A4CENC', 'latin1');
export const SEALED_FORMAT_VERSION = 1;
const ALGORITHM_AES_256_GCM = 1;
const NONCE_PREFIX_BYTES = 8;
export const SEALED_HEADER_BYTES = SEALED_MAGIC.length + 2 + KEY_ID_BYTES + NONCE_PREFIX_BYTES + 4;
export const TAG_BYTES = 16;
/** Plaintext bytes per chunk unless told otherwise: a chunk is the unit of memory and of authentication. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** Smallest and largest chunk a reader accepts, so that a forged header cannot make it buffer gigabytes. */
export const MIN_CHUNK_BYTES = 16;
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** The chunk number is 32 bits: past that, a nonce would repeat. */
export const MAX_CHUNKS = 2 ** 32;

export interface SealedHeader {
  formatVersion: number;
  /** Hex key id of the key that sealed the object. */
  keyId: string;
  chunkBytes: number;
}

/** What sealing or opening one object needs, computed once per object. */
export interface SealingContext {
  name: string;
  objectKey: Buffer;
  header: Buffer;
  noncePrefix: Buffer;
  chunkBytes: number;
  /** Associated data of a chunk that is not the last, and of the last. */
  associatedData: [notFinal: Buffer, final: Buffer];
}

export function encodeHeader(key: EncryptionKey, noncePrefix: Buffer, chunkBytes: number): Buffer {
  const header = Buffer.alloc(SEALED_HEADER_BYTES);
  let offset = SEALED_MAGIC.copy(header, 0);
  offset = header.writeUInt8(SEALED_FORMAT_VERSION, offset);
  offset = header.writeUInt8(ALGORITHM_AES_256_GCM, offset);
  offset += subKeysOf(key).keyIdBytes.copy(header, offset);
  offset += noncePrefix.copy(header, offset, 0, NONCE_PREFIX_BYTES);
  header.writeUInt32BE(chunkBytes, offset);
  return header;
}

/**
 * The length of the sealed object of `plainBytes` bytes: the header, the bytes, and one tag per
 * chunk (an empty object still has its one, empty, last chunk).
 */
export function sealedSize(plainBytes: number, chunkBytes: number = DEFAULT_CHUNK_BYTES): number {
  return SEALED_HEADER_BYTES + plainBytes + TAG_BYTES * Math.max(1, Math.ceil(plainBytes / chunkBytes));
}

/** Length of the random nonce prefix written in each header. */
export const NONCE_PREFIX_BYTES_LENGTH = NONCE_PREFIX_BYTES;

/**
 * The header's facts, readable without the key (which key sealed an object, for a clear
 * "wrong key" error before anything is read or changed). Throws DECRYPTION_FAILED on
 * anything that is not a version-1 sealed object.
 */
export function parseSealedHeader(header: Buffer, name: string): SealedHeader {
  if (header.length < SEALED_HEADER_BYTES || !header.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) {
    throw tampered(
      name,
      'it does not start like an a4c-admin encrypted object',
      header.length < SEALED_HEADER_BYTES ? 'shorter than the header' : 'no A4CENC header',
    );
  }
  const formatVersion = header.readUInt8(SEALED_MAGIC.length);
  if (formatVersion !== SEALED_FORMAT_VERSION || header.readUInt8(SEALED_MAGIC.length + 1) !== ALGORITHM_AES_256_GCM) {
    throw new A4cAdminError(
      'DECRYPTION_FAILED',
      `Encrypted object "${name}" is in format ${formatVersion}, which this a4c-admin does not read (it reads format ${SEALED_FORMAT_VERSION}).`,
      {
        hint: 'Use the a4c-admin release that wrote it, or a newer one; if no release wrote such a version, the object was altered.',
        details: { object: name, formatVersion },
      },
    );
  }
  const keyIdOffset = SEALED_MAGIC.length + 2;
  const chunkBytes = header.readUInt32BE(keyIdOffset + KEY_ID_BYTES + NONCE_PREFIX_BYTES);
  if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES)
    throw tampered(name, `its header names a chunk size of ${chunkBytes} bytes`, 'chunk size out of range');
  return { formatVersion, keyId: header.subarray(keyIdOffset, keyIdOffset + KEY_ID_BYTES).toString('hex'), chunkBytes };
}

/** Refuses data sealed under another key, naming both key ids (never the keys). */
export function assertKeyMatches(key: EncryptionKey, sealedWithKeyId: string, what: string): void {
  if (sealedWithKeyId === key.id) return;
  throw new A4cAdminError(
    'ENCRYPTION_KEY_WRONG',
    `${what} was encrypted with key ${sealedWithKeyId}, but the configured key is ${key.id}; nothing was read or changed.`,
    {
      hint: 'Configure the key this backup was pushed with (encryption.key_file, or the variable named by encryption.key_env); `a4c-admin` prints only key ids, so compare them with the id recorded when the key was made.',
      details: { object: what, expectedKeyId: sealedWithKeyId, configuredKeyId: key.id },
    },
  );
}

export function sealingContext(key: EncryptionKey, name: string, header: Buffer): SealingContext {
  const { objectKey } = subKeysOf(key);
  const nameBytes = Buffer.from(name, 'utf8');
  const associated = (final: number) => Buffer.concat([header, Buffer.of(final), nameBytes]);
  const noncePrefixOffset = SEALED_MAGIC.length + 2 + KEY_ID_BYTES;
  return {
    name,
    objectKey,
    header,
    noncePrefix: header.subarray(noncePrefixOffset, noncePrefixOffset + NONCE_PREFIX_BYTES),
    chunkBytes: header.readUInt32BE(noncePrefixOffset + NONCE_PREFIX_BYTES),
    associatedData: [associated(0), associated(1)],
  };
}

function nonceOf(context: SealingContext, chunkNumber: number): Buffer {
  if (chunkNumber >= MAX_CHUNKS) throw new RangeError(`object "${context.name}" is too large: more than ${MAX_CHUNKS} chunks`);
  const nonce = Buffer.alloc(12);
  context.noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(chunkNumber, NONCE_PREFIX_BYTES);
  return nonce;
}

/** One chunk's ciphertext followed by its tag. */
export function sealChunk(context: SealingContext, chunkNumber: number, plaintext: Buffer, final: boolean): Buffer {
  const sealed = Buffer.allocUnsafe(plaintext.length + TAG_BYTES);
  sealChunkInto(context, chunkNumber, plaintext, final, sealed, 0);
  return sealed;
}

/**
 * `sealChunk` written into `target` at `offset` (room for the plaintext's length and the tag),
 * for a caller that seals a whole object into one buffer; returns the bytes written.
 */
export function sealChunkInto(context: SealingContext, chunkNumber: number, plaintext: Buffer, final: boolean, target: Buffer, offset: number): number {
  const cipher = createCipheriv('aes-256-gcm', context.objectKey, nonceOf(context, chunkNumber), { authTagLength: TAG_BYTES });
  cipher.setAAD(context.associatedData[final ? 1 : 0]);
  let written = cipher.update(plaintext).copy(target, offset);
  written += cipher.final().copy(target, offset + written);
  written += cipher.getAuthTag().copy(target, offset + written);
  return written;
}

/** One chunk's plaintext, only once its tag is checked. */
export function openChunk(context: SealingContext, chunkNumber: number, sealed: Buffer, final: boolean): Buffer {
  if (sealed.length < TAG_BYTES) throw tampered(context.name, `it ends inside chunk ${chunkNumber}`, 'truncated');
  const decipher = createDecipheriv('aes-256-gcm', context.objectKey, nonceOf(context, chunkNumber), { authTagLength: TAG_BYTES });
  decipher.setAAD(context.associatedData[final ? 1 : 0]);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const head = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([head, decipher.final()]);
  } catch (cause) {
    throw tampered(context.name, `chunk ${chunkNumber}${final ? ' (the last)' : ''} fails authentication`, 'tag mismatch', cause);
  }
}

function tampered(name: string, what: string, reason: string, cause?: unknown): A4cAdminError {
  return new A4cAdminError(
    'DECRYPTION_FAILED',
    `Encrypted object "${name}" cannot be trusted: ${what}. It was altered, cut short, extended, reordered or is another object's bytes: discard whatever was read of it.`,
    {
      hint: 'Do not use this copy: restore from another backup or another copy of this one, and check what writes to the store.',
      details: { object: name, reason },
      cause,
    },
  );
}
