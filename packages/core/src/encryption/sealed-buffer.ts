// Sealing and opening of an object held in memory (a manifest, a small index): the same
// format as the streams, in one call.
import type { EncryptionKey } from './encryption-key.js';
import { ObjectOpener, type OpenOptions } from './object-opener.js';
import { ObjectSealer, type SealOptions } from './object-sealer.js';

export function sealBuffer(key: EncryptionKey, options: SealOptions, plaintext: Buffer): Buffer {
  const sealer = new ObjectSealer(key, options);
  return Buffer.concat([...sealer.write(plaintext), ...sealer.end()]);
}

export function openBuffer(key: EncryptionKey, options: OpenOptions, sealed: Buffer): Buffer {
  const opener = new ObjectOpener(key, options);
  return Buffer.concat([...opener.write(sealed), ...opener.end()]);
}
