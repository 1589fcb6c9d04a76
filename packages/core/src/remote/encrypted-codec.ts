// The codec of an encrypted remote: every object sealed with the encryption key (AES-256-GCM
// in authenticated chunks, bound to the object's key), the remote manifest included, so that
// neither an altered object nor an edited or swapped listing is taken for genuine.
import type { Readable } from 'node:stream';
import { decrypting, type EncryptionKey, encrypting, sealBuffer, sealBufferInto, sealedSize } from '../encryption/index.js';
import type { ObjectCodec } from '../object-store.js';

/** `source` piped into `next`, an error of `source` destroying `next`. */
function through<T extends NodeJS.ReadWriteStream & Readable>(source: Readable, next: T): T {
  source.on('error', (error) => next.destroy(error));
  // The consumer's pipeline reports the failure; a second emission after it let go must not crash the process.
  next.on('error', () => undefined);
  return source.pipe(next);
}

/** A codec that seals with `key`; its id names the cipher and the key id (never the key). */
export function encryptedCodec(key: EncryptionKey): ObjectCodec {
  return {
    id: `aes-256-gcm:${key.id}`,
    keyId: key.id,
    encode: (plain, name) => through(plain, encrypting(key, { name })),
    encodeBytes: (plain, name) => sealBuffer(key, { name }, plain),
    encodeBytesInto: (plain, name, target) => sealBufferInto(key, { name }, plain, target),
    encodedSize: (plainBytes) => sealedSize(plainBytes),
    decode: (stored, name) => through(stored, decrypting(key, { name })),
  };
}
