// Sealing and opening of an object held in memory (a manifest, a small index): the same
// format as the streams, in one call.
import type { EncryptionKey } from './encryption-key.js';
import { ObjectOpener, type OpenOptions } from './object-opener.js';
import { ObjectSealer, type SealOptions } from './object-sealer.js';

export function sealBuffer(key: EncryptionKey, options: SealOptions, plaintext: Buffer): Buffer {
  // Sealed straight into one buffer of the final size: a push seals 20 000 small files this
  // way, and a list of chunks concatenated at the end would allocate every byte three times.
  const sealer = new ObjectSealer(key, options);
  return sealer.sealWhole(plaintext);
}

/** sealBuffer written at the start of `target` (room for `sealedSize(plaintext.length)` bytes); returns the sealed length. */
export function sealBufferInto(key: EncryptionKey, options: SealOptions, plaintext: Buffer, target: Buffer): number {
  return new ObjectSealer(key, options).sealWholeInto(plaintext, target);
}

export function openBuffer(key: EncryptionKey, options: OpenOptions, sealed: Buffer): Buffer {
  const opener = new ObjectOpener(key, options);
  return Buffer.concat([...opener.write(sealed), ...opener.end()]);
}
