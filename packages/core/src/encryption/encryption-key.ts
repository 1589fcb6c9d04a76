// The backup encryption key: 32 random bytes that never leave this object. Everything the
// tool uses is derived from it with HKDF-SHA256 under distinct labels (the key id, the key
// that encrypts objects, the key that authenticates manifests), so no derived value tells
// anything about another, and the key id can be printed and stored in manifests.
import { hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';

/** Length of the key, in bytes (AES-256). */
export const ENCRYPTION_KEY_BYTES = 32;
/** Length of the key id, in bytes (printed as 32 hex digits). */
export const KEY_ID_BYTES = 16;

interface SubKeys {
  /** AES-256-GCM key of the sealed objects. */
  objectKey: Buffer;
  /** HMAC-SHA256 key of manifest authentication. */
  manifestKey: Buffer;
  keyIdBytes: Buffer;
}

// Held outside the object so that no property, spread, JSON or inspection can reach them.
const subKeysByKey = new WeakMap<EncryptionKey, SubKeys>();

function derive(master: Buffer, label: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `a4c-admin ${label} v1`, length));
}

/**
 * A loaded encryption key. Only its `id` (a fingerprint derived with HKDF, which reveals
 * nothing about the key) is visible: `util.inspect`, `JSON.stringify` and `String()` show
 * `EncryptionKey { id }` and nothing else.
 */
export class EncryptionKey {
  /** The key id: 32 hex digits, the same for the same key on every host. */
  readonly id: string;

  private constructor(subKeys: SubKeys) {
    this.id = subKeys.keyIdBytes.toString('hex');
    subKeysByKey.set(this, subKeys);
    Object.freeze(this);
  }

  /** A key from its 32 bytes (the caller's copy can be zeroed afterwards). */
  static fromBytes(bytes: Uint8Array): EncryptionKey {
    if (bytes.length !== ENCRYPTION_KEY_BYTES) throw new RangeError(`an encryption key is ${ENCRYPTION_KEY_BYTES} bytes, not ${bytes.length}`);
    const master = Buffer.from(bytes);
    const subKeys = {
      objectKey: derive(master, 'object encryption', 32),
      manifestKey: derive(master, 'manifest authentication', 32),
      keyIdBytes: derive(master, 'key id', KEY_ID_BYTES),
    };
    master.fill(0);
    return new EncryptionKey(subKeys);
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  toString(): string {
    return `EncryptionKey(${this.id})`;
  }

  [inspect.custom](): string {
    return `EncryptionKey { id: '${this.id}' }`;
  }
}

/** The derived keys of `key`, for the sealing and authentication code of this folder only. */
export function subKeysOf(key: EncryptionKey): SubKeys {
  const subKeys = subKeysByKey.get(key);
  if (subKeys === undefined) throw new TypeError('not an EncryptionKey made by EncryptionKey.fromBytes');
  return subKeys;
}
