// Encryption of what leaves the host: the key and where it comes from, the sealed-object
// format (AES-256-GCM in authenticated chunks), its streams, and manifest authentication.
export { ENCRYPTION_KEY_BYTES, EncryptionKey } from './encryption-key.js';
export type { EncryptionConfig } from './encryption-key-source.js';
export { DEFAULT_ENCRYPTION_KEY_ENV, loadEncryptionKey, parseKeyText } from './encryption-key-source.js';
export { decrypting, encrypting } from './encryption-streams.js';
export { assertManifestAuthentic, manifestTag } from './manifest-authentication.js';
export type { OpenOptions } from './object-opener.js';
export type { SealOptions } from './object-sealer.js';
export { openBuffer, sealBuffer, sealBufferInto } from './sealed-buffer.js';
export type { SealedHeader } from './sealed-format.js';
export { assertKeyMatches, DEFAULT_CHUNK_BYTES, parseSealedHeader, SEALED_FORMAT_VERSION, SEALED_HEADER_BYTES, sealedSize } from './sealed-format.js';
